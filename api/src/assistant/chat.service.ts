import { randomUUID } from 'node:crypto';
import { CHAT_TURNS_MAX, type ChatAction, type ChatRequest, type ChatResponse } from '@todo/contract';
import { ConflictError, NotFoundError } from '../http/errors.js';
import { type ChatTool, callTool } from './chat-tools.js';
import { type Conversation, type ConversationStore, withTurn } from './conversation-store.js';
import { type ConversationState, EMPTY_STATE, type ToolCall, type ToolOutcome } from './planner.js';

/** Where a turn's progress goes as it happens (the streaming variant); the JSON variant ignores it. */
export interface ChatSink {
  action(action: ChatAction): void;
  /** The next piece of the reply. */
  delta(text: string): void;
}

const ignore: ChatSink = { action: () => undefined, delta: () => undefined };

/** What a planner is given for one message. */
export interface TurnInput {
  message: string;
  conversation: Conversation;
  userId: string;
  timeZone: string;
  now: Date;
  /** Runs a tool for the conversation's user; the outcome is data, whatever it says. */
  runTool(call: ToolCall): Promise<ToolOutcome>;
  sink: ChatSink;
}

/** Turns one message into tool calls and a reply: the deterministic planner, or a model. */
export interface TurnPlanner {
  plan(input: TurnInput): Promise<{ reply: string; state: ConversationState }>;
}

/** A message accepted for a conversation (it exists, is the user's, has room), ready to run. */
export interface AcceptedTurn {
  conversationId: string;
  run(sink?: ChatSink): Promise<ChatResponse>;
}

/** Saving a turn over a concurrent one: read again and add this turn to it, this many times at most. */
const SAVE_ATTEMPTS = 5;

/** The chat: loads the conversation, lets the planner act through the tools, saves the turn. */
export class ChatService {
  private readonly tools: ReadonlyMap<string, ChatTool>;

  constructor(
    private readonly store: ConversationStore,
    tools: readonly ChatTool[],
    private readonly planner: TurnPlanner,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.tools = new Map(tools.map((t) => [t.name, t]));
  }

  /** Checks the conversation (404 another user's or none, 409 full) before anything is said or done. */
  async accept(userId: string, request: ChatRequest): Promise<AcceptedTurn> {
    const conversation = request.conversationId
      ? await this.store.load(userId, request.conversationId)
      : { id: randomUUID(), userId, turns: 0, messages: [], state: EMPTY_STATE, revision: null };
    if (!conversation) throw new NotFoundError(`Conversation ${request.conversationId} does not exist.`);
    if (conversation.turns >= CHAT_TURNS_MAX) {
      throw new ConflictError(
        `Conversation ${conversation.id} is full (${CHAT_TURNS_MAX} messages); start a new one without conversationId.`,
      );
    }
    return {
      conversationId: conversation.id,
      run: (sink = ignore) => this.run(conversation, request, sink),
    };
  }

  private async run(conversation: Conversation, request: ChatRequest, sink: ChatSink): Promise<ChatResponse> {
    const actions: ChatAction[] = [];
    const runTool = async (call: ToolCall): Promise<ToolOutcome> => {
      const outcome = await callTool(this.tools, conversation.userId, call);
      const action: ChatAction = {
        tool: call.tool,
        arguments: call.arguments,
        result: outcome.ok ? outcome.result : { error: outcome.error },
      };
      actions.push(action);
      sink.action(action);
      return outcome;
    };
    const { reply, state } = await this.planner.plan({
      message: request.message,
      conversation,
      userId: conversation.userId,
      timeZone: request.timeZone ?? 'UTC',
      now: this.now(),
      runTool,
      sink,
    });
    await this.saveTurn(conversation, request.message, reply, state);
    return { reply, actions, conversationId: conversation.id };
  }

  private async saveTurn(first: Conversation, message: string, reply: string, state: ConversationState) {
    let base: Conversation | null = first;
    for (let attempt = 0; attempt < SAVE_ATTEMPTS && base; attempt++) {
      if (await this.store.save(withTurn(base, message, reply, state))) return;
      base = await this.store.load(first.userId, first.id);
    }
    throw new ConflictError(
      `Conversation ${first.id} kept changing while this message was saved; send it again.`,
    );
  }
}
