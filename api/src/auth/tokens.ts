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

export interface TokenSettings {
  secret: string;
  ttlSeconds: number;
  jwksUrl?: string | undefined;
  externalIssuer?: string | undefined;
}

/** Issues our own HS256 tokens and verifies ours plus externally issued ones (HS256 secret or JWKS). */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly jwks: JWTVerifyGetKey | undefined;
  private readonly verified = new Map<string, { sub: string; expMs: number }>();

  constructor(private readonly settings: TokenSettings) {
    this.key = new TextEncoder().encode(settings.secret);
    this.jwks = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : undefined;
  }

  async issue(userId: string, email: string): Promise<string> {
    return new SignJWT({ email })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(TOKEN_ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${this.settings.ttlSeconds}s`)
      .sign(this.key);
  }

  /** Returns the user id (`sub`) of a valid token; any failure is a 401 that does not say why in detail. */
  async verify(token: string): Promise<string> {
    const known = this.verified.get(token);
    if (known && known.expMs > Date.now()) return known.sub;
    const sub = await this.verifyUncached(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    const exp = (decodeJwt(token).exp ?? 0) * 1000;
    if (exp > Date.now()) this.verified.set(token, { sub, expMs: exp });
    return sub;
  }

  private async verifyUncached(token: string): Promise<string> {
    let payload: JWTPayload;
    try {
      const { alg } = decodeProtectedHeader(token);
      if (alg === 'HS256') {
        const issuers = [
          TOKEN_ISSUER,
          ...(this.settings.externalIssuer ? [this.settings.externalIssuer] : []),
        ];
        ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: issuers }));
      } else if (this.jwks && alg && alg !== 'none') {
        ({ payload } = await jwtVerify(token, this.jwks, {
          algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
          ...(this.settings.externalIssuer ? { issuer: this.settings.externalIssuer } : {}),
        }));
      } else {
        throw new Error(`unsupported alg ${alg}`);
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
