import type { Config } from '@todo/contract';
import type { Database } from '../db/database.js';
import { ChatService } from './chat.service.js';
import type { ChatTool } from './chat-tools.js';
import { DatabaseConversationStore } from './conversation.repository.js';
import type { ConversationStore } from './conversation-store.js';
import { DaprConversationStore } from './dapr-conversation-store.js';
import { deterministicPlanner } from './deterministic-planner.js';
import { ModelPlanner } from './model-planner.js';

/** Conversations in the Dapr state store named by STATESTORE_NAME (through the sidecar), else in the database. */
export function conversationStore(config: Config, db: Database): ConversationStore {
  return config.STATESTORE_NAME
    ? new DaprConversationStore(config.STATESTORE_NAME, config.DAPR_HTTP_PORT, config.DAPR_API_TOKEN)
    : new DatabaseConversationStore(db);
}

/** The chat as configured: a model plans when LLM_BASE_URL and LLM_MODEL are set, the deterministic planner otherwise. */
export function buildChat(config: Config, db: Database, tools: readonly ChatTool[]): ChatService {
  const planner =
    config.LLM_BASE_URL && config.LLM_MODEL
      ? new ModelPlanner(
          {
            baseUrl: config.LLM_BASE_URL,
            apiKey: config.LLM_API_KEY,
            model: config.LLM_MODEL,
            maxSteps: config.LLM_MAX_STEPS,
            maxTokens: config.LLM_MAX_TOKENS,
            timeoutMs: config.LLM_TIMEOUT_MS,
          },
          tools,
        )
      : deterministicPlanner;
  return new ChatService(conversationStore(config, db), tools, planner);
}
