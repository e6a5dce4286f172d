import type { Queryable } from '../db/database.js';

/** One live update as a user's stream sends it; `seq` is its SSE id. */
export interface StreamRow {
  seq: number;
  type: string;
  data: unknown;
}

/** The user's stream SQL: its head and the rows after a position, by the per-user sequence. */
export const streamRepository = {
  /** The newest sequence number of a user's stream: where a fresh connection starts. */
  async head(db: Queryable, userId: string): Promise<number> {
    const { rows } = await db.query<{ last_seq: number }>(
      'SELECT last_seq FROM stream_heads WHERE user_id = $1',
      [userId],
    );
    return Number(rows[0]?.last_seq ?? 0);
  },

  /**
   * The rows after `afterSeq`, oldest first. Sequence numbers are allocated under the user's head row lock,
   * so they commit in order: once a row is visible, every lower one of the user is too.
   */
  async after(db: Queryable, userId: string, afterSeq: number, limit: number): Promise<StreamRow[]> {
    const { rows } = await db.query<StreamRow>(
      `SELECT user_seq AS seq, type, data FROM stream_events WHERE user_id = $1 AND user_seq > $2
       ORDER BY user_seq LIMIT $3`,
      [userId, afterSeq, limit],
    );
    return rows;
  },
};
