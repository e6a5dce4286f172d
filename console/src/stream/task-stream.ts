import { SSE_EVENT_NAMES } from '@todo/contract/constants';
import { serverAnswered } from '../api/server-answers.js';
import { parseStreamEvent, type StreamEvent } from './stream-event.js';

export type StreamStatus = 'connecting' | 'open' | 'reconnecting';

const MAX_BACKOFF_MS = 30_000;

/**
 * The live update channel. EventSource cannot send headers, so the token travels as `access_token`
 * (the API accepts it on `/stream` only). EventSource retries by itself on dropped connections; when
 * the server refuses outright it closes, and we retry with backoff so a restarted API is picked up.
 */
export class TaskStream {
  private source: EventSource | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  /** Sent on our own reconnects so the server replays what was missed (EventSource does this on its own retries). */
  private lastEventId = '';

  constructor(
    private readonly url: string,
    private readonly token: () => string | null,
    private readonly onEvent: (event: StreamEvent) => void,
    private readonly onStatus: (status: StreamStatus) => void,
  ) {}

  connect(): void {
    this.close();
    const token = this.token();
    if (!token) return;
    this.onStatus(this.failures ? 'reconnecting' : 'connecting');
    const resume = this.lastEventId ? `&lastEventId=${encodeURIComponent(this.lastEventId)}` : '';
    const source = new EventSource(`${this.url}?access_token=${encodeURIComponent(token)}${resume}`);
    this.source = source;
    source.onopen = () => {
      this.failures = 0;
      this.onStatus('open');
      serverAnswered();
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) this.scheduleRetry();
      else this.onStatus('reconnecting');
    };
    for (const type of SSE_EVENT_NAMES) {
      source.addEventListener(type, (e) => {
        const message = e as MessageEvent<string>;
        if (message.lastEventId) this.lastEventId = message.lastEventId;
        const event = parseStreamEvent(type, message.data);
        if (event) this.onEvent(event);
      });
    }
  }

  close(): void {
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
  }

  private scheduleRetry(): void {
    this.source?.close();
    this.source = null;
    this.failures++;
    this.onStatus('reconnecting');
    const wait = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures, 5));
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }
}
