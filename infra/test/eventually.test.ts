import { describe, expect, it } from 'vitest';
import { EventuallyTimeoutError, eventually } from '../src/testing/index.js';

describe('eventually', () => {
  it('returns what the check returned once it passes, after throws, false and undefined', async () => {
    const answers: unknown[] = [false, undefined, new Error('not yet'), 0];
    const result = await eventually('the answer', () => {
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next as number | false | undefined;
    });
    expect(result).toBe(0);
    expect(answers).toEqual([]);
  });

  it('fails naming what it awaited, with the last failure as the reason and the cause', async () => {
    const failure = new Error('expected 1 to be 2');
    const err = await eventually(
      'the total',
      () => {
        throw failure;
      },
      50,
      10,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventuallyTimeoutError);
    expect((err as Error).message).toBe('the total: not within 50 ms: expected 1 to be 2');
    expect((err as Error).cause).toBe(failure);
  });

  it('fails naming what it awaited when the condition stays false', async () => {
    await expect(eventually('the broker', () => false, 30, 10)).rejects.toThrow(
      'the broker: not within 30 ms',
    );
  });
});
