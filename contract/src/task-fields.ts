import { parseIsoDuration } from '@todo/recurrence';
import { z } from 'zod';
import { dateTime } from './date-time.js';
import { text } from './text.js';
import { wholeStringPattern } from './whole-string-pattern.js';

// Letters and digits of any script, and _ - . / : +; no white space, control characters or other ASCII
// punctuation. Written without `\p{…}` so ECMA-262 and plain regex engines read it alike: the BMP outside
// spaces, separators and surrogates, which also leaves out characters beyond the BMP (emoji) in both.
const TAG = wholeStringPattern(
  String.raw`[A-Za-z0-9_./:+\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2fff\u3001-\ud7ff\ue000-\ufefe\uff00-\ufffd-]+`,
);

export const tag = z
  .string()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(TAG, 'may contain letters, digits and _ - . / : + only')
  .toLowerCase();

/** At most 20 tags, lower-cased and de-duplicated in the order given. */
export const tags = z
  .array(tag)
  .max(20, 'at most 20 tags')
  .transform((list) => [...new Set(list)]);

export const title = text({ max: 500, nonBlank: true });
export const description = text({ max: 20_000, multiline: true, trim: false });

// An ISO 8601 duration of weeks, or of days and time (at least one figure, units in order, no fractions or
// signs), as parseIsoDuration reads it; that it is at most 366 days is checked on the whole task (422).
const DURATION = wholeStringPattern(
  'P(?:[0-9]{1,6}W|(?=[0-9]|T[0-9])(?:[0-9]{1,6}D)?(?:T(?=[0-9])(?:[0-9]{1,6}H)?(?:[0-9]{1,6}M)?(?:[0-9]{1,6}S)?)?)',
);

/**
 * A reminder as written: at an absolute time or a duration before the due date, never both. The runtime check
 * names the field; the JSON Schema says the same with `oneOf`.
 */
export const reminderInput = z
  .strictObject({
    id: z.uuid().optional(),
    remindAt: dateTime.optional(),
    before: z
      .string()
      .max(40)
      .regex(DURATION, {
        error: (issue) => {
          const parsed = parseIsoDuration(String(issue.input));
          return parsed.ok ? 'must be an ISO 8601 duration' : parsed.message;
        },
      })
      .optional()
      .meta({
        description: 'An ISO 8601 duration of weeks, or days and time, up to 366 days',
        example: 'PT15M',
      }),
  })
  .refine((r) => (r.remindAt === undefined) !== (r.before === undefined), {
    message: 'needs exactly one of remindAt or before',
  })
  .meta({ oneOf: [{ required: ['remindAt'] }, { required: ['before'] }] });
/** A reminder as a client writes it (no id yet for a new one). */
export type ReminderInput = z.input<typeof reminderInput>;

export const reminder = z.object({
  id: z.uuid(),
  remindAt: z.string().optional(),
  before: z.string().optional(),
});
export type Reminder = z.infer<typeof reminder>;

export const RECURRENCE_FROM = ['due', 'completion'] as const;

export const recurrenceInput = z.strictObject({
  // Not free text: the recurrence core parses it and names what is wrong (a DTSTART line, an unknown part).
  rule: z.string().min(1).max(500).meta({ example: 'FREQ=WEEKLY;BYDAY=MO,WE' }),
  from: z.enum(RECURRENCE_FROM).default('due'),
});

export const recurrence = z.object({ rule: z.string(), from: z.enum(RECURRENCE_FROM) });
export type Recurrence = z.infer<typeof recurrence>;
