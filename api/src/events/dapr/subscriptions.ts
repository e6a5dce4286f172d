import { deadLetterTopicName, type TopicKey, topicName } from '@todo/contract';
import type { HandleResult } from '../bus.js';

/** The app routes Dapr delivers each topic to; `task-updates` feeds the live stream (SSE) of this replica. */
export const DAPR_ROUTES: Record<TopicKey, string> = {
  taskEvents: '/events/tasks',
  reminders: '/events/reminders',
  taskUpdates: '/events/updates',
};

/** One entry of the programmatic subscription list Dapr reads from `GET /dapr/subscribe`. */
export interface DaprSubscription {
  pubsubname: string;
  topic: string;
  route: string;
  /**
   * Where the sidecar publishes an event it could not hand over: answered RETRY (or failed) until the tenant's
   * resiliency policy gave up, or answered DROP. Without one, a RETRY forever holds up its partition.
   */
  deadLetterTopic: string;
}

/**
 * The subscriptions this app declares: every contract topic (with the TOPIC_PREFIX rule) to its route, all with
 * the tenant's dead-letter topic.
 */
export function daprSubscriptions(prefix: string | undefined, pubsubName: string): DaprSubscription[] {
  return (Object.keys(DAPR_ROUTES) as TopicKey[]).map((key) => ({
    pubsubname: pubsubName,
    topic: topicName(key, prefix),
    route: DAPR_ROUTES[key],
    deadLetterTopic: deadLetterTopicName(prefix),
  }));
}

export type DaprDeliveryStatus = 'SUCCESS' | 'RETRY' | 'DROP';

/** What a subscription route answers Dapr: always HTTP 200, the decision in the body's `status`. */
export interface DaprDeliveryResponse {
  statusCode: 200;
  body: { status: DaprDeliveryStatus };
}

const STATUS: Record<HandleResult, DaprDeliveryStatus> = { success: 'SUCCESS', retry: 'RETRY', drop: 'DROP' };

/**
 * Maps a handler's decision to Dapr's delivery contract. The decision travels in the body rather than as an
 * HTTP error because Dapr treats a 404 as DROP and any other non-2xx as RETRY, which would blur the two.
 */
export function daprResponseFor(result: HandleResult): DaprDeliveryResponse {
  return { statusCode: 200, body: { status: STATUS[result] } };
}
