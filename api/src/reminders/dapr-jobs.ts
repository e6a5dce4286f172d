import { type CloudEvent, TASK_EVENT_TYPES } from '@todo/contract';
import type { Queryable } from '../db/database.js';
import { UnprocessableEventError } from '../events/idempotent-consumer.js';
import type { TaskEventData } from '../events/task-events.js';
import { DUE_ROW_COLUMNS, type DueRow, fireClaimed } from './reminder-poller.js';
import { type Clock, remindersToSchedule, systemClock } from './reminder-schedule.js';

const JOB_NAME = /^reminder-([0-9a-f-]{36})-([0-9a-f-]{36})$/;

/** One Dapr job per reminder; the name alone identifies it, so callbacks need no payload. */
export const reminderJobName = (taskId: string, reminderId: string): string =>
  `reminder-${taskId}-${reminderId}`;

export function parseReminderJobName(name: string): { taskId: string; reminderId: string } | undefined {
  const m = JOB_NAME.exec(name);
  return m ? { taskId: m[1]!, reminderId: m[2]! } : undefined;
}

/**
 * What the scheduler does when a job's callback fails (the app answered an error, or was unreachable): try
 * again every 2 s for half a minute. Dapr's default, 3 retries 1 s apart, gives up within 3 s of a replica
 * restarting or a database failing over. A job the scheduler cannot hand to any sidecar of the app (none
 * connected) is not failing: it waits for one. Past this, the database's poller fires the reminder
 * (JOB_SAFETY_NET_GRACE_MS in event-system.ts).
 */
export const JOB_RETRIES = { constant: { interval: '2s', maxRetries: 15 } } as const;

/** The longest a call to the sidecar's Jobs API may take (it answers in milliseconds when well). */
export const JOBS_CALL_TIMEOUT_MS = 10_000;

/**
 * The Dapr Jobs HTTP API of the sidecar (stable `/v1.0/jobs` since Dapr 1.16; the alpha path is deprecated):
 * the @dapr/dapr release we use has no jobs client, and the HTTP shape is two calls.
 */
export class DaprJobsClient {
  constructor(
    private readonly daprPort: number,
    private readonly apiToken?: string,
    private readonly host = '127.0.0.1',
    /**
     * How long a call may take. The consumer that calls holds its task's reminder_schedule rows locked in a
     * transaction meanwhile, so a sidecar that never answers must not hold them (and its partition) for ever.
     */
    private readonly timeoutMs = JOBS_CALL_TIMEOUT_MS,
  ) {}

  /**
   * One call to the sidecar. Failing to reach it, or no answer in time, is thrown with the socket's error code
   * (ETIMEDOUT for the timeout), which makes it a transient failure (failure-kind.ts): the event waits,
   * uncounted, as it does while the database is down, rather than being set aside after a few tries.
   */
  private async call(name: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(this.url(name), { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      const code = timedOut ? 'ETIMEDOUT' : (err as { cause?: { code?: unknown } }).cause?.code;
      const what = timedOut ? `no answer within ${this.timeoutMs} ms` : (err as Error).message;
      throw Object.assign(new Error(`Dapr jobs: ${init.method} ${name}: ${what}`, { cause: err }), { code });
    }
  }

  private url(name: string): string {
    return `http://${this.host}:${this.daprPort}/v1.0/jobs/${encodeURIComponent(name)}`;
  }

  private headers(): Record<string, string> {
    return {
      'content-type': 'application/json',
      ...(this.apiToken ? { 'dapr-api-token': this.apiToken } : {}),
    };
  }

  /** Schedules (or moves) a one-shot job; `overwrite` makes rescheduling idempotent. */
  async schedule(name: string, dueTime: Date, data: unknown): Promise<void> {
    const res = await this.call(name, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({
        dueTime: dueTime.toISOString(),
        data,
        overwrite: true,
        failurePolicy: JOB_RETRIES,
      }),
    });
    if (!res.ok)
      throw new Error(`Dapr jobs: scheduling ${name} failed with ${res.status}: ${await res.text()}`);
  }

  /** Deletes a job; one that does not exist (already fired or never made) is fine. */
  async delete(name: string): Promise<void> {
    const res = await this.call(name, { method: 'DELETE', headers: this.headers() });
    if (!res.ok && res.status !== 404)
      throw new Error(`Dapr jobs: deleting ${name} failed with ${res.status}: ${await res.text()}`);
  }
}

/**
 * Whether an event is older than the task it describes: the task has a newer version (whose own event
 * brings the jobs in line), or is gone (its deletion event removes them). A redelivered or late event must
 * not bring back the reminders of a version the task has left.
 */
async function isStale(tx: Queryable, event: CloudEvent, task: Partial<TaskEventData>): Promise<boolean> {
  if (event.type === TASK_EVENT_TYPES.deleted) return false;
  const { rows } = await tx.query<{ version: number }>(
    'SELECT version FROM tasks WHERE id = $1 AND deleted_at IS NULL',
    [task.id],
  );
  const current = rows[0]?.version;
  return current === undefined || (typeof task.version === 'number' && task.version < current);
}

/**
 * The `dapr-jobs` backend, as a consumer of `task-events`: keeps one Dapr job per pending reminder and
 * records the schedule in `reminder_schedule`, so the callback can fire each reminder once. A moved
 * reminder is rescheduled with `overwrite: true` (no delete first: a failure in between would lose it);
 * only reminders the task no longer has are deleted. Which reminders get a job is `remindersToSchedule`'s
 * rule, as on the database backend, with the event's time as the moment they were set (a consumer that runs
 * late must not drop what was due when written); `now` only stands in for an event without a valid time.
 */
export function syncReminderJobs(jobs: DaprJobsClient, now: Clock = systemClock) {
  return async (tx: Queryable, event: CloudEvent): Promise<void> => {
    const task = event.data as Partial<TaskEventData>;
    if (typeof task.id !== 'string' || typeof task.userId !== 'string' || !Array.isArray(task.reminders)) {
      throw new UnprocessableEventError('task event without a task');
    }
    if (await isStale(tx, event, task)) return;
    const gone = event.type === TASK_EVENT_TYPES.deleted || task.completed === true;
    const { rows } = await tx.query<{ reminder_id: string; fire_at: Date }>(
      'SELECT reminder_id, fire_at FROM reminder_schedule WHERE task_id = $1 FOR UPDATE',
      [task.id],
    );
    const current = new Map(rows.map((r) => [r.reminder_id, r]));
    const written = new Date(event.time);
    const wanted = gone
      ? new Map<string, Date>()
      : remindersToSchedule(
          task.reminders,
          task.dueAt ?? null,
          Number.isNaN(written.getTime()) ? now() : written,
          new Map(rows.map((r) => [r.reminder_id, r.fire_at])),
        );
    for (const reminderId of current.keys()) {
      if (wanted.has(reminderId)) continue;
      await jobs.delete(reminderJobName(task.id, reminderId));
      await tx.query('DELETE FROM reminder_schedule WHERE task_id = $1 AND reminder_id = $2', [
        task.id,
        reminderId,
      ]);
    }
    for (const [reminderId, at] of wanted) {
      const row = current.get(reminderId);
      if (row && row.fire_at.getTime() === at.getTime()) continue;
      await jobs.schedule(reminderJobName(task.id, reminderId), at, { taskId: task.id, reminderId });
      await tx.query(
        `INSERT INTO reminder_schedule (task_id, reminder_id, user_id, fire_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (task_id, reminder_id) DO UPDATE SET fire_at = EXCLUDED.fire_at, fired_at = NULL`,
        [task.id, reminderId, task.userId, at.toISOString()],
      );
    }
  };
}

/**
 * The Dapr job callback: fires the reminder if it is still scheduled, not yet fired and due (a stale job
 * for a reminder that has since moved later is ignored); safe under Dapr's at-least-once delivery.
 */
export async function fireReminderJob(
  tx: Queryable,
  name: string,
  topicPrefix: string | undefined,
  now: Clock = systemClock,
): Promise<number> {
  const ids = parseReminderJobName(name);
  if (!ids) throw new UnprocessableEventError(`not a reminder job: ${name}`);
  const { rows } = await tx.query<DueRow>(
    `SELECT ${DUE_ROW_COLUMNS} FROM reminder_schedule s JOIN tasks t ON t.id = s.task_id
     WHERE s.task_id = $1 AND s.reminder_id = $2 AND s.fired_at IS NULL
       AND s.fire_at <= $3::timestamptz + interval '5 seconds'
     FOR UPDATE OF s`,
    [ids.taskId, ids.reminderId, now().toISOString()],
  );
  return fireClaimed(tx, rows, topicPrefix);
}
