import { describe, expect, it } from 'vitest';
import { type FailureKind, failureKind } from './failure-kind.js';

class BadData extends Error {}
const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('failureKind', () => {
  it.each<[string, unknown, FailureKind]>([
    ['the caller marks it as bad data', new BadData('no task'), 'permanent'],
    ['invalid text for a uuid (22P02)', withCode('22P02'), 'permanent'],
    ['a value out of range (22003)', withCode('22003'), 'permanent'],
    ['a foreign key or check violation (23503)', withCode('23503'), 'permanent'],
    ['the server is shutting down (57P01)', withCode('57P01'), 'transient'],
    ['a serialization failure (40001)', withCode('40001'), 'transient'],
    ['a deadlock (40P01)', withCode('40P01'), 'transient'],
    ['too many connections (53300)', withCode('53300'), 'transient'],
    ['the connection failed (08006)', withCode('08006'), 'transient'],
    ['nobody listens (ECONNREFUSED)', withCode('ECONNREFUSED'), 'transient'],
    ['the pool lost its connection', new Error('Connection terminated unexpectedly'), 'transient'],
    ['an undefined column: a bug (42703)', withCode('42703'), 'unknown'],
    ['a plain error', new Error('boom'), 'unknown'],
    ['a thrown string', 'boom', 'unknown'],
  ])('%s', (_, err, kind) => {
    expect(failureKind(err, (e) => e instanceof BadData)).toBe(kind);
  });
});
