import { generateKeyBetween } from 'fractional-indexing';
import { describe, expect, it } from 'vitest';
import { isOrderKey, MAX_ORDER_KEY_LENGTH, newOrderKey, rekeyAround, timeOrderKey } from './order-keys.js';

describe('order keys of new tasks', () => {
  it.each([
    [0n, 'i000000000'],
    [61n, 'i00000000z'],
    [62n, 'i000000010'],
    [1_700_000_000_000_000n, 'i7mjS6b2rg'],
  ])('writes %s microseconds as a fractional-indexing integer key', (micros, key) => {
    expect(timeOrderKey(micros)).toBe(key);
  });

  it('gives keys the library accepts, later instants sorting later', () => {
    const earlier = timeOrderKey(1_700_000_000_000_000n);
    const later = timeOrderKey(1_700_000_000_000_001n);
    expect(earlier < later).toBe(true);
    expect(generateKeyBetween(earlier, later) > earlier).toBe(true);
    expect(generateKeyBetween(later, null) > later).toBe(true);
    expect(generateKeyBetween(null, earlier) < earlier).toBe(true);
  });

  it('never gives the same key twice in one process, even within one millisecond', () => {
    const keys = Array.from({ length: 1000 }, () => newOrderKey(1_800_000_000_000));
    expect(new Set(keys).size).toBe(1000);
    expect([...keys].sort()).toEqual(keys);
  });
});

describe('order keys from elsewhere', () => {
  it.each([
    ['a0', true],
    ['i7mjS6b2rg', true],
    ['a0V', true],
    ['a00', false],
    ['b0', false],
    ['0', false],
    ['', false],
  ])('%s is a valid key: %s', (key, valid) => {
    expect(isOrderKey(key)).toBe(valid);
  });
});

describe('re-keying around a gap that has grown too long', () => {
  const sorted = (keys: readonly string[]) => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  it('re-keys only the run of long keys, keeping the order, the moved task in its place', () => {
    let a = 'a0';
    const b = 'a1';
    let long = generateKeyBetween(a, b);
    for (let i = 0; i < 400; i++) long = generateKeyBetween(a, long);
    expect(long.length).toBeGreaterThan(MAX_ORDER_KEY_LENGTH);
    const siblings = [
      { id: 'first', order: 'a0' },
      { id: 'long', order: long },
      { id: 'last', order: b },
    ];
    a = 'a0';
    const run = rekeyAround(siblings, 'moved', a);
    expect(run.map((r) => r.id)).toEqual(['moved', 'long']);
    expect(run.every((r) => r.order.length <= MAX_ORDER_KEY_LENGTH && r.order > a && r.order < b)).toBe(true);
    expect(sorted(run.map((r) => r.order))).toEqual(run.map((r) => r.order));
  });

  it('takes the whole list when every key is long, and puts the task first for no lower bound', () => {
    const long = (i: number) => `a0${'V'.repeat(70)}${i}`;
    const siblings = [1, 2, 3].map((i) => ({ id: `s${i}`, order: long(i) }));
    const run = rekeyAround(siblings, 'moved', null);
    expect(run.map((r) => r.id)).toEqual(['moved', 's1', 's2', 's3']);
    expect(sorted(run.map((r) => r.order))).toEqual(run.map((r) => r.order));
    expect(Math.max(...run.map((r) => r.order.length))).toBeLessThanOrEqual(16);
  });

  it('puts the task after siblings with equal keys (two created in one microsecond) when they are its lower bound', () => {
    const siblings = [
      { id: 'x', order: 'a1' },
      { id: 'y', order: 'a1' },
      { id: 'z', order: 'a2' },
    ];
    const run = rekeyAround(siblings, 'moved', 'a1');
    expect(run).toHaveLength(1);
    expect(run[0]!.id).toBe('moved');
    expect(run[0]!.order > 'a1' && run[0]!.order < 'a2').toBe(true);
  });
});
