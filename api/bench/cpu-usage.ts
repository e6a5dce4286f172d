/** CPU time of the processes in a benchmark (Linux `/proc`), to say where two cores went during a phase. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface Stat {
  ppid: number;
  seconds: number;
  /** CPU of its children that have exited (and been waited for). */
  reapedSeconds: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ticks = (i: number) => Number(fields[i]) / TICKS_PER_SECOND;
    return { ppid: Number(fields[1]), seconds: ticks(11) + ticks(12), reapedSeconds: ticks(13) + ticks(14) };
  } catch {
    return undefined; // the process has exited
  }
}

/**
 * CPU seconds used so far by a process and its children, live or exited (PostgreSQL: the postmaster, its
 * backends and workers, including autovacuum workers that came and went).
 */
export function treeCpuSeconds(pid: number): number {
  const own = stat(pid);
  let total = own ? own.seconds + own.reapedSeconds : 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s?.ppid === pid) total += s.seconds;
  }
  return total;
}

/** This process's CPU seconds (every thread). */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

export type CpuShares = Record<string, number>;

/** Measures, over a stretch of time, each named meter's CPU use as a percentage of one core. */
export function cpuMeter(meters: Record<string, () => number>): () => CpuShares {
  const t0 = performance.now();
  const before = Object.fromEntries(Object.entries(meters).map(([name, read]) => [name, read()]));
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    return Object.fromEntries(
      Object.entries(meters).map(([name, read]) => [name, (100 * (read() - before[name]!)) / seconds]),
    );
  };
}

/** CPU seconds every core of the machine has spent busy (not idle, not waiting for I/O). */
export function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks as number[];
  return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_SECOND;
}

/** A process's resident set size now, in bytes (0 once it has exited). */
export function rssBytes(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every `everyMs` until `stop()`, which returns the peak seen (bytes). */
export function rssSampler(pid: number, everyMs = 250): { stop(): number } {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssBytes(pid));
    },
  };
}
