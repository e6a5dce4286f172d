import { z } from 'zod';

export const fieldError = z.object({ path: z.string(), message: z.string() });
/** One invalid field of a request, by its dotted path ("reminders.0.before"). */
export type FieldError = z.infer<typeof fieldError>;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(fieldError).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
/** Every error response: `application/problem+json` (RFC 9457). */
export type Problem = z.infer<typeof problemSchema>;
