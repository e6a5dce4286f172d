import type { ExportDocument } from '@todo/contract';
import type { Database } from '../db/database.js';
import { renderTasksCsv } from './export-csv.js';
import { exportDocumentOf } from './export-json.js';
import { portabilityRepository } from './portability.repository.js';

/** A user's whole account as a file: JSON to move it, CSV to read it in a spreadsheet. */
export class PortabilityExport {
  constructor(private readonly db: Database) {}

  async json(userId: string, now: Date): Promise<ExportDocument> {
    return exportDocumentOf(await portabilityRepository.allTasks(this.db, userId), now);
  }

  async csv(userId: string): Promise<string> {
    return renderTasksCsv(await portabilityRepository.allTasks(this.db, userId));
  }
}
