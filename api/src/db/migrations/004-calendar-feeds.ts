/**
 * Calendar feed credentials: one row per user who asked for a feed URL. The secret itself is never stored:
 * it is derived from the server's signing key and the row's generation, and only its SHA-256 (hex) is kept to find
 * the user a feed request belongs to. Rotating bumps the generation, so the old secret stops matching.
 */
export const sql = /* sql */ `
CREATE TABLE calendar_feeds (
  user_id text PRIMARY KEY,
  generation integer NOT NULL,
  secret_hash text NOT NULL,
  rotated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX calendar_feeds_secret_hash_key ON calendar_feeds (secret_hash);
`;
