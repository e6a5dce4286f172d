import type { FastifyInstance } from 'fastify';

/** A bulk delivery as daprd v1.18 posts it to a subscription route: the events as entries "0", "1", … */
export function bulkDelivery(events: readonly unknown[]) {
  return {
    id: 'bulk-1',
    type: 'com.dapr.event.sent.bulk',
    topic: 'task-events',
    pubsubname: 'kafka-pubsub',
    metadata: null,
    entries: events.map((event, i) => ({
      entryId: String(i),
      event,
      contentType: 'application/cloudevents+json',
      metadata: { partitionKey: 'k' },
    })),
  };
}

/** Posts `body` to a subscription route as the sidecar does (JSON, with the app token). */
export function postBulk(server: FastifyInstance, route: string, body: unknown, token = 'sidecar-secret') {
  return server.inject({
    method: 'POST',
    url: route,
    headers: { 'content-type': 'application/json', 'dapr-api-token': token },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Delivers events in one bulk and returns the status answered for each, in order. */
export async function deliverInBulk(
  server: FastifyInstance,
  route: string,
  events: readonly unknown[],
): Promise<string[]> {
  const res = await postBulk(server, route, bulkDelivery(events));
  if (res.statusCode !== 200) throw new Error(`${route} answered ${res.statusCode}: ${res.body}`);
  return (res.json() as { statuses: { status: string }[] }).statuses.map((s) => s.status);
}
