/**
 * bench:export-memory — how much the API process's resident memory grows while it streams an export.
 * Seeds one account with 20,000 tasks and one with 100,000 (EXPORT_BENCH_TASKS overrides the larger), starts
 * the built API as `npm start` runs it, downloads each account's JSON and CSV export over HTTP and samples
 * the process's RSS (/proc) every 5 ms. A flat export grows about as much for 100,000 tasks as for 20,000.
 * Prints figures only; nothing is asserted.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createDatabase, usePostgres } from '@todo/infra';
import { buildApi, seed, startApi } from './api-under-test.js';
import { fmt } from './stats.js';

const SIZES = [20_000, Number(process.env.EXPORT_BENCH_TASKS ?? 100_000)];

/** The process's resident set, in MiB. */
function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

async function main() {
  buildApi();
  const pg = await usePostgres();
  try {
    const url = await createDatabase(pg.url, `export_${randomBytes(4).toString('hex')}`);
    const users: string[] = [];
    for (const size of SIZES) users.push(...(await seed(url, 1, size)));
    const api = await startApi(url, users, 4);
    const pid = api.process.pid!;
    try {
      console.log('tasks     format  bytes (MiB)  seconds  RSS before  peak RSS  growth (MiB)');
      for (const [i, user] of users.entries()) {
        for (const format of ['json', 'csv']) {
          const before = rssMiB(pid);
          let peak = before;
          const sampler = setInterval(() => {
            peak = Math.max(peak, rssMiB(pid));
          }, 5);
          const started = performance.now();
          const res = await fetch(`${api.base}/api/v1/export?format=${format}`, {
            headers: { authorization: `Bearer ${api.tokenOf.get(user)}` },
          });
          if (!res.ok || !res.body) throw new Error(`export → ${res.status} ${await res.text()}`);
          let bytes = 0;
          for await (const chunk of res.body) bytes += chunk.length;
          const seconds = (performance.now() - started) / 1000;
          clearInterval(sampler);
          peak = Math.max(peak, rssMiB(pid));
          console.log(
            `${String(SIZES[i]).padEnd(9)} ${format.padEnd(7)} ${fmt(bytes / 2 ** 20, 1).padStart(11)}  ${fmt(seconds, 2).padStart(7)}  ${fmt(before, 0).padStart(10)}  ${fmt(peak, 0).padStart(8)}  ${fmt(peak - before, 0).padStart(12)}`,
          );
        }
      }
    } finally {
      await api.stop();
    }
  } finally {
    await pg.stop();
  }
}

await main();
