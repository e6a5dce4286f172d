import type { Queryable } from '../db/database.js';
import type { Conversation, ConversationStore } from './conversation-store.js';

interface ConversationRow {
  id: string;
  turns: number;
  version: number;
  messages: Conversation['messages'];
  state: Conversation['state'];
}

/** Conversations in the API's own database (migration 017); `revision` is the row's version. */
export class DatabaseConversationStore implements ConversationStore {
  constructor(private readonly db: Queryable) {}

  async load(userId: string, id: string): Promise<Conversation | null> {
    const { rows } = await this.db.query<ConversationRow>(
      'SELECT id, turns, version, messages, state FROM conversations WHERE id = $1 AND user_id = $2',
      [id, userId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      userId,
      turns: row.turns,
      messages: row.messages,
      state: row.state,
      revision: String(row.version),
    };
  }

  async save(c: Conversation): Promise<boolean> {
    const values = [c.id, c.userId, c.turns, JSON.stringify(c.messages), JSON.stringify(c.state)];
    if (c.revision === null) {
      const { rowCount } = await this.db.query(
        `INSERT INTO conversations (id, user_id, turns, version, messages, state)
         VALUES ($1, $2, $3, 1, $4::jsonb, $5::jsonb) ON CONFLICT (id) DO NOTHING`,
        values,
      );
      return rowCount === 1;
    }
    const { rowCount } = await this.db.query(
      `UPDATE conversations SET turns = $3, messages = $4::jsonb, state = $5::jsonb,
              version = version + 1, updated_at = now()
        WHERE id = $1 AND user_id = $2 AND version = $6`,
      [...values, Number(c.revision)],
    );
    return rowCount === 1;
  }
}
