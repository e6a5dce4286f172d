import { UnavailableError } from '../http/errors.js';
import type { Conversation, ConversationStore } from './conversation-store.js';

/** What the state store holds under a conversation's key; the owner is inside, so a stranger's id loads nothing. */
interface StoredConversation {
  userId: string;
  turns: number;
  messages: Conversation['messages'];
  state: Conversation['state'];
}

/**
 * Conversations in a Dapr state store (the `state.postgresql` component the operator renders), through the
 * sidecar's state API: the value under `conversation-<id>`, its ETag as the revision, saved first-write-wins
 * over that ETag so two messages at once take turns.
 */
export class DaprConversationStore implements ConversationStore {
  private readonly base: string;

  constructor(
    storeName: string,
    daprPort: number,
    private readonly apiToken?: string,
    host = '127.0.0.1',
  ) {
    this.base = `http://${host}:${daprPort}/v1.0/state/${encodeURIComponent(storeName)}`;
  }

  private headers(): Record<string, string> {
    return {
      'content-type': 'application/json',
      ...(this.apiToken ? { 'dapr-api-token': this.apiToken } : {}),
    };
  }

  async load(userId: string, id: string): Promise<Conversation | null> {
    const res = await this.call(`${this.base}/${keyOf(id)}?consistency=strong`, { headers: this.headers() });
    if (res.status === 204 || res.status === 404) return null;
    if (!res.ok) throw await unavailable(res, 'reading a conversation');
    const stored = (await res.json()) as StoredConversation;
    if (stored?.userId !== userId) return null;
    return {
      id,
      userId,
      turns: stored.turns,
      messages: stored.messages,
      state: stored.state,
      revision: res.headers.get('etag') ?? '',
    };
  }

  async save(c: Conversation): Promise<boolean> {
    const value: StoredConversation = {
      userId: c.userId,
      turns: c.turns,
      messages: c.messages,
      state: c.state,
    };
    const item = {
      key: keyOf(c.id),
      value,
      // A new conversation's id is random; an existing one is written over the ETag it was read at.
      ...(c.revision
        ? { etag: c.revision, options: { concurrency: 'first-write', consistency: 'strong' } }
        : {}),
    };
    const res = await this.call(this.base, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify([item]),
    });
    if (res.status === 409) return false;
    if (!res.ok) throw await unavailable(res, 'saving a conversation');
    await res.body?.cancel();
    return true;
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    } catch {
      throw new UnavailableError('The conversation store (the Dapr sidecar) cannot be reached; try again.');
    }
  }
}

const keyOf = (id: string) => `conversation-${id}`;

/** A sidecar error as a 503; its text goes nowhere near the client. */
async function unavailable(res: Response, doing: string): Promise<UnavailableError> {
  await res.body?.cancel();
  return new UnavailableError(
    `The conversation store failed ${doing} (Dapr answered ${res.status}); try again.`,
  );
}
