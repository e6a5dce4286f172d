import { describe, expect, it } from 'vitest';
import { backoffDelay, WorkQueue } from './queue.js';

const fast = { baseDelayMs: 5, maxDelayMs: 300_000, ratePerSecond: 1000, burst: 1000 };

describe('backoffDelay', () => {
  it.each([
    [1, 5],
    [2, 10],
    [5, 80],
    [30, 300_000],
  ])('after %i failures waits %i ms', (failures, ms) => {
    expect(backoffDelay(failures, fast)).toBe(ms);
  });
});

describe('WorkQueue', () => {
  it('hands out a key queued many times only once', async () => {
    const q = new WorkQueue(fast);
    for (let i = 0; i < 5; i++) q.add('a');
    q.add('b');
    expect((await q.get())?.key).toBe('a');
    expect((await q.get())?.key).toBe('b');
    expect(q.stats().depth).toBe(0);
  });

  it('never gives a key to a second worker while the first has it, and re-queues it after', async () => {
    const q = new WorkQueue(fast);
    q.add('a');
    const first = await q.get();
    q.add('a');
    expect(q.stats()).toEqual({ depth: 0, processing: 1 });
    q.done(first?.key ?? '');
    expect((await q.get())?.key).toBe('a');
  });

  it('retries a failing key later and later, and forgets its failures after a success', async () => {
    const q = new WorkQueue(fast);
    expect([q.addRateLimited('a'), q.addRateLimited('a'), q.addRateLimited('a')]).toEqual([5, 10, 20]);
    q.forget('a');
    expect(q.addRateLimited('a')).toBe(5);
    q.shutdown();
  });

  it('limits the overall rate', async () => {
    const q = new WorkQueue({ ...fast, ratePerSecond: 20, burst: 1 });
    for (const k of ['a', 'b', 'c']) q.add(k);
    const started = Date.now();
    for (let i = 0; i < 3; i++) q.done((await q.get())?.key ?? '');
    // Burst of 1, then 20/s: the 2nd and 3rd keys wait ~50 ms each.
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});
