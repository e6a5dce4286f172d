import type { ImportResult, Priority, Reminder } from '@todo/contract';

/** Where an import's tasks came from; with the source id, what makes an import idempotent. */
export type ImportSource = 'todo-export' | 'todoist-csv' | 'ics';

/** Something a file held that the import could not take, or took only in part. */
export type SkippedItem = ImportResult['skipped'][number];

/** One task a file asks for, read and mapped but not yet checked against the task rules. */
export interface ImportDraft {
  /** The line (CSV, iCalendar) or the position in `tasks` (JSON) it came from, for the report. */
  line: number;
  /** Its id in the source: unique within one source for one user. */
  sourceId: string;
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  dueAt: string | null;
  timeZone: string;
  reminders: Reminder[];
  recurrence: { rule: string; from: 'due' | 'completion' } | null;
  completed: boolean;
  completedAt: string | null;
  /** The series the source put it in (a source id), to keep recurring series together. */
  seriesKey?: string | null;
  seriesStart?: string | null;
  occurrence?: number;
  /** Its project's source id; the Inbox when absent or unknown. */
  projectKey?: string | null;
  /** Its parent's source id (a subtask), placed by placeInTree. */
  parentKey?: string | null;
  /** Its order key as exported (used when it is a valid key). */
  order?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** A project a file asks for (our JSON only). */
export interface ProjectDraft {
  line: number;
  sourceId: string;
  name: string;
  color: string | null;
  /** Its folder's source id. */
  parentKey: string | null;
  archived: boolean;
  /** The exporting account's Inbox: it becomes the importing user's Inbox. */
  inbox: boolean;
}

/** What a parser made of a file: the tasks to create and what it already knew it could not map. */
export interface ImportPlan {
  source: ImportSource;
  drafts: ImportDraft[];
  skipped: SkippedItem[];
  /** The projects the tasks name; without them every task goes to the Inbox. */
  projects?: ProjectDraft[];
}
