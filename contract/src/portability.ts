import { z } from 'zod';
import { dateTime, timeZone } from './date-time.js';
import { PRIORITIES } from './priorities.js';
import { description, recurrenceInput, tags, title } from './task-fields.js';
import { task } from './tasks.js';
import { text } from './text.js';
import { wholeStringPattern } from './whole-string-pattern.js';

/** The envelope's `format` and `version`: a reader refuses a document it does not know. */
export const EXPORT_FORMAT = 'todo-export';
export const EXPORT_VERSION = 1;

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export const IMPORT_FORMATS = ['json', 'todoist-csv', 'ics'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** At most this many tasks per import; a larger file is refused whole (413), so split it. */
export const IMPORT_MAX_TASKS = 10_000;
/** The largest import body accepted, in bytes. */
export const IMPORT_MAX_BYTES = 16 * 1024 * 1024;

export const exportQuery = z.strictObject({ format: z.enum(EXPORT_FORMATS).default('json') });
export const importQuery = z.strictObject({
  format: z
    .enum(IMPORT_FORMATS)
    .optional()
    .meta({ description: 'What the body is; by default read from its Content-Type (JSON, CSV, iCalendar).' }),
  projectId: z
    .uuid('must be a project id (UUID)')
    .optional()
    .meta({
      description:
        'The project a Todoist CSV or iCalendar file goes into (one the caller may write); by default the ' +
        'Inbox. Not for our JSON, whose tasks name their projects. A task imported before stays where it is.',
    }),
});

// A series anchor as stored: local wall-clock time without an offset.
const LOCAL_DATE_TIME = wholeStringPattern(
  '[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]',
);

/** A task as exported: every field of Task, and its place in a recurring series. */
export const exportedTask = task
  .extend({
    occurrence: z.number().int(),
    seriesStart: z.string().nullable(),
  })
  .meta({ id: 'ExportedTask' });

/** A project as exported: the ones the user owns, the Inbox included. */
export const exportedProject = z
  .object({
    id: z.string(),
    name: z.string(),
    color: z.string().nullable(),
    parentId: z.string().nullable(),
    archived: z.boolean(),
    order: z.string(),
    inbox: z.boolean(),
  })
  .meta({ id: 'ExportedProject' });
export type ExportedProject = z.infer<typeof exportedProject>;

/** A project read back from an export; its order is its place in `projects`. */
export const importedProject = z
  .object({
    id: z.string().min(1).max(100).meta({ description: 'The id in the exporting account: the source id' }),
    name: text({ max: 120, nonBlank: true }),
    color: z
      .string()
      .regex(wholeStringPattern('#[0-9A-Fa-f]{6}'), 'must be a colour like "#1e90ff"')
      .toLowerCase()
      .nullable()
      .default(null),
    parentId: z.string().min(1).max(100).nullable().default(null),
    archived: z.boolean().default(false),
    inbox: z.boolean().default(false),
  })
  .meta({ id: 'ImportedProject' });

export const exportDocument = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exportedAt: z.string(),
    projects: z.array(exportedProject),
    tasks: z.array(exportedTask),
  })
  .meta({ id: 'ExportDocument' });
export type ExportDocument = z.infer<typeof exportDocument>;
export type ExportedTask = z.infer<typeof exportedTask>;

const storedReminder = z.strictObject({
  id: z.uuid(),
  remindAt: dateTime.optional(),
  before: z.string().max(40).optional(),
});

/**
 * A task as an export holds it, read back: the fields a new task takes plus its completed state, its times
 * and its series. Fields this version does not know (`version`, and later ones) are ignored.
 */
export const importedTask = z
  .object({
    id: z.string().min(1).max(100).meta({ description: 'The id in the exporting account: the source id' }),
    title,
    description: description.default(''),
    completed: z.boolean().default(false),
    completedAt: dateTime.nullable().default(null),
    priority: z.enum(PRIORITIES).default('none'),
    tags: tags.default([]),
    dueAt: dateTime.nullable().default(null),
    timeZone: timeZone.default('UTC'),
    reminders: z.array(storedReminder).max(10, 'at most 10 reminders').default([]),
    recurrence: recurrenceInput.nullable().default(null),
    seriesId: z.string().min(1).max(100).nullable().default(null),
    seriesStart: z.string().regex(LOCAL_DATE_TIME).nullable().default(null),
    occurrence: z.number().int().min(1).max(1_000_000).default(1),
    projectId: z
      .string()
      .min(1)
      .max(100)
      .nullable()
      .default(null)
      .meta({ description: "Its project's id in the exporting account (the Inbox when absent)" }),
    parentId: z
      .string()
      .min(1)
      .max(100)
      .nullable()
      .default(null)
      .meta({ description: "Its parent's id in the exporting account (a subtask)" }),
    order: z
      .string()
      .max(1000)
      .regex(wholeStringPattern('[A-Za-z][0-9A-Za-z]*'), 'is not an order key')
      .optional()
      .meta({
        description: 'Its position among its siblings, as exported (a new task goes last without it)',
      }),
    createdAt: dateTime.optional(),
    updatedAt: dateTime.optional(),
  })
  .meta({ id: 'ImportedTask' });
export type ImportedTask = z.infer<typeof importedTask>;

export const importDocument = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exportedAt: z.string().max(100).optional(),
    projects: z.array(importedProject).max(1000, 'at most 1,000 projects per import').default([]),
    tasks: z.array(importedTask).max(IMPORT_MAX_TASKS, `at most ${IMPORT_MAX_TASKS} tasks per import`),
  })
  .meta({ id: 'ImportDocument' });
export type ImportDocument = z.infer<typeof importDocument>;

export const importResult = z
  .object({
    created: z.object({ projects: z.number().int(), tasks: z.number().int() }),
    skipped: z.array(
      z.object({
        line: z
          .number()
          .int()
          .meta({ description: 'The line of a CSV or iCalendar file, or the position in `tasks`' }),
        reason: z.string(),
      }),
    ),
  })
  .meta({ id: 'ImportResult' });
export type ImportResult = z.infer<typeof importResult>;
