import { Readable } from 'node:stream';
import type { ExportedProject } from '@todo/contract';
import type { Database } from '../db/database.js';
import type { StoredTask } from '../tasks/task-row.js';
import { tasksCsvChunks } from './export-csv.js';
import { exportDocumentChunks } from './export-json.js';
import { portabilityRepository } from './portability.repository.js';

/**
 * A user's whole account as a file, streamed: JSON to move it, CSV to read it in a spreadsheet. Tasks are
 * read a page at a time as the client reads (back-pressure), so memory stays flat whatever the account's size.
 */
export class PortabilityExport {
  constructor(private readonly db: Database) {}

  json(userId: string, now: Date): Promise<Readable> {
    return this.stream(userId, (projects, pages) => exportDocumentChunks(projects, pages, now));
  }

  csv(userId: string): Promise<Readable> {
    return this.stream(userId, (projects, pages) =>
      tasksCsvChunks(pages, new Map(projects.map((p) => [p.id, p.name]))),
    );
  }

  /**
   * Reads the projects and the first page of tasks before answering, so a database that fails at the start
   * gives an error response rather than a cut-off 200; a failure later ends the download early.
   */
  private async stream(
    userId: string,
    render: (projects: ExportedProject[], pages: AsyncIterable<StoredTask[]>) => AsyncGenerator<string>,
  ): Promise<Readable> {
    const projects = await portabilityRepository.ownedProjects(this.db, userId);
    const pages = portabilityRepository.taskPages(this.db, userId);
    const first = await pages.next();
    async function* all() {
      if (first.done) return;
      yield first.value;
      yield* pages;
    }
    return Readable.from(render(projects, all()), { objectMode: false });
  }
}
