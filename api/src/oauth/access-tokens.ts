import { createHmac, randomUUID } from 'node:crypto';
import { OAUTH_SCOPES, type OAuthScope } from '@todo/contract';
import { jwtVerify, SignJWT } from 'jose';
import { CLOCK_SKEW_SECONDS } from '../auth/tokens.js';

/** Access tokens live an hour; the client refreshes them (OAuth 2.1 §1.3.2's "short-lived"). */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
const TOKEN_TYPE = 'at+jwt';

export interface AccessTokenClaims {
  userId: string;
  clientId: string;
  grantId: string;
  scopes: OAuthScope[];
  /** The resource (RFC 8707) the token is for: the `/mcp` URL; it is the token's `aud`. */
  resource: string;
  issuer: string;
}

/**
 * Signs and reads the access tokens the authorization server issues (RFC 9068 JWTs, typ `at+jwt`). Their key
 * is derived from the session key, not equal to it, so a session verifier never accepts one (an MCP token
 * scoped to reading is no key to the whole REST API) and this one never accepts a session token.
 */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    sessionSecret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', sessionSecret).update('oauth-access-token').digest();
  }

  async issue(claims: AccessTokenClaims): Promise<{ token: string; expiresIn: number }> {
    const iat = Math.floor(this.now() / 1000);
    const token = await new SignJWT({
      scope: claims.scopes.join(' '),
      client_id: claims.clientId,
      gid: claims.grantId,
    })
      .setProtectedHeader({ alg: 'HS256', typ: TOKEN_TYPE })
      .setIssuer(claims.issuer)
      .setSubject(claims.userId)
      .setAudience(claims.resource)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
      .sign(this.key);
    return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** The claims of a token of ours for exactly this resource (any, when not given), or undefined. */
  async read(token: string, resource?: string): Promise<AccessTokenClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        typ: TOKEN_TYPE,
        ...(resource === undefined ? {} : { audience: resource }),
        requiredClaims: ['exp', 'sub', 'gid', 'iss'],
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(this.now()),
      });
      const scopes = String(payload.scope ?? '')
        .split(' ')
        .filter((s): s is OAuthScope => (OAUTH_SCOPES as readonly string[]).includes(s));
      return {
        userId: String(payload.sub),
        clientId: String(payload.client_id),
        grantId: String(payload.gid),
        scopes,
        resource: String(payload.aud),
        issuer: String(payload.iss),
      };
    } catch {
      return undefined;
    }
  }
}
