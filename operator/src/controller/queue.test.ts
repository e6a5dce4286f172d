import { describe, expect, it } from 'vitest';
import { backoffDelay, WorkQueue } from './queue.js';

const fast = { baseDelayMs: 5, maxDelayMs: 300_000 };

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
    expect([q.addWithBackoff('a'), q.addWithBackoff('a'), q.addWithBackoff('a')]).toEqual([5, 10, 20]);
    q.forget('a');
    expect(q.addWithBackoff('a')).toBe(5);
    q.shutdown();
  });

  it("caps a key's backoff at the ceiling its error asks for", () => {
    const q = new WorkQueue(fast);
    for (let i = 0; i < 20; i++) q.addWithBackoff('a', 30_000);
    expect(q.addWithBackoff('a', 30_000)).toBe(30_000);
    expect(q.addWithBackoff('a')).toBe(300_000);
    q.shutdown();
  });
});
