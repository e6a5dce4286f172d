/**
 * The operator's consumer watchdog (operator/src/watchdog/), played by a test while it waits for what a fault held
 * up. daprd's Kafka consumer can stop delivering a partition after its group rebalances while a delivery is being
 * retried (dapr/components-contrib#4349, #4580; docs/events.md, "A consumer that stops"); in a cluster the watchdog
 * restarts the pods after 180 s of a committed offset that does not move. Here the same judge, with the same
 * reading of the tenant's groups, decides sooner (`stallMs`), counts a group that keeps rebalancing too (the fault
 * is over, so its members should be consuming), and restarts the sidecars only: the API processes stay, so a
 * stall of ours (an API that stopped answering) is not mended by it, and still fails the test.
 */

import type { TodoApp } from '@todo/operator/desired';
import {
  type ConsumerGroupLag,
  consumerGroups,
  type GroupWatch,
  judgeGroup,
  readConsumerLag,
} from '@todo/operator/testing';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { Replica } from './replica.js';

export interface ConsumerWatch {
  /**
   * Resolves (or rejects) as `wait` does; meanwhile samples the tenant's consumer groups every `everyMs` and, when a
   * partition has records after a committed offset that has not moved for `stallMs`, restarts every replica's
   * sidecar (at most `maxRestarts` times) and says so on stderr, with what the groups and sidecars showed.
   */
  recovering<T>(wait: Promise<T>): Promise<T>;
  /** One line per restart this watch made (empty when the sidecars recovered on their own). */
  readonly restarts: readonly string[];
  /** The groups as the last samples showed them, oldest first (a failure report's account). */
  readonly recent: readonly string[];
  close(): Promise<void>;
}

export interface ConsumerWatchOptions {
  readonly brokers: string[];
  readonly app: TodoApp;
  readonly replicas: () => readonly Replica[];
  readonly stallMs?: number;
  readonly everyMs?: number;
  readonly maxRestarts?: number;
}

const describeGroup = (g: ConsumerGroupLag) =>
  `${g.groupId} ${g.state} members=${g.members} ${g.partitions
    .map((p) => `${p.topic}/${p.partition}@${p.committed}..${p.end}`)
    .join(' ')}`;

export async function watchConsumers(o: ConsumerWatchOptions): Promise<ConsumerWatch> {
  // E2E_WATCHDOG_STALL_MS (say 1000) makes the watch restart the sidecars in every wait, to try the restart itself.
  const {
    stallMs = Number(process.env.E2E_WATCHDOG_STALL_MS) || 30_000,
    everyMs = 2_000,
    maxRestarts = 2,
  } = o;
  const admin: Admin = new Kafka({
    brokers: o.brokers,
    clientId: 'e2e-watchdog',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const groups = consumerGroups(o.app);
  const restarts: string[] = [];
  const recent: string[] = [];

  async function restartSidecars(why: string) {
    const logs = await Promise.all(
      o
        .replicas()
        .map(async (r) => `--- daprd ${r.name} (before its restart) ---\n${await r.sidecar.logTail()}`),
    );
    restarts.push(why);
    console.warn(
      `e2e watchdog: ${why}; restarting the sidecars, as the operator would restart the pods\n${logs.join('\n')}`,
    );
    for (const r of o.replicas()) {
      await r.sidecar.stopSidecar();
      await r.sidecar.startSidecar();
      await r.sidecar.appConnected();
    }
  }

  return {
    restarts,
    recent,
    async recovering<T>(wait: Promise<T>): Promise<T> {
      let settled = false;
      const done = wait.finally(() => {
        settled = true;
      });
      let watches = new Map<string, GroupWatch>();
      let ownRestarts = 0;
      while (!settled) {
        await Promise.race([done.catch(() => undefined), new Promise((r) => setTimeout(r, everyMs))]);
        if (settled) break;
        const sample = await readConsumerLag(admin, groups).catch(() => undefined);
        recent.push(
          `${new Date().toISOString()} ${sample ? sample.map(describeGroup).join(' | ') : '(could not read the groups)'}`,
        );
        recent.splice(0, recent.length - 6);
        if (!sample) continue;
        const now = Date.now();
        const next = new Map<string, GroupWatch>();
        const stalled: string[] = [];
        for (const group of sample) {
          const judged = judgeGroup(watches.get(group.groupId), group, now, stallMs, { anyState: true });
          next.set(group.groupId, judged.watch);
          if (judged.stalled.length) stalled.push(describeGroup(group));
        }
        watches = next;
        if (stalled.length && ownRestarts < maxRestarts) {
          ownRestarts++;
          await restartSidecars(`no progress for ${stallMs} ms: ${stalled.join('; ')}`).catch(
            (err: unknown) => {
              // The test fails with the restart's error; the wait's own outcome no longer matters.
              done.catch(() => undefined);
              throw err;
            },
          );
          watches = new Map();
        }
      }
      return done;
    },
    async close() {
      await admin.disconnect();
    },
  };
}
