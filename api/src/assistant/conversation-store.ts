/**
 * Where conversations live, behind one interface: the database (conversation.repository.ts) or, when the API runs
 * with Dapr and a state store, the sidecar's state API (dapr-conversation-store.ts). A conversation is its user's
 * only: `load` answers null for another user's id, as for one that does not exist.
 */
import type { ConversationState } from './planner.js';

/** One side of the exchange, as the model's context needs it. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface Conversation {
  id: string;
  userId: string;
  /** Messages answered so far (bounded by CHAT_TURNS_MAX). */
  turns: number;
  /** The most recent messages (CONTEXT_MESSAGES at most), oldest first. */
  messages: ChatMessage[];
  state: ConversationState;
  /** The store's concurrency token for the version loaded; null for a conversation not yet saved. */
  revision: string | null;
}

export interface ConversationStore {
  /** The user's conversation with this id, or null (none, or another user's). */
  load(userId: string, id: string): Promise<Conversation | null>;
  /** Writes the conversation over `revision` (null: creates it); false when another write came first. */
  save(conversation: Conversation): Promise<boolean>;
}

/** How many recent messages a conversation keeps (the model's context; older ones are dropped). */
export const CONTEXT_MESSAGES = 20;

/** The conversation after one more turn: the message and reply added, the oldest dropped past the bound. */
export function withTurn(
  conversation: Conversation,
  message: string,
  reply: string,
  state: ConversationState,
): Conversation {
  const messages: ChatMessage[] = [
    ...conversation.messages,
    { role: 'user', content: message },
    { role: 'assistant', content: reply },
  ];
  return {
    ...conversation,
    turns: conversation.turns + 1,
    messages: messages.slice(-CONTEXT_MESSAGES),
    state,
  };
}
