import { describe, expect, it } from 'vitest';
import { retryOnPortClash } from '../src/process.js';

/** A start function that fails with the given errors in turn, then succeeds; counts its calls. */
function flaky(errors: string[]) {
  let calls = 0;
  const start = async () => {
    const error = errors[calls++];
    if (error !== undefined) throw new Error(error);
    return 'started';
  };
  return { start, calls: () => calls };
}

describe('starting a server again when its port was taken', () => {
  it('tries again on fresh ports after a clash, as often as allowed', async () => {
    const s = flaky([
      'Kafka did not start: java.net.BindException: Address already in use',
      'listen EADDRINUSE',
    ]);
    await expect(retryOnPortClash(s.start)).resolves.toBe('started');
    expect(s.calls()).toBe(3);
  });

  it('gives up after the last attempt with the last error', async () => {
    const s = flaky(['Address already in use', 'Address already in use', 'Address already in use (third)']);
    await expect(retryOnPortClash(s.start)).rejects.toThrow('third');
    expect(s.calls()).toBe(3);
  });

  it('does not retry any other failure', async () => {
    const s = flaky(['Java not found']);
    await expect(retryOnPortClash(s.start)).rejects.toThrow('Java not found');
    expect(s.calls()).toBe(1);
  });
});
