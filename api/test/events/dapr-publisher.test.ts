import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePort } from '@todo/infra';
import { afterEach, describe, expect, it } from 'vitest';
import { DaprPublisher } from '../../src/events/dapr/publisher.js';
import { RejectedEventsError } from '../../src/events/rejected-events.js';
import { outbound } from './kafka-fixtures.js';

/** A request as the sidecar received it. */
interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: string;
}

/**
 * Stands in for the Dapr sidecar's HTTP API, answering as the pub/sub API reference specifies
 * (https://docs.dapr.io/reference/api/pubsub_api/): `GET /v1.0/metadata` describes the sidecar,
 * `POST /v1.0/publish/{pubsubname}/{topic}` and the bulk `POST /v1.0-alpha1/publish/bulk/{pubsubname}/{topic}`
 * (a list of entries) answer 204 when delivered, 404 ERR_PUBSUB_NOT_FOUND for an unknown component and 500
 * ERR_PUBSUB_PUBLISH_MESSAGE when the broker refuses.
 */
class SidecarStandIn {
  readonly received: Received[] = [];
  /** The `dapr-api-token` header of each request, in order. */
  readonly apiTokens: (string | undefined)[] = [];
  brokerDown = false;
  /** Messages the sidecar refuses to read (400), by the event's subject. */
  readonly refusedSubjects = new Set<string>();
  /** Answers publishes after a random delay, so out-of-order sending would show. */
  jitterMs = 0;
  private server: Server | undefined;

  constructor(
    readonly port: number,
    private readonly pubsubName: string,
  ) {}

  async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }

  get publishes(): Received[] {
    return this.received.filter((r) => r.method === 'POST');
  }

  /** The events of each publish call, in the order the calls arrived. */
  get calls(): { path: string; events: { subject: string; data: { seq: number } }[] }[] {
    return this.publishes.map((r) => ({
      path: r.path,
      events: r.path.includes('/bulk/')
        ? (JSON.parse(r.body) as { event: never }[]).map((entry) => entry.event)
        : [JSON.parse(r.body)],
    }));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://sidecar');
    this.apiTokens.push(req.headers['dapr-api-token'] as string | undefined);
    this.received.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'],
      body,
    });
    if (req.method === 'GET' && url.pathname === '/v1.0/metadata') {
      return json(res, 200, {
        id: 'todo',
        components: [{ name: this.pubsubName, type: 'pubsub.kafka', version: 'v1' }],
      });
    }
    const publish = /^\/(v1\.0|v1\.0-alpha1)\/publish\/(bulk\/)?([^/]+)\/([^/]+)$/.exec(url.pathname);
    const bulk = publish?.[1] === 'v1.0-alpha1' && publish[2] !== undefined;
    if (req.method !== 'POST' || !publish || (publish[1] === 'v1.0-alpha1') !== bulk)
      return json(res, 404, { errorCode: 'ERR_NOT_FOUND', message: 'no route' });
    if (publish[3] !== this.pubsubName) {
      return json(res, 404, { errorCode: 'ERR_PUBSUB_NOT_FOUND', message: `pubsub ${publish[3]} not found` });
    }
    const events: { subject?: string }[] = bulk
      ? (JSON.parse(body) as { event: { subject?: string } }[]).map((entry) => entry.event)
      : [JSON.parse(body)];
    // A bulk with one event it cannot read is refused as a whole, as daprd does.
    if (events.some((event) => this.refusedSubjects.has(event.subject ?? ''))) {
      return json(res, 400, { errorCode: 'ERR_PUBSUB_CLOUD_EVENTS_SER', message: 'cannot read the event' });
    }
    if (this.brokerDown) {
      return json(res, 500, {
        errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE',
        message: 'kafka: client has run out of available brokers',
      });
    }
    await new Promise((r) => setTimeout(r, Math.random() * this.jitterMs));
    res.writeHead(204).end();
  }
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sidecar(pubsubName = 'kafka-pubsub'): Promise<SidecarStandIn> {
  const stand = new SidecarStandIn(await freePort(), pubsubName);
  await stand.listen();
  cleanups.push(() => stand.close());
  return stand;
}

function publisherFor(
  port: number,
  options: { pubsubName?: string; sidecarTimeoutMs?: number; apiToken?: string } = {},
): DaprPublisher {
  const publisher = new DaprPublisher({
    daprPort: port,
    pubsubName: options.pubsubName ?? 'kafka-pubsub',
    ...options,
  });
  cleanups.push(() => publisher.close());
  return publisher;
}

describe('DaprPublisher against the Dapr pub/sub HTTP API', () => {
  it('POSTs a bulk per topic to /v1.0-alpha1/publish/bulk/{pubsub}/{topic}: structured CloudEvents keyed by partitionKey', async () => {
    const stand = await sidecar();
    const messages = [
      outbound('acme.task-events', 'task-1', 1),
      outbound('acme.task-events', 'task-2', 1),
      outbound('acme.task-updates', 'task-1', 1),
    ];
    await publisherFor(stand.port).publish(messages);

    const entry = (m: (typeof messages)[number]) => ({
      entryId: m.event.id,
      event: m.event,
      contentType: 'application/cloudevents+json',
      metadata: { partitionKey: m.key },
    });
    expect(stand.publishes.map((r) => ({ ...r, body: JSON.parse(r.body) }))).toEqual([
      {
        method: 'POST',
        path: '/v1.0-alpha1/publish/bulk/kafka-pubsub/acme.task-events',
        query: {},
        contentType: 'application/json',
        body: [entry(messages[0]!), entry(messages[1]!)],
      },
      {
        method: 'POST',
        path: '/v1.0-alpha1/publish/bulk/kafka-pubsub/acme.task-updates',
        query: {},
        contentType: 'application/json',
        body: [entry(messages[2]!)],
      },
    ]);
  });

  it('sends the Dapr API token it is given on every call to the sidecar', async () => {
    const stand = await sidecar();
    await publisherFor(stand.port, { apiToken: 'the-dapr-api-token' }).publish([
      outbound('task-events', 'task-1', 1),
    ]);
    expect(stand.publishes).toHaveLength(1);
    expect(stand.apiTokens.length).toBeGreaterThan(1);
    expect(new Set(stand.apiTokens)).toEqual(new Set(['the-dapr-api-token']));
  });

  it("keeps each task's events in order, one event per task in each bulk, while the sidecar answers at random speeds", async () => {
    const stand = await sidecar();
    stand.jitterMs = 15;
    const messages = [1, 2, 3, 4, 5].flatMap((seq) =>
      ['task-a', 'task-b', 'task-c'].map((t) => outbound('task-events', t, seq)),
    );
    await publisherFor(stand.port).publish(messages);

    // One call per wave: a task's next event is sent only once the call with its previous one is answered.
    expect(stand.calls.map((c) => c.events.map((e) => e.subject))).toEqual(
      [1, 2, 3, 4, 5].map(() => ['task-a', 'task-b', 'task-c']),
    );
    const arrived = stand.calls.flatMap((c) => c.events);
    expect(arrived).toHaveLength(15);
    for (const task of ['task-a', 'task-b', 'task-c']) {
      expect(arrived.filter((e) => e.subject === task).map((e) => e.data.seq)).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('rejects when the sidecar cannot deliver (500), so the relay keeps the events and backs off', async () => {
    const stand = await sidecar();
    stand.brokerDown = true;
    const publisher = publisherFor(stand.port);
    await expect(publisher.publish([outbound('task-events', 'task-1', 1)])).rejects.toThrow(
      /kafka-pubsub\/task-events failed.*ERR_PUBSUB_PUBLISH_MESSAGE/,
    );
    stand.brokerDown = false;
    await expect(publisher.publish([outbound('task-events', 'task-1', 1)])).resolves.toBeUndefined();
  });

  it('names the events the sidecar refuses to read (400) as rejected, sending a refused bulk one event at a time, apart from a broker outage', async () => {
    const stand = await sidecar();
    stand.refusedSubjects.add('task-poison');
    const publisher = publisherFor(stand.port);
    const poison = outbound('task-events', 'task-poison', 1);
    const fine = outbound('task-events', 'task-1', 1);
    const refused = await publisher.publish([poison, fine]).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(RejectedEventsError);
    expect((refused as RejectedEventsError).eventIds).toEqual([poison.event.id]);
    expect(stand.calls.map((c) => (c.path.includes('/bulk/') ? 'bulk' : 'one by one'))).toEqual([
      'bulk',
      'one by one',
      'one by one',
    ]);

    stand.brokerDown = true;
    const down = await publisher.publish([poison, outbound('task-events', 'task-2', 1)]).catch((e) => e);
    expect(down).toBeInstanceOf(Error);
    expect(down).not.toBeInstanceOf(RejectedEventsError);
  });

  it('rejects when the pubsub component is unknown to the sidecar (404)', async () => {
    const stand = await sidecar('other-pubsub');
    await expect(publisherFor(stand.port).publish([outbound('task-events', 'task-1', 1)])).rejects.toThrow(
      /ERR_PUBSUB_NOT_FOUND/,
    );
  });

  it('rejects within its timeout while no sidecar listens, and publishes once the sidecar is up', async () => {
    const port = await freePort();
    const publisher = publisherFor(port, { sidecarTimeoutMs: 1000 });
    const started = Date.now();
    await expect(publisher.publish([outbound('task-events', 'task-1', 1)])).rejects.toThrow(
      /sidecar at 127\.0\.0\.1:\d+ did not answer within 1000 ms/,
    );
    expect(Date.now() - started).toBeLessThan(3000);

    const stand = new SidecarStandIn(port, 'kafka-pubsub');
    await stand.listen();
    cleanups.push(() => stand.close());
    await expect(publisher.publish([outbound('task-events', 'task-1', 2)])).resolves.toBeUndefined();
    expect(stand.publishes).toHaveLength(1);
  });

  it('sends nothing for an empty batch', async () => {
    const stand = await sidecar();
    await publisherFor(stand.port).publish([]);
    expect(stand.received).toEqual([]);
  });
});
