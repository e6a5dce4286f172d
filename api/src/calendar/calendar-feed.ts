import { createHash, createHmac } from 'node:crypto';
import type { Database } from '../db/database.js';

/** Where a feed is served; the secret is the last path segment (the request log redacts it). */
export const FEED_PATH_PREFIX = '/api/v1/calendar/feeds/';

/** A feed secret as it appears in a URL: 32 bytes of HMAC-SHA256 in base64url. */
export const FEED_SECRET = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/**
 * Per-user secret calendar feed URLs, the calendar's own credential (as Google Calendar and Todoist do): read-only,
 * no expiry, revoked by rotating. The secret is derived from the server's signing key, the user and a
 * generation, so it can be shown again without being stored; the database keeps only its hash.
 */
export class CalendarFeeds {
  private readonly key: Buffer;

  constructor(
    private readonly db: Database,
    signingSecret: string,
  ) {
    // A key of its own, so a feed secret is never something the token signer would produce.
    this.key = createHmac('sha256', signingSecret).update('calendar-feed-key').digest();
  }

  private secretOf(userId: string, generation: number): string {
    return createHmac('sha256', this.key).update(`${userId}\n${generation}`).digest('base64url');
  }

  /** The user's current feed secret, created on first use. */
  async current(userId: string): Promise<string> {
    const first = this.secretOf(userId, 1);
    await this.db.query(
      `INSERT INTO calendar_feeds (user_id, generation, secret_hash) VALUES ($1, 1, $2)
       ON CONFLICT (user_id) DO NOTHING`,
      [userId, sha256(first)],
    );
    const { rows } = await this.db.query<{ generation: number }>(
      'SELECT generation FROM calendar_feeds WHERE user_id = $1',
      [userId],
    );
    return this.secretOf(userId, rows[0]!.generation);
  }

  /** Replaces the user's feed secret; the previous one stops working at once. */
  async rotate(userId: string): Promise<string> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ generation: number }>(
        'SELECT generation FROM calendar_feeds WHERE user_id = $1 FOR UPDATE',
        [userId],
      );
      // Without a row the URL a first GET would show is generation 1: a rotation moves past it too.
      const generation = (rows[0]?.generation ?? 1) + 1;
      const secret = this.secretOf(userId, generation);
      await tx.query(
        `INSERT INTO calendar_feeds (user_id, generation, secret_hash) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE
           SET generation = EXCLUDED.generation, secret_hash = EXCLUDED.secret_hash, rotated_at = now()`,
        [userId, generation, sha256(secret)],
      );
      return secret;
    });
  }

  /** The user a feed secret belongs to, if it is a current one. */
  async ownerOf(secret: string): Promise<string | undefined> {
    if (!FEED_SECRET.test(secret)) return undefined;
    const { rows } = await this.db.query<{ user_id: string }>(
      'SELECT user_id FROM calendar_feeds WHERE secret_hash = $1',
      [sha256(secret)],
    );
    return rows[0]?.user_id;
  }
}
