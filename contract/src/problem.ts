import { z } from 'zod';

const fieldError = z.object({ path: z.string(), message: z.string() });
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
/**
 * Params of a refinement the OpenAPI document cannot state (a date that does not exist, a zone the tz database
 * lacks): a request that fails only such rules matches the document, so it is answered 422, not 400.
 */
export const UNPROCESSABLE = { unprocessable: true } as const;

/** Every error response: `application/problem+json` (RFC 9457). */
export type Problem = z.infer<typeof problemSchema>;
