import { isValidTimeZone, parseRfc3339 } from '@todo/recurrence';
import { z } from 'zod';
import { UNPROCESSABLE } from './problem.js';
import { wholeStringPattern } from './whole-string-pattern.js';

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

// RFC 3339 `date-time` (section 5.6) with years 1970–9999 as written. Digits as [0-9]: `\d` also matches
// other scripts' digits in Python, whose tools read the OpenAPI document.
const RFC3339 = wholeStringPattern(
  String.raw`(?:19[7-9][0-9]|[2-9][0-9]{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])`,
);

/**
 * An RFC 3339 timestamp with an offset, between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z, read by the
 * recurrence core's one RFC 3339 parser and handed on as a UTC instant (`toISOString`): whatever offset a
 * client writes (RFC 3339 allows ±23:59; PostgreSQL only ±15:59), the database only ever sees UTC.
 */
export const dateTime = z
  .string()
  // Each check stops at the first failure: one clear message per field.
  .regex(RFC3339, {
    message: 'must be an RFC 3339 date-time with a time zone offset, between 1970 and 9999',
    abort: true,
  })
  .refine((s) => parseRfc3339(s) !== null, {
    message: 'must be a real calendar date and time',
    abort: true,
    params: UNPROCESSABLE,
  })
  .refine(
    (s) => {
      const t = parseRfc3339(s)?.getTime() ?? Number.NaN;
      return t >= EARLIEST && t <= LATEST;
    },
    { message: 'must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z', params: UNPROCESSABLE },
  )
  .transform((s) => (parseRfc3339(s) as Date).toISOString())
  // The output side documents what the server keeps (and an output-mode JSON Schema can show): a UTC instant.
  .pipe(z.iso.datetime())
  .meta({ format: 'date-time', example: '2030-01-01T09:00:00+01:00' });

// IANA names are letters, digits, "_", "+" and "-" in "/"-separated parts ("America/Argentina/Buenos_Aires").
const ZONE_NAME = wholeStringPattern('[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*');

/** An IANA time-zone name this runtime knows, such as "Europe/Paris" or "UTC". */
export const timeZone = z
  .string()
  .max(64)
  .regex(ZONE_NAME, { message: 'must be an IANA time zone such as "Europe/Paris"', abort: true })
  .refine(isValidTimeZone, {
    message: 'must be an IANA time zone such as "Europe/Paris"',
    params: UNPROCESSABLE,
  })
  .meta({ example: 'America/New_York' });

// Cursors are base64url (RFC 4648 §5) without padding, as the API writes them.
const BASE64URL = wholeStringPattern('[A-Za-z0-9_-]+');

/** An opaque page cursor: only ever one the API returned in `nextCursor`. */
export const cursor = z
  .string()
  .max(512)
  .regex(BASE64URL, 'is not a cursor returned by this API')
  .meta({ description: 'The `nextCursor` of the previous page, as returned.' });
