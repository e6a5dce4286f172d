import { isValidTimeZone, parseRfc3339 } from '@todo/recurrence';
import { z } from 'zod';
import { UNPROCESSABLE } from './problem.js';
import { wholeStringPattern } from './whole-string-pattern.js';

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

// RFC 3339 `date-time` (section 5.6) within 1970-01-01T00:00:00Z–9999-12-31T23:59:59Z, said in the pattern
// so that JSON Schema tools know the range too: any offset on the days between, and on the first and last day
// only offsets that cannot cross the bound (on 1970-01-01 none ahead of UTC, on 9999-12-31 none behind it).
// Digits as [0-9]: `\d` also matches other scripts' digits in Python, whose tools read the OpenAPI document.
const DAY = '(?:0[1-9]|[12][0-9]|3[01])';
const MONTH_DAY = `(?:0[1-9]|1[0-2])-${DAY}`;
const DAYS_BETWEEN = [
  `(?:197[1-9]|19[89][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-${MONTH_DAY}`,
  `1970-(?:01-(?:0[2-9]|[12][0-9]|3[01])|(?:0[2-9]|1[0-2])-${DAY})`,
  `9999-(?:(?:0[1-9]|1[01])-${DAY}|12-(?:0[1-9]|[12][0-9]|30))`,
].join('|');
const TIME = String.raw`[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?`;
const HOURS_MINUTES = '(?:[01][0-9]|2[0-3]):[0-5][0-9]';
const RFC3339 = wholeStringPattern(
  [
    `(?:${DAYS_BETWEEN})${TIME}(?:[Zz]|[+-]${HOURS_MINUTES})`,
    `1970-01-01${TIME}(?:[Zz]|[+-]00:00|-${HOURS_MINUTES})`,
    `9999-12-31${TIME}(?:[Zz]|[+-]00:00|\\+${HOURS_MINUTES})`,
  ].join('|'),
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
    message:
      'must be an RFC 3339 date-time with a time zone offset, between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z',
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
