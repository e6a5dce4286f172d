import { ValidationError } from '../http/errors.js';

/**
 * Where a keyset page ended: the order it belongs to, the last row's exact sort key as PostgreSQL text
 * (so no precision is lost between pages), and the last row's id, which breaks ties.
 */
export interface KeysetPosition {
  order: string;
  key: string;
  id: string;
}

/** The text PostgreSQL gives for a timestamptz (`::text`), including the infinities the task sorts use. */
export const TIMESTAMPTZ_TEXT =
  /^(-?infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2})$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_KEY_LENGTH = 600;

interface CursorPayload {
  s: string;
  v: string;
  i: string;
}

/** The opaque `nextCursor` of a list response. */
export function encodeCursor({ order, key, id }: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ s: order, v: key, i: id } satisfies CursorPayload)).toString(
    'base64url',
  );
}

/**
 * Reads a cursor back for the list's current order; a cursor of another order or list, or a key that
 * `isKey` refuses, is a 400 naming `cursor`, never a database error.
 */
export function decodeCursor(cursor: string, order: string, isKey: (key: string) => boolean): KeysetPosition {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('is not a cursor returned by this API');
  }
  const { s, v, i } = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<
    string,
    unknown
  >;
  if (
    typeof s !== 'string' ||
    typeof v !== 'string' ||
    typeof i !== 'string' ||
    !UUID.test(i) ||
    v.length > MAX_KEY_LENGTH
  ) {
    throw invalidCursor('is not a cursor returned by this API');
  }
  if (s !== order) throw invalidCursor(`was issued for sort "${s}", not "${order}"`);
  if (!isKey(v)) throw invalidCursor('is not a cursor returned by this API');
  return { order: s, key: v, id: i };
}

/** A well-formed cursor (the schema checks its alphabet) that this API did not issue for this list: 422. */
function invalidCursor(message: string): ValidationError {
  return new ValidationError(`The cursor ${message}.`, [{ path: 'cursor', message }]);
}
