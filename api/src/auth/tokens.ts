import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';
import { UnauthorizedError } from '../http/errors.js';

export const TOKEN_ISSUER = 'todo-api';

/** Verified tokens remembered (until they expire) so a busy client does not pay for HMAC on every request. */
const VERIFIED_CACHE_SIZE = 10_000;

/** How far apart our clock and an issuer's may be when checking `exp`, `nbf` and `iat` (RFC 7519 §4.1). */
export const CLOCK_SKEW_SECONDS = 60;

export interface TokenSettings {
  secret: string;
  ttlSeconds: number;
  jwksUrl?: string | undefined;
  externalIssuer?: string | undefined;
  /** The current time in ms; tests move it instead of waiting. */
  now?: () => number;
}

/** Issues our own HS256 tokens and verifies ours plus externally issued ones (HS256 secret or JWKS). */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly jwks: JWTVerifyGetKey | undefined;
  private readonly verified = new Map<string, { sub: string; expMs: number }>();
  private readonly now: () => number;

  constructor(private readonly settings: TokenSettings) {
    this.key = new TextEncoder().encode(settings.secret);
    this.jwks = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : undefined;
    this.now = settings.now ?? Date.now;
  }

  async issue(userId: string, email: string): Promise<string> {
    return new SignJWT({ email })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(TOKEN_ISSUER)
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(Math.floor(this.now() / 1000) + this.settings.ttlSeconds)
      .sign(this.key);
  }

  /** Returns the user id (`sub`) of a valid token; any failure is a 401 that does not say why in detail. */
  async verify(token: string): Promise<string> {
    const known = this.verified.get(token);
    if (known && known.expMs > this.now()) return known.sub;
    const sub = await this.verifyUncached(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    const exp = (decodeJwt(token).exp ?? 0) * 1000;
    if (exp > this.now()) this.verified.set(token, { sub, expMs: exp });
    return sub;
  }

  private async verifyUncached(token: string): Promise<string> {
    let payload: JWTPayload;
    // A token without `exp` would be valid forever: it is refused, whoever signed it.
    const timing = {
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: new Date(this.now()),
    };
    try {
      const { alg } = decodeProtectedHeader(token);
      if (alg === 'HS256') {
        const issuers = [
          TOKEN_ISSUER,
          ...(this.settings.externalIssuer ? [this.settings.externalIssuer] : []),
        ];
        ({ payload } = await jwtVerify(token, this.key, {
          algorithms: ['HS256'],
          issuer: issuers,
          ...timing,
        }));
      } else if (this.jwks && alg && alg !== 'none') {
        ({ payload } = await jwtVerify(token, this.jwks, {
          algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
          ...(this.settings.externalIssuer ? { issuer: this.settings.externalIssuer } : {}),
          ...timing,
        }));
      } else {
        throw new Error(`unsupported alg ${alg}`);
      }
      // jose checks `iat` only against a maximum age; a token issued in the future is as wrong as one not yet valid.
      if (payload.iat !== undefined && payload.iat > this.now() / 1000 + CLOCK_SKEW_SECONDS) {
        throw new Error('issued in the future');
      }
    } catch {
      throw new UnauthorizedError('The bearer token is invalid or expired.');
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 200) {
      throw new UnauthorizedError('The bearer token has no subject.');
    }
    return payload.sub;
  }
}
