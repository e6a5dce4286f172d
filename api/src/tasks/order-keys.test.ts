import { generateKeyBetween } from 'fractional-indexing';
import { describe, expect, it } from 'vitest';
import { isOrderKey, newOrderKey, timeOrderKey } from './order-keys.js';

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
