/**
 * An open-loop load generator: requests start on a fixed schedule (one every 1/rate s) whether or not
 * earlier ones have finished, and each latency runs from the request's scheduled start, so time spent
 * queued — in the server, or in the generator when it falls behind — is counted, not hidden (no
 * coordinated omission). How late the generator itself sent each request is reported beside it.
 */
import { percentiles } from './stats.js';

export interface OpenLoopOptions {
  /** Requests per second. */
  rate: number;
  /** Requests scheduled in this first stretch run but are not measured. */
  warmupMs: number;
  durationMs: number;
  /** After the last scheduled start, how long to wait for requests still in flight. */
  drainMs: number;
  /** Sends request `i`; rejects if it failed. */
  op: (i: number) => Promise<unknown>;
}

export interface OpenLoopResult {
  offered: number;
  /** Measured completions per second, from the first measured start to the last measured completion. */
  achieved: number;
  completed: number;
  errors: number;
  /** Measured requests still in flight when the drain time ran out (counted as infinitely slow). */
  unfinished: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** How late the generator sent requests against their schedule, ms. */
  lagP99: number;
  lagMax: number;
  /** The index `i` of the first measured request. */
  firstMeasured: number;
  /** Latency of measured request `firstMeasured + m` at m, ms: NaN if it failed, Infinity if unfinished. */
  latencies: Float64Array;
}

/** Above this p99 send lag the generator, not the server, may be what a latency shows. */
export const SCHEDULE_SLACK_MS = 5;

export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const interval = 1000 / o.rate;
  const total = Math.round((o.rate * (o.warmupMs + o.durationMs)) / 1000);
  const firstMeasured = Math.round((o.rate * o.warmupMs) / 1000);
  const measured = total - firstMeasured;
  const latencies = new Float64Array(measured).fill(Number.POSITIVE_INFINITY);
  const lags: number[] = [];
  let completed = 0;
  let errors = 0;
  let inFlight = 0;
  let lastDone = 0;
  let drained: (() => void) | undefined;
  const start = performance.now() + 1;
  const measuredStart = start + firstMeasured * interval;

  const fire = (i: number) => {
    const scheduled = start + i * interval;
    const m = i - firstMeasured;
    if (m >= 0) lags.push(performance.now() - scheduled);
    inFlight++;
    o.op(i)
      .then(
        () => {
          if (m < 0) return;
          lastDone = performance.now();
          latencies[m] = lastDone - scheduled;
          completed++;
        },
        () => {
          if (m < 0) return;
          latencies[m] = Number.NaN;
          errors++;
        },
      )
      .finally(() => {
        if (--inFlight === 0) drained?.();
      });
  };

  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      while (next < total && start + next * interval <= performance.now()) fire(next++);
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    setTimeout(tick, 1);
  });
  if (inFlight > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, o.drainMs);
      drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  // A snapshot: requests that finish after the drain must not change what was reported.
  const snapshot = latencies.slice();
  const answered = [...snapshot].filter((ms) => !Number.isNaN(ms));
  return {
    offered: o.rate,
    achieved: completed / ((lastDone - measuredStart) / 1000),
    completed,
    errors,
    unfinished: measured - completed - errors,
    ...percentiles(answered),
    max: answered.reduce((a, b) => Math.max(a, b), 0),
    lagP99: percentiles(lags).p99,
    lagMax: lags.reduce((a, b) => Math.max(a, b), 0),
    firstMeasured,
    latencies: snapshot,
  };
}
