import { z } from 'zod';

/** Priorities in rank order; the database stores the index so sorting by rank is a plain integer sort. */
export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

const MIN_DATE = Date.parse('1970-01-01T00:00:00Z');
const MAX_DATE = Date.parse('9999-12-31T23:59:59Z');

// PostgreSQL text cannot hold NUL, and other control characters in a title are never intended.
const isControl = (code: number) => code < 0x20 || code === 0x7f;
const hasControlChars = (s: string, allowWhitespace: boolean) => {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (isControl(code) && !(allowWhitespace && (code === 0x09 || code === 0x0a || code === 0x0d)))
      return true;
  }
  return false;
};

/** RFC 3339 date-time with an explicit offset, within years 1970–9999. */
export const dateTime = z.iso
  .datetime({ offset: true, message: 'must be an RFC 3339 date-time with a time zone offset' })
  .refine((s) => {
    const t = Date.parse(s);
    return t >= MIN_DATE && t <= MAX_DATE;
  }, 'must be between 1970 and 9999');

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as "Europe/Paris"')
  .meta({ example: 'America/New_York' });

export const tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[\p{L}\p{N}_\-./:+]+$/u, 'may contain letters, digits and _ - . / : + only');

export const tags = z
  .array(tag)
  .max(20, 'at most 20 tags')
  .transform((list) => [...new Set(list)]);

export const title = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(500, 'must be at most 500 characters')
  .refine((s) => !hasControlChars(s, false), 'must not contain control characters');

export const description = z
  .string()
  .max(20_000, 'must be at most 20,000 characters')
  .refine((s) => !hasControlChars(s, true), 'must not contain control characters');

export const reminderInput = z
  .strictObject({
    id: z.uuid().optional(),
    remindAt: dateTime.optional(),
    before: z.string().max(40).optional().meta({ example: 'PT15M' }),
  })
  .refine((r) => (r.remindAt === undefined) !== (r.before === undefined), {
    message: 'needs exactly one of remindAt or before',
  });

export const reminder = z.object({
  id: z.uuid(),
  remindAt: z.string().optional(),
  before: z.string().optional(),
});
export type Reminder = z.infer<typeof reminder>;

export const recurrence = z.strictObject({
  rule: z.string().min(1).max(500).meta({ example: 'FREQ=WEEKLY;BYDAY=MO,WE' }),
  from: z.enum(['due', 'completion']).default('due'),
});
export type Recurrence = z.infer<typeof recurrence>;

export const createTaskBody = z
  .strictObject({
    title,
    description: description.default(''),
    priority: z.enum(PRIORITIES).default('none'),
    tags: tags.default([]),
    dueAt: dateTime.nullable().default(null),
    timeZone: timeZone.default('UTC'),
    reminders: z.array(reminderInput).max(10, 'at most 10 reminders').default([]),
    recurrence: recurrence.nullable().default(null),
  })
  .meta({ id: 'CreateTask' });
export type CreateTaskInput = z.infer<typeof createTaskBody>;

export const updateTaskBody = z
  .strictObject({
    title: title.optional(),
    description: description.optional(),
    priority: z.enum(PRIORITIES).optional(),
    tags: tags.optional(),
    dueAt: dateTime.nullable().optional(),
    timeZone: timeZone.optional(),
    reminders: z.array(reminderInput).max(10, 'at most 10 reminders').optional(),
    recurrence: recurrence.nullable().optional(),
  })
  .meta({ id: 'UpdateTask' });
export type UpdateTaskInput = z.infer<typeof updateTaskBody>;

export const task = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    completed: z.boolean(),
    completedAt: z.string().nullable(),
    priority: z.enum(PRIORITIES),
    tags: z.array(z.string()),
    dueAt: z.string().nullable(),
    timeZone: z.string(),
    reminders: z.array(reminder),
    recurrence: z.object({ rule: z.string(), from: z.enum(['due', 'completion']) }).nullable(),
    seriesId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof task>;

export const SORTS = ['due', 'priority', 'created', 'updated', 'title'] as const;
export type SortField = (typeof SORTS)[number];
const sortValues = SORTS.flatMap((s) => [s, `-${s}`] as const);

const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');
const commaList = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(200)
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1));

export const listTasksQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  status: z.enum(['open', 'completed', 'all']).default('open'),
  priority: commaList(PRIORITIES).optional(),
  tag: z
    .union([tag, z.array(tag).max(20)])
    .transform((t) => (Array.isArray(t) ? t : [t]))
    .optional(),
  tagMode: z.enum(['any', 'all']).default('any'),
  dueBefore: dateTime.optional(),
  dueAfter: dateTime.optional(),
  overdue: booleanFlag.optional(),
  recurring: booleanFlag.optional(),
  sort: z.enum(sortValues as [string, ...string[]]).default('due'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});
export type ListTasksQuery = z.infer<typeof listTasksQuery>;

export const taskPage = z
  .object({ items: z.array(task), nextCursor: z.string().nullable() })
  .meta({ id: 'TaskPage' });

export const taskIdParams = z.strictObject({ id: z.uuid('must be a task id (UUID)') });
