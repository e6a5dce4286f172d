import { describe, expect, it } from 'vitest';
import { ValidationError } from '../http/errors.js';
import { decodeCursor, encodeCursor, TIMESTAMPTZ_TEXT } from './keyset-cursor.js';

const id = '7f1c2a9e-0000-4000-8000-000000000001';
const isTimestamp = (key: string) => TIMESTAMPTZ_TEXT.test(key);

function refusal(decode: () => unknown): { message: string; path?: string } {
  try {
    decode();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { message: err.message, path: err.errors?.[0]?.path };
  }
  throw new Error('the cursor was accepted');
}

describe('keyset cursors', () => {
  it('give back the position they were made from, microseconds included', () => {
    const position = { order: '-created', key: '2026-03-10 10:00:00.123456+00', id };
    expect(decodeCursor(encodeCursor(position), '-created', isTimestamp)).toEqual(position);
  });

  it('are refused for another order, naming the order they belong to', () => {
    const cursor = encodeCursor({ order: 'due', key: 'infinity', id });
    expect(refusal(() => decodeCursor(cursor, 'title', () => true))).toEqual({
      message: 'The cursor was issued for sort "due", not "title".',
      path: 'cursor',
    });
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON but not an object', Buffer.from('42').toString('base64url')],
    [
      'an id that is not a uuid',
      Buffer.from(JSON.stringify({ s: 'due', v: 'infinity', i: '1' })).toString('base64url'),
    ],
    [
      'a key the order cannot cast',
      Buffer.from(JSON.stringify({ s: 'due', v: "'); DROP TABLE tasks; --", i: id })).toString('base64url'),
    ],
  ])('are refused as a 400 on cursor when they are %s', (_, cursor) => {
    expect(refusal(() => decodeCursor(cursor, 'due', isTimestamp))).toEqual({
      message: 'The cursor is not a cursor returned by this API.',
      path: 'cursor',
    });
  });
});
