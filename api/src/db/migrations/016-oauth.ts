/**
 * The API as an OAuth 2.1 authorization server for MCP clients. Clients register themselves (RFC 7591) or are
 * known by the URL of their metadata document (the document is cached here). A pending authorization request
 * waits for the user's consent in the console; a code, once exchanged, becomes a grant (what the console lists
 * under "Connected apps") with its refresh tokens. Codes, request ids and refresh tokens are stored as SHA-256
 * hashes; revoking a grant deletes its refresh tokens, and its access tokens stop working at once (they name it).
 */
export const sql = /* sql */ `
CREATE TABLE oauth_clients (
  client_id text PRIMARY KEY,
  client_name text,
  client_uri text,
  redirect_uris text[] NOT NULL,
  metadata_document boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  fetched_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE oauth_authorization_requests (
  id_hash text PRIMARY KEY,
  client_id text NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  redirect_uri text NOT NULL,
  code_challenge text NOT NULL,
  scopes text[] NOT NULL,
  resource text NOT NULL,
  state text,
  expires_at timestamptz NOT NULL
);
CREATE INDEX oauth_authorization_requests_expiry_idx ON oauth_authorization_requests (expires_at);

CREATE TABLE oauth_grants (
  id uuid PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id text NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  scopes text[] NOT NULL,
  resource text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_grants_user_idx ON oauth_grants (user_id, created_at);

CREATE TABLE oauth_codes (
  code_hash text PRIMARY KEY,
  client_id text NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  redirect_uri text NOT NULL,
  code_challenge text NOT NULL,
  scopes text[] NOT NULL,
  resource text NOT NULL,
  expires_at timestamptz NOT NULL,
  grant_id uuid REFERENCES oauth_grants (id) ON DELETE SET NULL,
  used_at timestamptz
);
CREATE INDEX oauth_codes_expiry_idx ON oauth_codes (expires_at);

CREATE TABLE oauth_refresh_tokens (
  token_hash text PRIMARY KEY,
  grant_id uuid NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX oauth_refresh_tokens_grant_idx ON oauth_refresh_tokens (grant_id);
`;
