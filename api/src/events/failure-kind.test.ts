import { describe, expect, it } from 'vitest';
import { type FailureKind, failureKind, isContention } from './failure-kind.js';

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
    ['the database closed to connections (55000)', withCode('55000'), 'transient'],
    ['the connection failed (08006)', withCode('08006'), 'transient'],
    ['nobody listens (ECONNREFUSED)', withCode('ECONNREFUSED'), 'transient'],
    ['the pool lost its connection', new Error('Connection terminated unexpectedly'), 'transient'],
    ['no connection made in time', new Error('Connection terminated due to connection timeout'), 'transient'],
    ['no pooled connection free in time', new Error('timeout exceeded when trying to connect'), 'transient'],
    ['an undefined column: a bug (42703)', withCode('42703'), 'unknown'],
    ['a plain error', new Error('boom'), 'unknown'],
    ['a thrown string', 'boom', 'unknown'],
  ])('%s', (_, err, kind) => {
    expect(failureKind(err, (e) => e instanceof BadData)).toBe(kind);
  });
});

describe('isContention', () => {
  it.each<[string, unknown, boolean]>([
    ['a serialization failure (40001)', withCode('40001'), true],
    ['a deadlock (40P01)', withCode('40P01'), true],
    ['a lock not granted (55P03)', withCode('55P03'), true],
    ['a statement cancelled by its timeout (57014)', withCode('57014'), true],
    ['the server is shutting down (57P01)', withCode('57P01'), false],
    ['the server is starting up (57P03)', withCode('57P03'), false],
    [
      'the database closed to connections (55000, FATAL at connect)',
      Object.assign(withCode('55000', 'database "t" is not currently accepting connections'), {
        severity: 'FATAL',
      }),
      false,
    ],
    [
      'a serialization failure that ended the session (FATAL)',
      Object.assign(withCode('40001'), { severity: 'FATAL' }),
      false,
    ],
    ['too many connections (53300)', withCode('53300'), false],
    ['the connection failed (08006)', withCode('08006'), false],
    ['nobody listens (ECONNREFUSED)', withCode('ECONNREFUSED'), false],
    ['the sidecar did not answer (ETIMEDOUT)', withCode('ETIMEDOUT'), false],
    ['the pool lost its connection', new Error('Connection terminated unexpectedly'), false],
  ])('%s', (_, err, contention) => {
    expect(isContention(err)).toBe(contention);
  });
});
