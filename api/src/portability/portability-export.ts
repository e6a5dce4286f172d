import type { ExportDocument } from '@todo/contract';
import type { Database } from '../db/database.js';
import { renderTasksCsv } from './export-csv.js';
import { exportDocumentOf } from './export-json.js';
import { portabilityRepository } from './portability.repository.js';

/** A user's whole account as a file: JSON to move it, CSV to read it in a spreadsheet. */
export class PortabilityExport {
  constructor(private readonly db: Database) {}

  async json(userId: string, now: Date): Promise<ExportDocument> {
    const [projects, tasks] = await Promise.all([
      portabilityRepository.ownedProjects(this.db, userId),
      portabilityRepository.allTasks(this.db, userId),
    ]);
    return exportDocumentOf(projects, tasks, now);
  }

  async csv(userId: string): Promise<string> {
    const [projects, tasks] = await Promise.all([
      portabilityRepository.ownedProjects(this.db, userId),
      portabilityRepository.allTasks(this.db, userId),
    ]);
    return renderTasksCsv(tasks, new Map(projects.map((p) => [p.id, p.name])));
  }
}
