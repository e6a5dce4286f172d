import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  OAUTH_SCOPES,
  type OAuthAuthorizationRequest,
  type OAuthDecisionResult,
  type OAuthGrant,
  type OAuthScope,
} from '@todo/contract';
import type { Database } from '../db/database.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import { mcpResourceOf } from '../mcp/protected-resource.js';
import type { AccessTokens } from './access-tokens.js';
import type { ClientRegistry } from './client-registry.js';
import { type GrantRow, oauthRepository } from './oauth.repository.js';
import { OAuthError } from './oauth-error.js';
import { S256_CHALLENGE, verifiesS256 } from './pkce.js';
import { redirectUriAllowed } from './redirect-uri.js';

/** A pending request waits 10 minutes for consent; a code is redeemable for 2; a refresh token lasts 30 days. */
const REQUEST_TTL_MS = 10 * 60_000;
const CODE_TTL_MS = 2 * 60_000;
const REFRESH_TTL_MS = 30 * 24 * 3600_000;

/** The parameters of a token or revocation request, one value each. */
export type FormParams = Record<string, string>;

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** What a verified MCP access token grants. */
export interface McpAccess {
  userId: string;
  clientId: string;
  scopes: OAuthScope[];
}

const secret = () => randomBytes(32).toString('base64url');
const hashOf = (value: string) => createHash('sha256').update(value).digest('base64url');

function withParams(uri: string, params: Record<string, string | null>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return url.href;
}

function parseScopes(scope: string | undefined): OAuthScope[] {
  if (scope === undefined || scope.trim() === '') return [...OAUTH_SCOPES];
  const asked = [...new Set(scope.trim().split(/ +/))];
  const unknown = asked.filter((s) => !(OAUTH_SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new OAuthError('invalid_scope', `Unknown scope ${unknown[0]!.slice(0, 50)}.`);
  return OAUTH_SCOPES.filter((s) => asked.includes(s));
}

/**
 * The authorization server: authorization requests wait for the user's consent in the console, codes are
 * redeemed once with their PKCE verifier, refresh tokens rotate (a reused one ends its grant), and a grant
 * revoked from the console or RFC 7009 ends every token it issued.
 */
export class OAuthService {
  constructor(
    private readonly db: Database,
    private readonly clients: ClientRegistry,
    private readonly accessTokens: AccessTokens,
    private readonly now: () => number = Date.now,
  ) {}

  /** RFC 7591 registration of a public client. */
  register(body: unknown): Promise<Record<string, unknown>> {
    return this.clients.register(body);
  }

  /** RFC 8414 authorization server metadata; the issuer is the API's origin. */
  metadata(origin: string): Record<string, unknown> {
    return {
      issuer: origin,
      authorization_endpoint: `${origin}/oauth/authorize`,
      token_endpoint: `${origin}/oauth/token`,
      registration_endpoint: `${origin}/oauth/register`,
      revocation_endpoint: `${origin}/oauth/revoke`,
      scopes_supported: [...OAUTH_SCOPES],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    };
  }

  /**
   * `GET /oauth/authorize`: where the browser goes next. An unknown client or a redirect URI that is not the
   * client's is answered here (a 400, never a redirect); any other fault goes back to the client's redirect URI.
   */
  async authorize(query: Record<string, unknown>, origin: string): Promise<string> {
    const one = (name: string, max: number): string | undefined => {
      const v = query[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') throw new OAuthError('invalid_request', `${name} is given more than once.`);
      if (v.length > max)
        throw new OAuthError('invalid_request', `${name} is longer than ${max} characters.`);
      return v;
    };
    let clientId: string | undefined;
    let redirectUri: string | undefined;
    try {
      clientId = one('client_id', 500);
      redirectUri = one('redirect_uri', 2000);
    } catch (err) {
      throw new BadRequestError((err as Error).message);
    }
    if (!clientId) throw new BadRequestError('client_id is required.');
    let client: Awaited<ReturnType<ClientRegistry['find']>>;
    try {
      client = await this.clients.find(clientId);
    } catch (err) {
      throw new BadRequestError((err as Error).message);
    }
    if (!client) throw new BadRequestError('The client_id is not a registered client.');
    if (!redirectUri) throw new BadRequestError('redirect_uri is required.');
    if (!redirectUriAllowed(redirectUri, client.redirect_uris))
      throw new BadRequestError('The redirect_uri is not one the client registered.');

    let state: string | undefined;
    try {
      state = one('state', 1000);
      if (one('response_type', 50) !== 'code')
        throw new OAuthError('unsupported_response_type', 'response_type must be code.');
      const challenge = one('code_challenge', 200);
      if (one('code_challenge_method', 20) !== 'S256' || !challenge || !S256_CHALLENGE.test(challenge))
        throw new OAuthError(
          'invalid_request',
          'PKCE is required: a code_challenge with code_challenge_method=S256.',
        );
      const resource = one('resource', 2000);
      if (resource !== mcpResourceOf(origin))
        throw new OAuthError('invalid_target', `resource must be ${mcpResourceOf(origin)}.`);
      const scopes = parseScopes(one('scope', 200));
      const id = secret();
      await oauthRepository.insertRequest(this.db, hashOf(id), {
        client_id: client.client_id,
        redirect_uri: redirectUri,
        code_challenge: challenge,
        scopes,
        resource,
        state: state ?? null,
        expires_at: new Date(this.now() + REQUEST_TTL_MS),
      });
      return `/oauth/consent?request=${id}`;
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      return withParams(redirectUri, {
        error: err.code,
        error_description: err.message,
        state: state ?? null,
        iss: origin,
      });
    }
  }

  /** What the consent page shows for a pending request; 404 once answered, expired or never made. */
  async pendingRequest(id: string): Promise<OAuthAuthorizationRequest> {
    const request = await oauthRepository.request(this.db, hashOf(id));
    const client = request && (await oauthRepository.client(this.db, request.client_id));
    if (!request || !client) throw new NotFoundError('This authorization request is unknown or has expired.');
    return {
      clientId: client.client_id,
      clientName: client.client_name,
      clientUri: client.client_uri,
      redirectUri: request.redirect_uri,
      scopes: request.scopes,
      resource: request.resource,
      expiresAt: request.expires_at.toISOString(),
    };
  }

  /** The signed-in user's answer: a one-time code for the client, or access_denied. */
  async decide(id: string, userId: string, approve: boolean, origin: string): Promise<OAuthDecisionResult> {
    const request = await oauthRepository.takeRequest(this.db, hashOf(id));
    if (!request) throw new NotFoundError('This authorization request is unknown or has expired.');
    const answer = { state: request.state, iss: origin };
    if (!approve)
      return { redirectTo: withParams(request.redirect_uri, { error: 'access_denied', ...answer }) };
    const code = secret();
    await oauthRepository.insertCode(this.db, hashOf(code), {
      ...request,
      user_id: userId,
      expires_at: new Date(this.now() + CODE_TTL_MS),
    });
    return { redirectTo: withParams(request.redirect_uri, { code, ...answer }) };
  }

  /** `POST /oauth/token`. */
  async token(params: FormParams, origin: string): Promise<TokenResponse> {
    if (!params.client_id) throw new OAuthError('invalid_client', 'client_id is required.', 401);
    if (params.resource !== undefined && params.resource !== mcpResourceOf(origin))
      throw new OAuthError('invalid_target', `resource must be ${mcpResourceOf(origin)}.`);
    switch (params.grant_type) {
      case 'authorization_code':
        return this.redeemCode(params, origin);
      case 'refresh_token':
        return this.refresh(params, origin);
      default:
        throw new OAuthError(
          'unsupported_grant_type',
          'grant_type must be authorization_code or refresh_token.',
        );
    }
  }

  private async redeemCode(params: FormParams, origin: string): Promise<TokenResponse> {
    const { code, code_verifier: verifier, redirect_uri: redirectUri, client_id: clientId } = params;
    if (!code || !verifier || !redirectUri)
      throw new OAuthError('invalid_request', 'code, code_verifier and redirect_uri are required.');
    // Outcomes are decided inside the transaction and errors raised after it, so a revocation commits.
    const outcome = await this.db.transaction(async (tx) => {
      const found = await oauthRepository.lockCode(tx, hashOf(code));
      if (!found) return { error: 'The code is unknown.' };
      if (found.used_at) {
        // OAuth 2.1 §4.1.3: a code used twice was stolen or replayed; what it granted is revoked.
        if (found.grant_id) await oauthRepository.deleteGrant(tx, found.grant_id);
        return { error: 'The code was already used; the access it granted is revoked.' };
      }
      await oauthRepository.markCodeUsed(tx, hashOf(code), null);
      if (found.expired) return { error: 'The code has expired.' };
      if (found.client_id !== clientId) return { error: 'The code was issued to another client.' };
      if (found.redirect_uri !== redirectUri)
        return { error: 'The redirect_uri differs from the authorization request.' };
      if (!verifiesS256(verifier, found.code_challenge))
        return { error: 'The code_verifier does not match.' };
      const grantId = randomUUID();
      await oauthRepository.insertGrant(tx, { id: grantId, ...found });
      await oauthRepository.markCodeUsed(tx, hashOf(code), grantId);
      const grant = (await oauthRepository.grant(tx, grantId))!;
      return { tokens: await this.issue(tx, grant, grant.scopes, origin) };
    });
    if (outcome.tokens) return outcome.tokens;
    throw new OAuthError('invalid_grant', outcome.error);
  }

  private async refresh(params: FormParams, origin: string): Promise<TokenResponse> {
    if (!params.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required.');
    const tokenHash = hashOf(params.refresh_token);
    const outcome = await this.db.transaction(async (tx) => {
      const found = await oauthRepository.lockRefreshToken(tx, tokenHash);
      const grant = found && (await oauthRepository.grant(tx, found.grant_id));
      if (!found || !grant) return { error: 'The refresh token is unknown or revoked.' };
      if (grant.client_id !== params.client_id)
        return { error: 'The refresh token was issued to another client.' };
      if (found.used_at) {
        // A rotated refresh token presented again: one of its two holders is not the client (OAuth 2.1 §4.3.1).
        await oauthRepository.deleteGrant(tx, grant.id);
        return { error: 'The refresh token was already used; the access it granted is revoked.' };
      }
      if (found.expired) return { error: 'The refresh token has expired.' };
      const scopes = params.scope === undefined ? grant.scopes : parseScopes(params.scope);
      if (scopes.some((s) => !grant.scopes.includes(s)))
        return { error: 'The scope asked for is more than was granted.', code: 'invalid_scope' as const };
      await oauthRepository.markRefreshTokenUsed(tx, tokenHash);
      return { tokens: await this.issue(tx, grant, scopes, origin) };
    });
    if (outcome.tokens) return outcome.tokens;
    throw new OAuthError(outcome.code ?? 'invalid_grant', outcome.error);
  }

  private async issue(
    tx: Parameters<typeof oauthRepository.grant>[0],
    grant: GrantRow,
    scopes: OAuthScope[],
    origin: string,
  ): Promise<TokenResponse> {
    const refreshToken = secret();
    await oauthRepository.insertRefreshToken(
      tx,
      hashOf(refreshToken),
      grant.id,
      new Date(this.now() + REFRESH_TTL_MS),
    );
    await oauthRepository.touchGrant(tx, grant.id);
    const access = await this.accessTokens.issue({
      userId: grant.user_id,
      clientId: grant.client_id,
      grantId: grant.id,
      scopes,
      resource: grant.resource,
      issuer: origin,
    });
    return {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      refresh_token: refreshToken,
      scope: scopes.join(' '),
    };
  }

  /**
   * RFC 7009: a refresh token or an access token of ours ends its whole grant. Anything else (unknown,
   * expired, another client's) is answered the same way, as the RFC asks, and changes nothing.
   */
  async revoke(params: FormParams): Promise<void> {
    const token = params.token;
    if (!token) throw new OAuthError('invalid_request', 'token is required.');
    if (token.length > 4096) return;
    const grantId =
      (await oauthRepository.lockRefreshToken(this.db, hashOf(token)))?.grant_id ??
      (await this.accessTokens.read(token))?.grantId;
    if (!grantId) return;
    const grant = await oauthRepository.grant(this.db, grantId);
    if (grant && (!params.client_id || grant.client_id === params.client_id))
      await oauthRepository.deleteGrant(this.db, grant.id);
  }

  /** A bearer token for `/mcp` issued here, for exactly that resource and for a grant still in force. */
  async verifyAccessToken(token: string, resource: string): Promise<McpAccess | undefined> {
    const claims = await this.accessTokens.read(token, resource);
    if (!claims) return undefined;
    const grant = await oauthRepository.grant(this.db, claims.grantId);
    if (!grant || grant.user_id !== claims.userId) return undefined;
    return { userId: claims.userId, clientId: claims.clientId, scopes: claims.scopes };
  }

  async grants(userId: string): Promise<OAuthGrant[]> {
    return (await oauthRepository.grantsOf(this.db, userId)).map((g) => ({
      id: g.id,
      clientId: g.client_id,
      clientName: g.client_name,
      clientUri: g.client_uri,
      scopes: g.scopes,
      createdAt: g.created_at.toISOString(),
      lastUsedAt: g.last_used_at.toISOString(),
    }));
  }

  /** Revokes one of the user's grants; another user's, or none, is 404. */
  async revokeGrant(userId: string, grantId: string): Promise<void> {
    if (!(await oauthRepository.deleteGrant(this.db, grantId, userId)))
      throw new NotFoundError('No such connected app.');
  }
}
