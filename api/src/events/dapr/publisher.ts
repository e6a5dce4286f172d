import { CommunicationProtocolEnum, DaprClient, type LoggerService, LogLevel } from '@dapr/dapr';
import { type BaseLogger, pino } from 'pino';
import { type EventPublisher, groupBy, type OutboundMessage } from '../bus.js';
import { RejectedEventsError } from '../rejected-events.js';

const CLOUDEVENTS_JSON = 'application/cloudevents+json';

/**
 * Sidecar answers that refuse the message itself rather than report the broker down: 400 (a body it cannot
 * read as a CloudEvent) and 413 (too large). 403/404 are its configuration and 500 the broker: retried.
 */
const REFUSED_MESSAGE_STATUSES = new Set([400, 413]);

/** The HTTP status inside the SDK's error, which it reports as JSON text `{error, error_msg, status}`. */
function sidecarStatus(error: unknown): number | undefined {
  try {
    const status = JSON.parse(error instanceof Error ? error.message : String(error))?.status;
    return typeof status === 'number' ? status : undefined;
  } catch {
    return undefined;
  }
}

export interface DaprPublisherOptions {
  /** The sidecar's HTTP port (DAPR_HTTP_PORT). */
  daprPort: number;
  daprHost?: string;
  /** The sidecar's Dapr API token (DAPR_API_TOKEN), sent as `dapr-api-token`: a sidecar that has one refuses calls without it. */
  apiToken?: string;
  /** The Dapr pubsub component (PUBSUB_NAME). */
  pubsubName: string;
  logger?: BaseLogger;
  /** How long a publish waits for a sidecar that has not answered yet before rejecting. */
  sidecarTimeoutMs?: number;
}

/** Splits a batch into per-(topic, key) lanes: order matters within a task's events, not across tasks. */
export function publishLanes(messages: readonly OutboundMessage[]): OutboundMessage[][] {
  return [...groupBy(messages, (m) => `${m.topic}\u0000${m.key}`).values()];
}

/**
 * Splits a batch into waves holding at most one event per (topic, key), each lane's n-th event in the n-th
 * wave. Dapr does not promise order within a bulk publish, so a task's next event goes only once the wave
 * before it is acknowledged.
 */
export function publishWaves(messages: readonly OutboundMessage[]): OutboundMessage[][] {
  const waves: OutboundMessage[][] = [];
  for (const lane of publishLanes(messages)) {
    lane.forEach((message, n) => {
      if (waves[n]) waves[n].push(message);
      else waves[n] = [message];
    });
  }
  return waves;
}

/**
 * Throws for the failed publishes: a `RejectedEventsError` naming every refused event when the sidecar refused
 * each of them itself (the messages' fault), else the first other failure (the bus's).
 */
function throwFailures(results: readonly PromiseSettledResult<void>[]): void {
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length === 0) return;
  const refused = failures.filter((f): f is RejectedEventsError => f instanceof RejectedEventsError);
  if (refused.length < failures.length) throw failures.find((f) => !(f instanceof RejectedEventsError));
  throw new RejectedEventsError(
    refused.map((f) => f.message).join('; '),
    refused.flatMap((f) => f.eventIds),
  );
}

/** Routes the SDK's own console logging into the app's logger. */
function sdkLogger(logger: BaseLogger): LoggerService {
  const text = (message: unknown, rest: unknown[]) => [message, ...rest].map(String).join(' ');
  return {
    error: (message: unknown, ...rest: unknown[]) =>
      logger.warn({ component: 'dapr-sdk' }, text(message, rest)),
    warn: (message: unknown, ...rest: unknown[]) =>
      logger.warn({ component: 'dapr-sdk' }, text(message, rest)),
    info: () => undefined,
    verbose: () => undefined,
    debug: () => undefined,
  };
}

/**
 * Publishes through the Dapr sidecar's HTTP API, in waves of bulk publishes (`publishWaves`): one HTTP call per
 * topic per wave instead of one per event, which left the API's event loop busy with hundreds of calls per
 * relay batch. Each event goes as `application/cloudevents+json`, so Dapr forwards our envelope instead of
 * wrapping it in its own, with `partitionKey` set to the task id, which Dapr's Kafka component uses as the
 * record key. `publish` resolves once the sidecar accepted every event and rejects otherwise.
 */
export class DaprPublisher implements EventPublisher {
  private readonly client: DaprClient;
  private readonly pubsubName: string;
  private readonly sidecarTimeoutMs: number;
  private readonly where: string;
  private readonly baseUrl: string;
  private readonly tokenHeader: Record<string, string>;
  private started: Promise<void> | undefined;

  constructor(options: DaprPublisherOptions) {
    const daprHost = options.daprHost ?? '127.0.0.1';
    this.client = new DaprClient({
      daprHost,
      daprPort: String(options.daprPort),
      communicationProtocol: CommunicationProtocolEnum.HTTP,
      ...(options.apiToken ? { daprApiToken: options.apiToken } : {}),
      logger: { level: LogLevel.Warn, service: sdkLogger(options.logger ?? pino({ level: 'silent' })) },
    });
    this.pubsubName = options.pubsubName;
    this.sidecarTimeoutMs = options.sidecarTimeoutMs ?? 5000;
    this.where = `${daprHost}:${options.daprPort}`;
    this.baseUrl = `http://${this.where}`;
    this.tokenHeader = options.apiToken ? { 'dapr-api-token': options.apiToken } : {};
  }

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.sidecarReady();
    for (const wave of publishWaves(messages)) {
      const byTopic = groupBy(wave, (m) => m.topic);
      throwFailures(
        await Promise.allSettled([...byTopic].map(([topic, batch]) => this.publishBulk(topic, batch))),
      );
    }
  }

  /**
   * Nothing to release: the SDK's HTTP agents are shared by every DaprClient in the process (stopping them
   * would cut off other Dapr clients) and their idle keep-alive sockets do not hold the process open.
   */
  async close(): Promise<void> {}

  /**
   * One call for a wave's events of one topic (`POST /v1.0-alpha1/publish/bulk/{pubsub}/{topic}`): daprd sends
   * them to Kafka in one `SendMessages` and answers once all are acknowledged. A refusal (400, 413) is for the
   * whole call; the events are then sent one at a time to learn which of them the sidecar refuses.
   */
  private async publishBulk(topic: string, messages: readonly OutboundMessage[]): Promise<void> {
    const path = `/v1.0-alpha1/publish/bulk/${encodeURIComponent(this.pubsubName)}/${encodeURIComponent(topic)}`;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.tokenHeader },
      body: JSON.stringify(
        messages.map((m) => ({
          entryId: m.event.id,
          event: m.event,
          contentType: CLOUDEVENTS_JSON,
          metadata: { partitionKey: m.key },
        })),
      ),
    });
    const detail = await response.text();
    if (response.ok) return;
    if (REFUSED_MESSAGE_STATUSES.has(response.status)) {
      throwFailures(await Promise.allSettled(messages.map((m) => this.publishOne(m))));
      return;
    }
    throw new Error(`Dapr publish to ${this.pubsubName}/${topic} failed: ${response.status} ${detail}`);
  }

  private async publishOne(message: OutboundMessage): Promise<void> {
    // The SDK reports failures as a returned `error` instead of throwing.
    const { error } = await this.client.pubsub.publish(this.pubsubName, message.topic, message.event, {
      contentType: CLOUDEVENTS_JSON,
      metadata: { partitionKey: message.key },
    });
    if (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const text = `Dapr publish to ${this.pubsubName}/${message.topic} failed: ${detail}`;
      const status = sidecarStatus(error);
      if (status !== undefined && REFUSED_MESSAGE_STATUSES.has(status))
        throw new RejectedEventsError(text, [message.event.id]);
      throw new Error(text);
    }
  }

  /**
   * The SDK polls the sidecar's metadata endpoint before its first call, for up to 30 s; we bound that wait so
   * the relay can back off, while the poll goes on in the background for the next attempt.
   */
  private async sidecarReady(): Promise<void> {
    if (!this.started) {
      const starting = this.client.start();
      this.started = starting;
      starting.catch(() => {
        if (this.started === starting) this.started = undefined;
      });
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`Dapr sidecar at ${this.where} did not answer within ${this.sidecarTimeoutMs} ms`),
          ),
        this.sidecarTimeoutMs,
      );
    });
    try {
      await Promise.race([this.started, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
