import { describe, expect, it } from 'vitest';
import { containsFields, isUpToDate, withDesiredHash } from './drift.js';

describe('containsFields', () => {
  it.each([
    ['server defaults added', { a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } }, true],
    ['a value changed', { a: 1, b: { c: 5 } }, { b: { c: 2 } }, false],
    ['a field missing', { a: 1 }, { b: 1 }, false],
    ['arrays compared item by item', { l: [{ x: 1, y: 2 }] }, { l: [{ x: 1 }] }, true],
    ['an extra array item', { l: [1, 2] }, { l: [1] }, false],
  ])('%s → %s', (_, actual, desired, expected) => {
    expect(containsFields(actual, desired)).toBe(expected);
  });
});

describe('isUpToDate', () => {
  const desired = withDesiredHash({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x' },
    data: { A: '1' },
  });

  it('is true for the object the server returned after applying it, with its extra fields', () => {
    const observed = { ...desired, metadata: { ...desired.metadata, uid: 'u', resourceVersion: '7' } };
    expect(isUpToDate(observed, desired)).toBe(true);
  });

  it('is false when the object is missing, edited, or the desired content changed', () => {
    expect(isUpToDate(undefined, desired)).toBe(false);
    expect(isUpToDate({ ...desired, data: { A: '2' } }, desired)).toBe(false);
    const next = withDesiredHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {} });
    // Removing a key keeps the old object a superset; only the hash reveals the change.
    expect(isUpToDate(desired, next)).toBe(false);
  });
});
