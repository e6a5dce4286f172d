/**
 * The architecture's promise, end to end on real pieces: two API replicas (the built API, as its image runs it),
 * each behind its own real daprd, on real PostgreSQL, real Kafka and Dapr's scheduler, EVENT_BUS=dapr and
 * REMINDER_BACKEND=dapr-jobs, app and Dapr API tokens on. The sidecars' components and the API's environment
 * are what the operator renders for a sample TodoApp (its Components and Resiliency, its tokens, the pod's app
 * health check as daprd flags), so this proves that what the operator deploys runs. Everything is observed
 * through the public REST API and the SSE stream, Kafka's dead-letter topic, and faults injected at PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { allTopicNames, type CloudEvent, cloudEvent, deadLetterTopicName, topicName } from '@todo/contract';
import {
  createDatabase,
  type KafkaAccess,
  type PostgresAccess,
  type SchedulerServer,
  startScheduler,
  tempDir,
  useKafka,
  usePostgres,
} from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import { DELIVERY_RETRY } from '@todo/operator/desired';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerWatch, watchConsumers } from './support/consumer-watch.js';
import { readDeadLetters } from './support/dead-letters.js';
import { databaseOutage, type NotificationFaults, notificationFaults } from './support/faults.js';
import { type Replica, startReplica } from './support/replica.js';
import { openStream, type Rest, restClient, signUp } from './support/rest.js';
import { type RenderedTenant, renderTenant } from './support/tenant.js';

interface Task {
  id: string;
  title: string;
  seriesId: string | null;
  completed: boolean;
  dueAt: string | null;
  reminders: { id: string; remindAt?: string }[];
}
interface Notification {
  id: string;
  type: string;
  taskId: string;
  title: string;
  createdAt: string;
}

let postgres: PostgresAccess;
let kafka: KafkaAccess;
let scheduler: SchedulerServer;
let dir: string;
const replicas: Replica[] = [];
let a: Replica;
let b: Replica;
let appToken: string;
let tenant: RenderedTenant;
let topicPrefix: string;
let faults: NotificationFaults;
let databaseName: string;
let databaseUrl: string;
let deadLetters: Awaited<ReturnType<typeof readDeadLetters>>;
let consumers: ConsumerWatch;

beforeAll(async () => {
  [postgres, kafka, scheduler] = await Promise.all([usePostgres(), useKafka(), startScheduler()]);
  dir = await tempDir('e2e');
  topicPrefix = `e2e${randomBytes(3).toString('hex')}`;
  databaseName = `e2e_${randomBytes(4).toString('hex')}`;
  databaseUrl = await createDatabase(postgres.url, databaseName);
  appToken = randomBytes(32).toString('base64url');
  tenant = await renderTenant(
    { name: 'acme', namespace: 'tenants', replicas: 2, brokers: kafka.brokers, topicPrefix, databaseUrl },
    dir,
    {
      app: appToken,
      jwt: randomBytes(32).toString('base64url'),
      daprApi: randomBytes(32).toString('base64url'),
    },
  );
  // The operator creates the tenant's topics, its dead letters' included (the broker never auto-creates them).
  const admin = new Kafka({ brokers: kafka.brokers, clientId: 'e2e', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({
    topics: allTopicNames(topicPrefix).map((topic) => ({ topic, numPartitions: 3 })),
    waitForLeaders: true,
  });
  await admin.disconnect();
  for (const name of ['a', 'b'])
    replicas.push(
      await startReplica({
        name,
        appId: tenant.appId,
        resourcesPath: tenant.resourcesPath,
        schedulerAddress: scheduler.address,
        apiEnv: tenant.apiEnv,
        sidecarEnv: tenant.sidecarEnv,
        sidecarArgs: tenant.sidecarArgs,
      }),
    );
  [a, b] = replicas as [Replica, Replica];
  // The API has migrated the tenant's database by now.
  faults = await notificationFaults(databaseUrl);
  deadLetters = await readDeadLetters(kafka.brokers, deadLetterTopicName(topicPrefix));
  consumers = await watchConsumers({ brokers: kafka.brokers, app: tenant.app, replicas: () => replicas });
}, 300_000);

afterAll(async () => {
  await consumers?.close();
  await deadLetters?.close();
  await faults?.close();
  for (const r of replicas) await r.stop();
  await scheduler?.stop();
  await kafka?.stop();
  await postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A new user, with a client on each replica. */
async function user(): Promise<{ token: string; userId: string; onA: Rest; onB: Rest }> {
  const { token, userId } = await signUp(a.api.url, `u${randomBytes(4).toString('hex')}@example.com`);
  return { token, userId, onA: restClient(() => a.api.url, token), onB: restClient(() => b.api.url, token) };
}

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

async function notificationsOf(rest: Rest, taskId: string): Promise<Notification[]> {
  const { items } = await rest.call<{ items: Notification[] }>('GET', '/notifications');
  return items.filter((n) => n.taskId === taskId);
}

describe('two API replicas behind real Dapr sidecars, configured by the operator', () => {
  it('handles a task created on replica A in the subscribers, and streams it live to a client on replica B', async () => {
    const { token, onA, onB } = await user();
    const stream = await openStream(b.api.url, token);
    try {
      const task = await onA.call<Task>('POST', '/tasks', { title: 'through the sidecars' });
      await eventually(
        'task.created on the stream of replica B',
        () => stream.events.some((e) => e.event === 'task.created' && e.data.id === task.id),
        30_000,
      );
      // The audit trail is written by the task-events subscriber, whichever replica Kafka gave the event to.
      const { items } = await eventually(
        'the audit trail entry',
        async () => {
          const page = await onB.call<{ items: { type: string; taskId: string }[] }>('GET', '/activity');
          expect(page.items.filter((i) => i.taskId === task.id)).toHaveLength(1);
          return page;
        },
        30_000,
      );
      expect(items.find((i) => i.taskId === task.id)?.type).toBe('task.created');
      await onB.call('PATCH', `/tasks/${task.id}`, { priority: 'high' });
      await eventually(
        'task.updated on the stream of replica B',
        () => stream.events.some((e) => e.event === 'task.updated' && e.data.id === task.id),
        30_000,
      );
    } finally {
      await stream.close();
    }
  });

  it('makes exactly one next occurrence of a recurring task, also when the completion is retried on the other replica', async () => {
    const { onA, onB } = await user();
    const first = await onA.call<Task>('POST', '/tasks', {
      title: 'water the plants',
      dueAt: '2030-01-01T09:00:00Z',
      recurrence: { rule: 'FREQ=DAILY' },
    });
    await onA.call('POST', `/tasks/${first.id}/complete`);
    await onB.call('POST', `/tasks/${first.id}/complete`);
    const series = async () =>
      (await onB.call<{ items: Task[] }>('GET', '/tasks?status=all&recurring=true')).items.filter(
        (t) => t.seriesId === first.seriesId,
      );
    const next = await eventually(
      'the next occurrence',
      async () => {
        const open = (await series()).filter((t) => !t.completed);
        expect(open).toHaveLength(1);
        return open[0]!;
      },
      30_000,
    );
    expect(next.dueAt).toBe('2030-01-02T09:00:00.000Z');
    // The successor's own created event has gone through the subscribers too: later than any duplicate effect
    // of the completion would have been made.
    await eventually(
      "the successor's audit entry",
      async () => {
        const page = await onA.call<{ items: { taskId: string }[] }>('GET', '/activity');
        return page.items.some((i) => i.taskId === next.id);
      },
      30_000,
    );
    expect((await series()).map((t) => t.id).sort()).toEqual([first.id, next.id].sort());
  });

  it('fires a Jobs API reminder once, on time, as one notification', async () => {
    const { onA, onB } = await user();
    const remindAt = inSeconds(4);
    const task = await onA.call<Task>('POST', '/tasks', {
      title: 'call the plumber',
      dueAt: inSeconds(60),
      reminders: [{ remindAt }],
    });
    // A later reminder on the same sidecars: once it has fired, the first has had every chance to fire twice.
    const later = await onB.call<Task>('POST', '/tasks', {
      title: 'sentinel',
      dueAt: inSeconds(60),
      reminders: [{ remindAt: inSeconds(7) }],
    });
    await eventually(
      'the later reminder',
      async () => (await notificationsOf(onA, later.id)).length > 0,
      30_000,
    );
    const notes = await notificationsOf(onB, task.id);
    expect(notes).toHaveLength(1);
    const lateMs = Date.parse(notes[0]!.createdAt) - Date.parse(remindAt);
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThanOrEqual(1000);
  });

  it('moves the job with the reminder, and cancels it when the task is completed or deleted', async () => {
    const { onA, onB } = await user();
    const reminded = (title: string, s: number) =>
      onA.call<Task>('POST', '/tasks', {
        title,
        dueAt: inSeconds(60),
        reminders: [{ remindAt: inSeconds(s) }],
      });
    const [moved, completed, deleted] = await Promise.all([
      reminded('moved', 4),
      reminded('completed', 4),
      reminded('deleted', 4),
    ]);
    const newTime = inSeconds(8);
    await onB.call('PATCH', `/tasks/${moved.id}`, { reminders: [{ remindAt: newTime }] });
    await onB.call('POST', `/tasks/${completed.id}/complete`);
    await onB.call('DELETE', `/tasks/${deleted.id}`);
    const [note] = await eventually(
      'the moved reminder',
      async () => {
        const n = await notificationsOf(onA, moved.id);
        return n.length > 0 && n;
      },
      30_000,
    );
    expect(Date.parse(note!.createdAt)).toBeGreaterThanOrEqual(Date.parse(newTime));
    expect(Date.parse(note!.createdAt) - Date.parse(newTime)).toBeLessThanOrEqual(1000);
    // The old time (4 s) passed long before the new one (8 s) fired: nothing else came.
    expect(await notificationsOf(onA, moved.id)).toHaveLength(1);
    expect(await notificationsOf(onA, completed.id)).toEqual([]);
    expect(await notificationsOf(onA, deleted.id)).toEqual([]);
  });

  it.each([
    ['/events/tasks', 'POST'],
    ['/events/reminders', 'POST'],
    ['/events/updates', 'POST'],
    ['/job/reminder-00000000-0000-4000-8000-000000000000-00000000-0000-4000-8000-000000000000', 'POST'],
  ])('refuses %s without the app token, and with a wrong one', async (path, method) => {
    const attempts: Record<string, string>[] = [{}, { 'dapr-api-token': 'not-the-token' }];
    for (const headers of attempts) {
      const res = await fetch(`${a.api.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          specversion: '1.0',
          id: 'x',
          type: 'todo.task.created',
          source: '/x',
          data: {},
        }),
      });
      expect(res.status, `${path} with ${JSON.stringify(headers)}`).toBe(403);
    }
  });
});

/** Publishes a CloudEvent through replica A's sidecar, keyed (partitioned) by `key`, as the API's publisher does. */
async function publishThroughSidecar(event: CloudEvent, key: string, token?: string): Promise<Response> {
  return fetch(
    `${a.sidecar.httpUrl}/v1.0/publish/${tenant.pubsubName}/${topicName('reminders', topicPrefix)}?metadata.partitionKey=${key}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents+json',
        ...(token === undefined ? {} : { 'dapr-api-token': token }),
      },
      body: JSON.stringify(event),
    },
  );
}

/**
 * Publishes CloudEvents in one call through replica A's sidecar (`POST /v1.0-alpha1/publish/bulk`), keyed by
 * `key`, as the API's outbox relay publishes a wave: daprd sends them to Kafka in one `SendMessages`, so they
 * reach the partition together and its consumer reads them together.
 */
async function publishTogetherThroughSidecar(
  events: CloudEvent[],
  key: string,
  token: string,
): Promise<Response> {
  return fetch(
    `${a.sidecar.httpUrl}/v1.0-alpha1/publish/bulk/${tenant.pubsubName}/${topicName('reminders', topicPrefix)}?metadata.partitionKey=${key}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'dapr-api-token': token },
      body: JSON.stringify(
        events.map((event) => ({ entryId: event.id, event, contentType: 'application/cloudevents+json' })),
      ),
    },
  );
}

/**
 * Due reminders of one task, published in this order on one partition (the task's), then those `thenTitles`
 * names once it resolves; the notifications consumer fails on those whose title has a fault injected at the
 * database (support/faults.ts).
 */
async function remindersOnOnePartition(titles: string[], thenTitles?: () => Promise<string[]>) {
  const { userId, onA } = await user();
  const task = await onA.call<Task>('POST', '/tasks', { title: 'reminded' });
  const publish = async (batch: string[]) => {
    const published = batch.map((title) =>
      cloudEvent('todo.reminder.due', task.id, { userId, taskId: task.id, title }),
    );
    for (const event of published)
      expect((await publishThroughSidecar(event, task.id, tenant.daprApiToken)).status).toBe(204);
    return published;
  };
  const events = await publish(titles);
  if (thenTitles) events.push(...(await publish(await thenTitles())));
  const titlesNotified = async () => (await notificationsOf(onA, task.id)).map((n) => n.title);
  return { task, events, titlesNotified };
}

const unique = (what: string) => `${what} ${randomBytes(4).toString('hex')}`;

describe("a subscriber's answers, through the real sidecar, its resiliency policy and dead-letter topic", () => {
  it('redelivers an event answered RETRY, which is then applied once', async () => {
    const flaky = unique('flaky');
    // 40001 (serialization failure) is transient to the API: it answers RETRY without counting the attempt.
    await faults.inject(flaky, '40001', 2);
    const { titlesNotified } = await remindersOnOnePartition([flaky]);
    await eventually('the notification after two RETRYs', async () => (await titlesNotified()).length > 0);
    expect(await faults.attempts(flaky)).toBe(3);
    expect(await titlesNotified()).toEqual([flaky]);
  });

  it('does not redeliver or apply an event answered DROP, and the sidecar puts it in the dead-letter topic', async () => {
    const bad = unique('bad data');
    // 22023 (invalid parameter value) is bad data to the API: it sets the event aside itself and answers DROP.
    await faults.inject(bad, '22023', Number.POSITIVE_INFINITY);
    const after = unique('after the dropped one');
    // The later event is published once the bad one has been tried, so each comes in a bulk of its own: in one bulk
    // with it, the API would try the bad one twice in that one delivery (the whole bulk in one transaction, then
    // each event in its own to find the bad one), and the count below could not tell that from a redelivery.
    const { events, titlesNotified } = await remindersOnOnePartition([bad], async () => {
      await eventually('the bad one tried', async () => (await faults.attempts(bad)) > 0);
      return [after];
    });
    // The later event of the partition is delivered only once the sidecar is done with the dropped one.
    await eventually('the event after the dropped one', async () => (await titlesNotified()).includes(after));
    expect(await titlesNotified()).toEqual([after]);
    expect(await faults.attempts(bad)).toBe(1);
    expect(await faults.deadLetterAttempts('notifications', events[0]!.id)).toBe(1);
    const dead = await eventually('the dropped event in the dead-letter topic', () =>
      deadLetters.records.get(events[0]!.id),
    );
    expect(dead.event.type).toBe('todo.reminder.due');
  });

  it('sends a poison event to the dead-letter topic once its retries are spent, and delivers the events behind it', async () => {
    const poison = unique('poison');
    await faults.inject(poison, '40001', Number.POSITIVE_INFINITY);
    const after = unique('after the poison');
    // The event behind it is published once the poison's bulk is in the sidecar's hands, so it comes in a later
    // bulk, which waits for the partition; the same task's events in the poison's own bulk share its fate.
    const { task, events, titlesNotified } = await remindersOnOnePartition([poison], async () => {
      await eventually('the poison tried', async () => (await faults.attempts(poison)) > 0);
      return [after];
    });
    // The Resiliency's exponential backoff, 6 retries at most 8 s apart, takes about 10 s (5-16 s with jitter).
    const dead = await eventually(
      'the poison event in the dead-letter topic',
      () => deadLetters.records.get(events[0]!.id),
      40_000,
    );
    // Keyed by its task, and naming the topic it was bound for (Dapr adds `topic` to the envelope): what a replay needs.
    expect(dead.key).toBe(task.id);
    expect(dead.event.topic).toBe(topicName('reminders', topicPrefix));
    await eventually('the event behind the poison', async () => (await titlesNotified()).includes(after));
    expect(await titlesNotified()).toEqual([after]);
    // Every attempt the policy allows, and not one more: the partition moved on.
    expect(await faults.attempts(poison)).toBe(DELIVERY_RETRY.maxRetries + 1);
  });

  it("refuses a call to the sidecar's API without the Dapr API token, or with a wrong one", async () => {
    const event = cloudEvent('todo.reminder.due', randomBytes(4).toString('hex'), {});
    for (const token of [undefined, 'not-the-token']) {
      expect((await publishThroughSidecar(event, 'k', token)).status, `publish with ${token}`).toBe(401);
      const job = await fetch(`${a.sidecar.httpUrl}/v1.0/jobs/e2e-refused`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { 'dapr-api-token': token } : {}) },
        body: JSON.stringify({ dueTime: new Date(Date.now() + 60_000).toISOString() }),
      });
      expect(job.status, `jobs with ${token}`).toBe(401);
    }
  });
});

/** The API's log lines of Dapr's deliveries and of its warnings and errors, the last 30: not the test's own polling. */
function deliveriesAndWarnings(replica: Replica): string {
  return replica.api
    .output()
    .split('\n')
    .filter((line) => line.includes('"url":"/events/') || /"level":[456]0/.test(line))
    .slice(-30)
    .join('\n');
}

/** What every other connection to the tenant's database is doing: a delivery stuck on a lock shows here. */
async function connectionsAt(client: pg.Client): Promise<unknown[]> {
  const { rows } = await client.query(
    `SELECT pid, application_name AS app, state, wait_event_type AS wait_type, wait_event AS wait,
            now() - xact_start AS in_tx, left(query, 160) AS query
     FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return rows;
}

/**
 * What the tenant's database holds about these events, read directly (not through an API): which consumers
 * recorded them as applied, their counted failures, their consumer dead letters and notifications.
 */
async function eventsInDatabase(ids: readonly string[]): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = async (sql: string) => JSON.stringify((await client.query(sql, [ids])).rows);
    return [
      `processed: ${await rows('SELECT consumer, event_id, processed_at FROM processed_events WHERE event_id = ANY($1::uuid[])')}`,
      `failures: ${await rows('SELECT consumer, event_id, attempts, last_error FROM consumer_failures WHERE event_id = ANY($1::uuid[])')}`,
      `set aside: ${await rows('SELECT consumer, event_id FROM consumer_dead WHERE event_id = ANY($1::uuid[])')}`,
      `notifications: ${await rows('SELECT source_event_id, created_at FROM notifications WHERE source_event_id = ANY($1::uuid[])')}`,
      `connections: ${JSON.stringify(await connectionsAt(client))}`,
    ].join('\n');
  } finally {
    await client.end();
  }
}

/** Adds `diagnose()`'s account to the error of a wait that failed. */
async function withDiagnosis<T>(diagnose: () => Promise<string>, wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (err) {
    const account = await diagnose().catch((e: unknown) => `(no diagnosis: ${String(e)})`);
    throw new Error(`${(err as Error).message}\n${account}`, { cause: err });
  }
}

/**
 * Where a reminder stopped on its way: whether its job fired (reminder_schedule.fired_at), whether its event left
 * the outbox, and what the surviving sidecar and the scheduler last logged.
 */
async function reminderWhereabouts(taskId: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const schedule = await client.query(
      'SELECT reminder_id, fire_at, fired_at FROM reminder_schedule WHERE task_id = $1',
      [taskId],
    );
    const outbox = await client.query(
      `SELECT id, event->>'type' AS type, 'pending' AS state FROM outbox WHERE key = $1
       UNION ALL SELECT id, event->>'type', 'delivered' FROM outbox_delivered WHERE key = $1 ORDER BY id`,
      [taskId],
    );
    // Which consumers applied the task's events (the notifications consumer applies the reminder's).
    const applied = await client.query(
      `SELECT p.consumer, d.event->>'type' AS type, p.processed_at FROM outbox_delivered d
       JOIN processed_events p ON p.event_id = (d.event->>'id')::uuid WHERE d.key = $1 ORDER BY p.processed_at`,
      [taskId],
    );
    const rows = (r: pg.QueryResult) => JSON.stringify(r.rows);
    return [
      `now: ${new Date().toISOString()}`,
      `reminder_schedule: ${rows(schedule)}`,
      `outbox: ${rows(outbox)}`,
      `applied: ${rows(applied)}`,
      `connections: ${JSON.stringify(await connectionsAt(client))}`,
      `--- API B ---\n${b.apiLogTail()}`,
      `--- daprd B ---\n${await b.sidecar.logTail()}`,
      `--- scheduler ---\n${await scheduler.logTail()}`,
    ].join('\n');
  } finally {
    await client.end();
  }
}

/** Every audit entry of the user, oldest pages included. */
async function activityOf(rest: Rest): Promise<{ type: string; taskId: string }[]> {
  const entries: { type: string; taskId: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { type: string; taskId: string }[]; nextCursor: string | null } = await rest.call(
      'GET',
      `/activity?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

describe('failures on the way: nothing lost, each effect once', () => {
  it('fires a reminder whose replica (API and sidecar) was killed before it was due, through the other one', async () => {
    const { onA, onB } = await user();
    const remindAt = inSeconds(6);
    const task = await onA.call<Task>('POST', '/tasks', {
      title: 'survives a lost pod',
      dueAt: inSeconds(60),
      reminders: [{ remindAt }],
    });
    // The task-events subscriber that writes the audit entry also scheduled the job, in the same delivery.
    await eventually('the task handled', async () =>
      (await activityOf(onB)).some((e) => e.taskId === task.id),
    );
    const bLogBefore = b.api.output().length;
    await Promise.all([a.api.stop('SIGKILL'), a.sidecar.stopSidecar('SIGKILL')]);
    try {
      const [note] = await withDiagnosis(
        () => reminderWhereabouts(task.id),
        eventually(
          'the reminder, through replica B',
          async () => {
            const n = await notificationsOf(onB, task.id);
            return n.length > 0 && n;
          },
          // The scheduler hands the job to the surviving sidecar at once, and replica B notifies in the transaction
          // that fires the reminder (fireClaimed). It used to notify only when the reminders topic's event came
          // back, and that event's partition belonged to the killed sidecar until its consumer group gave up on
          // it (the 10 s session timeout) and rebalanced; twice in CI daprd's Kafka consumer then stopped
          // delivering that partition altogether (docs/events.md, "A consumer that stops").
          90_000,
        ),
      );
      expect(Date.parse(note!.createdAt)).toBeGreaterThanOrEqual(Date.parse(remindAt));
      expect(await notificationsOf(onB, task.id)).toHaveLength(1);
      const late = Date.parse(note!.createdAt) - Date.parse(remindAt);
      // B's database poller fired it: the scheduler did not hand the job to B within the safety net's grace.
      const bySafetyNet = b.api
        .output()
        .slice(bLogBefore)
        .includes('firing reminders whose jobs did not call back in time');
      if (bySafetyNet) {
        // Dapr's to answer for, not ours (seen once, on a loaded machine);
        // the reminder still fired once, through B. What the scheduler and B's sidecar said goes in the log.
        console.warn(
          `the reminder came through B's safety net, ${late} ms late\n${await reminderWhereabouts(task.id)}`,
        );
      } else {
        // Through B's job, not held up by the killed replica's consumer group (its session timeout alone is 10 s).
        if (late >= 10_000)
          expect.fail(`the reminder came ${late} ms late\n${await reminderWhereabouts(task.id)}`);
      }
    } finally {
      await a.sidecar.startSidecar();
      await a.restartApi();
      await a.sidecar.appConnected();
    }
    expect(await notificationsOf(onA, task.id)).toHaveLength(1);
  }, 150_000);

  it('loses nothing written while a sidecar was down (killed, then restarted)', async () => {
    const { onB } = await user();
    await b.sidecar.stopSidecar('SIGKILL');
    const ids: string[] = [];
    try {
      for (let i = 0; i < 10; i++)
        ids.push((await onB.call<Task>('POST', '/tasks', { title: `while down ${i}` })).id);
    } finally {
      await b.sidecar.startSidecar();
      await b.sidecar.appConnected();
    }
    await consumers.recovering(
      eventually(
        'an audit entry for each task',
        async () => {
          const entries = await activityOf(onB);
          expect(entries.map((e) => e.taskId).sort()).toEqual([...ids].sort());
          return true;
        },
        90_000,
      ),
    );
  }, 120_000);

  it("holds events while the tenant's database is unreachable for 20 s, and applies them after, none dead-lettered (poisons ahead of them go there alone)", async () => {
    const titles = [unique('during the outage'), unique('during the outage'), unique('during the outage')];
    const { userId, onA } = await user();
    const task = await onA.call<Task>('POST', '/tasks', { title: 'reminded during an outage' });
    const events = titles.map((title) =>
      cloudEvent('todo.reminder.due', task.id, { userId, taskId: task.id, title }),
    );
    // Two other tasks' poisons (RETRY for ever, contention of their own), ahead of them on their partition,
    // published with them in one call: once the database is back they come in one delivery with them, whose two
    // failures must not hold them too.
    const poisons: CloudEvent[] = [];
    for (const name of ['first', 'second']) {
      const title = unique(`${name} poison ahead of the outage`);
      await faults.inject(title, '40001', Number.POSITIVE_INFINITY);
      const other = await onA.call<Task>('POST', '/tasks', { title: `poisoned ${name}` });
      poisons.push(cloudEvent('todo.reminder.due', other.id, { userId, taskId: other.id, title }));
    }
    const outage = await databaseOutage(postgres.url, databaseName);
    try {
      // The API answers RETRY (transient) to each delivery until the sidecar's health check on /readyz stops them;
      // without it the first event would be in the dead-letter topic after the ~10 s retry budget.
      const published = await publishTogetherThroughSidecar(
        [...poisons, ...events],
        task.id,
        tenant.daprApiToken,
      );
      expect(published.status, await published.text()).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, 20_000));
    } finally {
      await outage.end();
    }
    // An event set aside in the dead-letter topic is acknowledged, so it could never become a notification.
    // Not promised in a given time: when the health check resumes deliveries, each sidecar rejoins its components'
    // consumer groups, and a member still inside a delivery holds its group's rebalance up to Kafka's rebalance
    // timeout (60 s); usually it is 1-2 s (20.8 s for the whole test here). Should a sidecar then stop delivering
    // a partition altogether (dapr/components-contrib#4580), the watch restarts the sidecars, as the operator's
    // watchdog would restart the pods. The poison test's event may come back here (its acknowledgement is lost
    // when the next test kills its replica within a second): like this test's own, it must go to the dead letters
    // alone, not take this test's events on its partition with it (docs/events.md, "A consumer that stops").
    const notified = await withDiagnosis(
      // CI shows the end of a failure's output: the logs first, the few lines that decide it last.
      async () =>
        [
          `--- daprd A ---\n${await a.sidecar.logTail()}`,
          `--- daprd B ---\n${await b.sidecar.logTail()}`,
          `--- API A, deliveries and warnings ---\n${deliveriesAndWarnings(a)}`,
          `--- API B, deliveries and warnings ---\n${deliveriesAndWarnings(b)}`,
          `the groups, last samples:\n${consumers.recent.join('\n')}`,
          `the database on the outage's events: ${await eventsInDatabase(events.map((e) => e.id))}`,
          `dead-lettered: ${JSON.stringify(events.map((e) => deadLetters.records.has(e.id)))}`,
          `watchdog restarts: ${JSON.stringify(consumers.restarts)}`,
          `notifications: ${JSON.stringify(await notificationsOf(onA, task.id))}`,
        ].join('\n'),
      consumers.recovering(
        eventually(
          'every event of the outage applied',
          async () => {
            const n = (await notificationsOf(onA, task.id)).map((x) => x.title);
            return titles.every((t) => n.includes(t)) && n;
          },
          150_000,
        ),
      ),
    );
    expect(notified.sort()).toEqual([...titles].sort());
    expect(events.filter((e) => deadLetters.records.has(e.id))).toEqual([]);
    // Each poison is retried ~10 s by the sidecar that holds it, again from the start by another after a rebalance.
    await eventually(
      'the poisons in the dead-letter topic',
      () => poisons.every((p) => deadLetters.records.has(p.id)),
      90_000,
    );
  }, 270_000);

  it.skipIf(process.env.KAFKA_BROKERS)(
    'goes on taking writes while Kafka is down for 20 s, and applies each of them once after it returns',
    async () => {
      const { onA, onB } = await user();
      const broker = kafka.server!;
      await broker.stopBroker();
      const completed: string[] = [];
      try {
        // Writes on both replicas for the whole outage: each answered at once (the outbox holds the events).
        const until = Date.now() + 20_000;
        for (let i = 0; Date.now() < until; i++) {
          const rest = i % 2 ? onA : onB;
          const task = await rest.call<Task>('POST', '/tasks', {
            title: `during the outage ${i}`,
            dueAt: '2030-01-01T09:00:00Z',
            recurrence: { rule: 'FREQ=WEEKLY' },
          });
          await rest.call('POST', `/tasks/${task.id}/complete`);
          completed.push(task.id);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      } finally {
        await broker.startBroker();
      }
      expect(completed.length).toBeGreaterThan(10);
      const entries = await consumers.recovering(
        eventually(
          'every effect after the outage',
          async () => {
            const all = await activityOf(onA);
            // created + completed per task, and each successor's created.
            expect(all).toHaveLength(completed.length * 3);
            return all;
          },
          150_000,
          500,
        ),
      );
      const open = (await onB.call<{ items: Task[] }>('GET', '/tasks?status=open&recurring=true&limit=200'))
        .items;
      expect(open).toHaveLength(completed.length);
      expect(new Set(entries.map((e) => `${e.type} ${e.taskId}`)).size).toBe(entries.length);
    },
    210_000,
  );
});
