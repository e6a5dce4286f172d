import { createHash, timingSafeEqual } from 'node:crypto';

/** A PKCE code challenge or verifier's characters (RFC 7636 §4.1): S256 challenges are 43 of them. */
export const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
export const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Whether the verifier is the one the S256 challenge was made from: BASE64URL(SHA-256(verifier)). */
export function verifiesS256(verifier: string, challenge: string): boolean {
  if (!CODE_VERIFIER.test(verifier) || !S256_CHALLENGE.test(challenge)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
