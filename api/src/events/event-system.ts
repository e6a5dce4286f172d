import {
  allTopicNames,
  type CloudEvent,
  type Config,
  kafkaBrokers,
  type TopicKey,
  topicName,
} from '@todo/contract';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { recordActivity } from '../activity/activity.consumer.js';
import type { Database } from '../db/database.js';
import { assignsSomeone, notifyAssignees } from '../notifications/assignment.consumer.js';
import { createNextOccurrence, startsNextOccurrence } from '../recurrence/recurrence.consumer.js';
import { DaprJobsClient, syncReminderJobs } from '../reminders/dapr-jobs.js';
import { NOTIFICATIONS_CONSUMER, notifyDueReminders } from '../reminders/reminder.consumer.js';
import { ReminderPoller } from '../reminders/reminder-poller.js';
import { type Clock, systemClock } from '../reminders/reminder-schedule.js';
import { appendToStream } from '../stream/stream.consumer.js';
import { StreamHub } from '../stream/stream-hub.js';
import type { TaskChangeRecorder } from '../tasks/task.service.js';
import {
  type EventHandler,
  type EventPublisher,
  type EventSubscriber,
  type HandleResult,
  handleAll,
} from './bus.js';
import { registerDeadLetterMetrics } from './dead-letters.js';
import {
  type ConsumerOptions,
  type EventEffect,
  eachEvent,
  idempotentHandler,
} from './idempotent-consumer.js';
import { MemoryBus } from './memory-bus.js';
import { OutboxRelay, registerOutboxMetrics } from './outbox-relay.js';
import { scheduleRetention } from './retention.js';
import { taskChangeRecorder } from './task-change-recorder.js';

/** Runs several consumers of one topic in turn: any 'retry' wins, then any 'drop', else 'success'. */
export function combineHandlers(handlers: readonly EventHandler[]): EventHandler {
  const merge = (results: HandleResult[]): HandleResult =>
    results.includes('retry') ? 'retry' : results.includes('drop') ? 'drop' : 'success';
  const one = async (event: CloudEvent) => {
    const results: HandleResult[] = [];
    for (const handle of handlers) results.push(await handle(event));
    return merge(results);
  };
  const batch = async (events: readonly CloudEvent[]) => {
    const perHandler: HandleResult[][] = [];
    for (const handle of handlers) {
      perHandler.push(await handleAll(handle, events));
    }
    return events.map((_, i) => merge(perHandler.map((r) => r[i]!)));
  };
  return Object.assign(one, { batch });
}

/**
 * On Dapr's jobs, how late a reminder must be before the database's poller fires it instead of its job: long
 * past the job's own retries (see DaprJobsClient), short enough that a lost job costs a user a minute.
 */
export const JOB_SAFETY_NET_GRACE_MS = 60_000;

/** Everything the event backbone runs in one API process, wired from the configuration. */
export class EventSystem {
  readonly recordTaskChange: TaskChangeRecorder;
  /** Created by `start()`, once the configured bus is loaded. */
  relay!: OutboxRelay;
  readonly hub: StreamHub;
  readonly reminders: ReminderPoller;
  /** The combined consumer per topic name: what the bus (or Dapr's HTTP callbacks) delivers to. */
  readonly handlers = new Map<string, EventHandler>();
  private publisher: EventPublisher | undefined;
  private subscriber: EventSubscriber | undefined;
  private stopRetention: (() => void) | undefined;

  /**
   * `now`: the clock events are dated by and reminders are scheduled and fired by (the system's; tests move
   * their own).
   */
  constructor(
    private readonly config: Config,
    readonly db: Database,
    private readonly log: Logger,
    readonly now: Clock = systemClock,
  ) {
    const prefix = config.TOPIC_PREFIX;
    this.recordTaskChange = taskChangeRecorder({
      topicPrefix: prefix,
      scheduleRemindersInDatabase: config.REMINDER_BACKEND === 'database',
      now,
    });
    // Each consumer: its name (its row in processed_events), its effect, and how it stays idempotent.
    type Consumer = [string, EventEffect, ConsumerOptions?];
    const consumers: Record<TopicKey, Consumer[]> = {
      taskEvents: [
        [
          'recurrence',
          eachEvent(createNextOccurrence(this.recordTaskChange)),
          { accepts: startsNextOccurrence },
        ],
        // The audit trail and the stream log are rows keyed by event id: their own unique key deduplicates.
        ['activity', recordActivity, { keyedByEventId: true }],
        ['assignments', notifyAssignees(prefix), { accepts: assignsSomeone }],
        ...(config.REMINDER_BACKEND === 'dapr-jobs'
          ? [
              [
                'reminder-jobs',
                eachEvent(
                  syncReminderJobs(new DaprJobsClient(config.DAPR_HTTP_PORT, config.DAPR_API_TOKEN), now),
                ),
              ] as Consumer,
            ]
          : []),
      ],
      // The replica that fires a reminder notifies in the same transaction (fireClaimed); this consumer
      // applies a reminder.due that was not (one from an older version, a replayed dead letter).
      reminders: [[NOTIFICATIONS_CONSUMER, notifyDueReminders(prefix)]],
      taskUpdates: [['stream', appendToStream, { keyedByEventId: true }]],
    };
    for (const [key, list] of Object.entries(consumers) as [TopicKey, Consumer[]][]) {
      const topic = topicName(key, prefix);
      const handlers = list.map(([name, effect, options]) =>
        idempotentHandler(db, name, topic, log.child({ consumer: name }), effect, options),
      );
      this.handlers.set(topic, combineHandlers(handlers));
    }

    this.hub = new StreamHub(db, config.STREAM_HEARTBEAT_MS);
    // On the database backend the poller fires every reminder; on Dapr's jobs it fires only those whose
    // job has not called back a minute after their time (see ReminderPoller).
    this.reminders = new ReminderPoller(
      db,
      log.child({ component: 'reminders' }),
      prefix,
      config.REMINDER_BACKEND === 'database'
        ? { now }
        : { now, graceMs: JOB_SAFETY_NET_GRACE_MS, maxSleepMs: JOB_SAFETY_NET_GRACE_MS / 2 },
    );
  }

  registerMetrics(registry: Registry): void {
    registerOutboxMetrics(this.db, registry);
    registerDeadLetterMetrics(this.db, registry);
  }

  /**
   * Loads only the configured bus: @dapr/dapr alone costs ~50 MB of memory, which a Kafka or embedded
   * deployment should not pay.
   */
  private async createBus(): Promise<void> {
    const { config, log } = this;
    if (config.EVENT_BUS === 'memory') {
      const bus = new MemoryBus(log);
      this.publisher = bus;
      this.subscriber = bus;
    } else if (config.EVENT_BUS === 'kafka') {
      const [{ KafkaPublisher }, { KafkaSubscriber }] = await Promise.all([
        import('./kafka/publisher.js'),
        import('./kafka/subscriber.js'),
      ]);
      const brokers = kafkaBrokers(config);
      this.publisher = new KafkaPublisher({ brokers, logger: log });
      this.subscriber = new KafkaSubscriber({
        brokers,
        logger: log,
        groupId: `${config.TOPIC_PREFIX ?? 'todo'}-api`,
      });
      await this.ensureKafkaTopics();
    } else {
      const { DaprPublisher } = await import('./dapr/publisher.js');
      this.publisher = new DaprPublisher({
        daprPort: config.DAPR_HTTP_PORT,
        apiToken: config.DAPR_API_TOKEN,
        pubsubName: config.PUBSUB_NAME,
        logger: log,
      });
      // Dapr delivers through HTTP callbacks (dapr.routes.ts) to the same handlers.
      this.subscriber = undefined;
    }
    this.relay = new OutboxRelay(this.db, this.publisher, log.child({ component: 'outbox-relay' }), {
      batchSize: config.OUTBOX_BATCH_SIZE,
    });
  }

  async start(): Promise<void> {
    await this.createBus();
    if (this.subscriber) {
      for (const [topic, handler] of this.handlers) await this.subscriber.subscribe(topic, handler);
      await this.subscriber.start();
    }
    await this.hub.start();
    await this.relay.start();
    await this.reminders.start();
    this.stopRetention = scheduleRetention(this.db, this.log, { now: this.now });
    this.log.info(
      { bus: this.config.EVENT_BUS, reminders: this.config.REMINDER_BACKEND },
      'event backbone started',
    );
  }

  /**
   * Creates missing topics (3 partitions) so a local or test broker works out of the box; on Kubernetes the
   * operator has made them already. A broker that is down now is not fatal: the relay keeps events until it is back.
   */
  private async ensureKafkaTopics(): Promise<void> {
    const [{ kafkaClient }, { ensureTopics }] = await Promise.all([
      import('./kafka/client.js'),
      import('./kafka/ensure-topics.js'),
    ]);
    const admin = kafkaClient(
      { brokers: kafkaBrokers(this.config), logger: this.log },
      { retries: 2 },
    ).admin();
    try {
      await admin.connect();
      await ensureTopics(admin, allTopicNames(this.config.TOPIC_PREFIX), 3);
    } catch (err) {
      this.log.warn({ err }, 'could not ensure Kafka topics; continuing');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * Resolves once the backbone is idle: no reminder due and unfired (database backend), the outbox empty and the relay's last
   * round empty. On the in-process bus that means every consumer has applied every event written before the
   * call, and the events they wrote in turn: what a test awaits instead of sleeping. (With Kafka or Dapr the
   * consumers run behind the broker; this covers the API's side only.)
   */
  async drained(): Promise<void> {
    for (;;) {
      await this.reminders.whenIdle();
      await this.relay.whenIdle();
      // A fired reminder writes an event, a consumer may write another (a successor, a notification). A due
      // reminder is this process's work on the database backend, and on Dapr's jobs once past the poller's
      // grace (until then its job calls back on its own).
      const { rows } = await this.db.query<{ busy: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM outbox) OR EXISTS (
           SELECT 1 FROM reminder_schedule WHERE fired_at IS NULL AND fire_at <= $1) AS busy`,
        [this.reminders.dueBy().toISOString()],
      );
      if (!rows[0]?.busy) return;
    }
  }

  /** Stops producing first, then consuming, so nothing is left half-done; undelivered rows stay in the outbox. */
  async stop(): Promise<void> {
    this.stopRetention?.();
    await this.reminders.stop();
    await this.relay?.stop();
    await this.subscriber?.close();
    await this.publisher?.close();
    await this.hub.stop();
  }
}
