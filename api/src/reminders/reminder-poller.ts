import { cloudEvent, REMINDER_DUE, topicName } from '@todo/contract';
import type { Logger } from 'pino';
import type { Database, Queryable } from '../db/database.js';
import { applyOnceAs } from '../events/idempotent-consumer.js';
import { enqueue } from '../events/outbox.js';
import { NOTIFICATIONS_CONSUMER, notifyDueReminders } from './reminder.consumer.js';
import { type Clock, REMINDER_CHANNEL, systemClock } from './reminder-schedule.js';

/** `data` of `todo.reminder.due`. */
export interface ReminderDueData {
  userId: string;
  taskId: string;
  reminderId: string;
  title: string;
  dueAt: string | null;
  fireAt: string;
}

export interface DueRow {
  task_id: string;
  reminder_id: string;
  user_id: string;
  fire_at: Date;
  title: string;
  due_at: Date | null;
}

/**
 * Fires claimed due-queue rows inside the caller's transaction (which holds the rows' locks): the one place a
 * reminder fires, whichever backend. Each row becomes a `todo.reminder.due` outbox event, is marked fired, and
 * becomes its notification (and live update) right here, recorded as the notifications consumer's, so that
 * consumer finds it done when the event comes back through the bus. The notification does not wait for the
 * event's partition: a replica that fires a reminder has just been called (by the Jobs API or its own poller)
 * and is alive, while the partition may belong to a replica that is gone until its consumer group rebalances.
 */
export async function fireClaimed(
  tx: Queryable,
  rows: readonly DueRow[],
  topicPrefix: string | undefined,
): Promise<number> {
  if (rows.length === 0) return 0;
  const topic = topicName('reminders', topicPrefix);
  const events = rows.map((r) => {
    const data: ReminderDueData = {
      userId: r.user_id,
      taskId: r.task_id,
      reminderId: r.reminder_id,
      title: r.title,
      dueAt: r.due_at?.toISOString() ?? null,
      fireAt: r.fire_at.toISOString(),
    };
    return cloudEvent(REMINDER_DUE, r.task_id, data);
  });
  await enqueue(
    tx,
    events.map((event, i) => ({ topics: [topic], key: rows[i]!.task_id, event })),
  );
  await tx.query(
    `UPDATE reminder_schedule s SET fired_at = clock_timestamp()
     FROM unnest($1::uuid[], $2::uuid[]) AS f(task_id, reminder_id)
     WHERE s.task_id = f.task_id AND s.reminder_id = f.reminder_id`,
    [rows.map((r) => r.task_id), rows.map((r) => r.reminder_id)],
  );
  await applyOnceAs(tx, NOTIFICATIONS_CONSUMER, notifyDueReminders(topicPrefix), events);
  return rows.length;
}

/** SELECT list of a due-queue row joined with its task, shared by both backends. */
export const DUE_ROW_COLUMNS = 's.task_id, s.reminder_id, s.user_id, s.fire_at, t.title, t.due_at';

/**
 * The `database` reminder backend: a durable due-queue in PostgreSQL. Due rows are claimed with
 * FOR UPDATE SKIP LOCKED (safe with several replicas), turned into `todo.reminder.due` outbox events and
 * marked fired in one transaction, so each reminder fires once. It sleeps until the next fire time
 * (at most `maxSleepMs`) and wakes early when the schedule changes. "Due" is by `now` (the app's clock).
 *
 * With `graceMs`, the `dapr-jobs` backend's safety net: there a reminder is due `graceMs` after its time, by
 * which its job should long have called back and marked it fired. One the Jobs API lost or held back (the
 * scheduler unreachable, a job dropped once its failure policy was spent) still fires, late, and once.
 */
export class ReminderPoller {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  /** Callers of `whenIdle()` waiting for a round that starts after their call and finds nothing due. */
  private idleWaiters: Array<() => void> = [];
  fired = 0;
  private readonly maxSleepMs: number;
  private readonly now: Clock;
  /** How long after its time a reminder is this poller's to fire (0: at its time). */
  readonly graceMs: number;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly topicPrefix: string | undefined,
    options: { maxSleepMs?: number; now?: Clock; graceMs?: number } = {},
  ) {
    this.maxSleepMs = options.maxSleepMs ?? 500;
    this.now = options.now ?? systemClock;
    this.graceMs = options.graceMs ?? 0;
  }

  /** The instant up to which reminders are this poller's to fire. */
  dueBy(): Date {
    return new Date(this.now().getTime() - this.graceMs);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unlisten = await this.db.listen(REMINDER_CHANNEL, () => this.wakeUp?.());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    await this.unlisten?.();
  }

  /** Resolves after a round, begun after this call, found no reminder due: every due one has fired. */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wakeUp?.();
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      const waiting = this.idleWaiters.splice(0);
      let sleepMs = this.maxSleepMs;
      let fired: number | undefined;
      try {
        fired = await this.fireDue();
        sleepMs = fired === 500 ? 0 : await this.msUntilNext();
      } catch (err) {
        this.log.warn({ err }, 'reminder poller failed; retrying');
      }
      if (fired === 0) for (const idle of waiting) idle();
      else this.idleWaiters.unshift(...waiting);
      if (this.idleWaiters.length > 0 && fired !== undefined) sleepMs = 0;
      if (!this.running) break;
      if (sleepMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, sleepMs);
          function done() {
            clearTimeout(timer);
            resolve();
          }
          this.wakeUp = done;
        });
      }
    }
    for (const idle of this.idleWaiters.splice(0)) idle();
  }

  private async msUntilNext(): Promise<number> {
    const { rows } = await this.db.query<{ next: Date | null }>(
      'SELECT min(fire_at) AS next FROM reminder_schedule WHERE fired_at IS NULL',
    );
    const next = rows[0]?.next;
    return next
      ? Math.max(5, Math.min(this.maxSleepMs, Math.ceil(next.getTime() - this.dueBy().getTime())))
      : this.maxSleepMs;
  }

  /** Fires every reminder due (up to 500 per round); returns how many fired. */
  async fireDue(): Promise<number> {
    const count = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<DueRow>(
        `SELECT ${DUE_ROW_COLUMNS}
         FROM reminder_schedule s JOIN tasks t ON t.id = s.task_id
         WHERE s.fired_at IS NULL AND s.fire_at <= $1
         ORDER BY s.fire_at LIMIT 500 FOR UPDATE OF s SKIP LOCKED`,
        [this.dueBy().toISOString()],
      );
      if (rows.length && this.graceMs > 0)
        this.log.warn(
          { reminders: rows.length, graceMs: this.graceMs },
          'firing reminders whose jobs did not call back in time',
        );
      return fireClaimed(tx, rows, this.topicPrefix);
    });
    this.fired += count;
    return count;
  }
}
