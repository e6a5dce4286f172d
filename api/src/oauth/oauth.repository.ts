import type { OAuthScope } from '@todo/contract';
import type { Queryable } from '../db/database.js';

export interface ClientRow {
  client_id: string;
  client_name: string | null;
  client_uri: string | null;
  redirect_uris: string[];
  metadata_document: boolean;
  fetched_at: Date;
}

export interface PendingRequestRow {
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  scopes: OAuthScope[];
  resource: string;
  state: string | null;
  expires_at: Date;
}

export interface CodeRow extends Omit<PendingRequestRow, 'state'> {
  user_id: string;
  grant_id: string | null;
  used_at: Date | null;
}

export interface GrantRow {
  id: string;
  user_id: string;
  client_id: string;
  client_name: string | null;
  client_uri: string | null;
  scopes: OAuthScope[];
  resource: string;
  created_at: Date;
  last_used_at: Date;
}

const GRANT_COLUMNS = `g.id, g.user_id, g.client_id, c.client_name, c.client_uri, g.scopes, g.resource,
  g.created_at, g.last_used_at`;

/** The authorization server's SQL: clients, pending requests, codes, grants and refresh tokens. */
/** A client without a grant is kept this long after it registered. */
export const UNUSED_CLIENT_DAYS = 30;

export const oauthRepository = {
  async client(db: Queryable, clientId: string): Promise<ClientRow | undefined> {
    const { rows } = await db.query<ClientRow>('SELECT * FROM oauth_clients WHERE client_id = $1', [
      clientId,
    ]);
    return rows[0];
  },

  /** Inserts a client, or refreshes a metadata document's cached copy. */
  async saveClient(db: Queryable, c: Omit<ClientRow, 'fetched_at'>): Promise<void> {
    await db.query(
      `INSERT INTO oauth_clients (client_id, client_name, client_uri, redirect_uris, metadata_document)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (client_id) DO UPDATE SET client_name = $2, client_uri = $3, redirect_uris = $4,
         fetched_at = now()`,
      [c.client_id, c.client_name, c.client_uri, c.redirect_uris, c.metadata_document],
    );
  },

  /**
   * What nobody will use again: refresh tokens a day past their expiry, and clients registered (or whose metadata
   * document was cached) over `days` ago that never got a grant and have nothing pending — a registration
   * endpoint open to anyone would otherwise only ever grow. A client removed so registers again.
   */
  async sweep(db: Queryable, days = UNUSED_CLIENT_DAYS): Promise<number> {
    const tokens = await db.query(
      "DELETE FROM oauth_refresh_tokens WHERE expires_at < now() - interval '1 day'",
    );
    const clients = await db.query(
      `DELETE FROM oauth_clients c WHERE c.created_at < now() - make_interval(days => $1)
         AND NOT EXISTS (SELECT 1 FROM oauth_grants g WHERE g.client_id = c.client_id)
         AND NOT EXISTS (SELECT 1 FROM oauth_codes k WHERE k.client_id = c.client_id)
         AND NOT EXISTS (SELECT 1 FROM oauth_authorization_requests r
                         WHERE r.client_id = c.client_id AND r.expires_at > now())`,
      [days],
    );
    return tokens.rowCount + clients.rowCount;
  },

  async insertRequest(db: Queryable, idHash: string, r: PendingRequestRow): Promise<void> {
    // Requests nobody answered are cleared as new ones arrive.
    await db.query('DELETE FROM oauth_authorization_requests WHERE expires_at < now()');
    await db.query(
      `INSERT INTO oauth_authorization_requests
         (id_hash, client_id, redirect_uri, code_challenge, scopes, resource, state, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [idHash, r.client_id, r.redirect_uri, r.code_challenge, r.scopes, r.resource, r.state, r.expires_at],
    );
  },

  async request(db: Queryable, idHash: string): Promise<PendingRequestRow | undefined> {
    const { rows } = await db.query<PendingRequestRow>(
      'SELECT * FROM oauth_authorization_requests WHERE id_hash = $1 AND expires_at > now()',
      [idHash],
    );
    return rows[0];
  },

  /** Removes a pending request and returns it: it is answered once. */
  async takeRequest(db: Queryable, idHash: string): Promise<PendingRequestRow | undefined> {
    const { rows } = await db.query<PendingRequestRow>(
      'DELETE FROM oauth_authorization_requests WHERE id_hash = $1 AND expires_at > now() RETURNING *',
      [idHash],
    );
    return rows[0];
  },

  async insertCode(db: Queryable, codeHash: string, c: Omit<CodeRow, 'grant_id' | 'used_at'>): Promise<void> {
    await db.query("DELETE FROM oauth_codes WHERE expires_at < now() - interval '1 day'");
    await db.query(
      `INSERT INTO oauth_codes
         (code_hash, client_id, user_id, redirect_uri, code_challenge, scopes, resource, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        codeHash,
        c.client_id,
        c.user_id,
        c.redirect_uri,
        c.code_challenge,
        c.scopes,
        c.resource,
        c.expires_at,
      ],
    );
  },

  /** A code, locked: two redemptions of one code are decided one after the other. */
  async lockCode(db: Queryable, codeHash: string): Promise<(CodeRow & { expired: boolean }) | undefined> {
    const { rows } = await db.query<CodeRow & { expired: boolean }>(
      'SELECT *, expires_at <= now() AS expired FROM oauth_codes WHERE code_hash = $1 FOR UPDATE',
      [codeHash],
    );
    return rows[0];
  },

  async markCodeUsed(db: Queryable, codeHash: string, grantId: string | null): Promise<void> {
    await db.query('UPDATE oauth_codes SET used_at = now(), grant_id = $2 WHERE code_hash = $1', [
      codeHash,
      grantId,
    ]);
  },

  async insertGrant(
    db: Queryable,
    g: { id: string; user_id: string; client_id: string; scopes: OAuthScope[]; resource: string },
  ): Promise<void> {
    await db.query(
      'INSERT INTO oauth_grants (id, user_id, client_id, scopes, resource) VALUES ($1, $2, $3, $4, $5)',
      [g.id, g.user_id, g.client_id, g.scopes, g.resource],
    );
  },

  async grant(db: Queryable, id: string): Promise<GrantRow | undefined> {
    const { rows } = await db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM oauth_grants g JOIN oauth_clients c USING (client_id) WHERE g.id = $1`,
      [id],
    );
    return rows[0];
  },

  async grantsOf(db: Queryable, userId: string): Promise<GrantRow[]> {
    const { rows } = await db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM oauth_grants g JOIN oauth_clients c USING (client_id)
       WHERE g.user_id = $1 ORDER BY g.created_at DESC, g.id`,
      [userId],
    );
    return rows;
  },

  async touchGrant(db: Queryable, id: string): Promise<void> {
    await db.query('UPDATE oauth_grants SET last_used_at = now() WHERE id = $1', [id]);
  },

  /** Deletes a grant (and with it its refresh tokens); `userId` limits it to that user's. */
  async deleteGrant(db: Queryable, id: string, userId?: string): Promise<boolean> {
    const { rowCount } = await db.query(
      'DELETE FROM oauth_grants WHERE id = $1 AND ($2::text IS NULL OR user_id = $2)',
      [id, userId ?? null],
    );
    return rowCount > 0;
  },

  async insertRefreshToken(
    db: Queryable,
    tokenHash: string,
    grantId: string,
    expiresAt: Date,
  ): Promise<void> {
    await db.query(
      'INSERT INTO oauth_refresh_tokens (token_hash, grant_id, expires_at) VALUES ($1, $2, $3)',
      [tokenHash, grantId, expiresAt],
    );
  },

  async lockRefreshToken(
    db: Queryable,
    tokenHash: string,
  ): Promise<{ grant_id: string; used_at: Date | null; expired: boolean } | undefined> {
    const { rows } = await db.query<{ grant_id: string; used_at: Date | null; expired: boolean }>(
      `SELECT grant_id, used_at, expires_at <= now() AS expired FROM oauth_refresh_tokens
       WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows[0];
  },

  async markRefreshTokenUsed(db: Queryable, tokenHash: string): Promise<void> {
    await db.query('UPDATE oauth_refresh_tokens SET used_at = now() WHERE token_hash = $1', [tokenHash]);
  },
};
