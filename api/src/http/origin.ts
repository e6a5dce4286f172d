import type { FastifyRequest } from 'fastify';

const HOST = /^[A-Za-z0-9.\-:[\]]{1,255}$/;

/** The first value of a header a proxy may have set (`x-forwarded-proto: https, http`). */
const firstOf = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();

/**
 * The origin the caller reached us at (`https://acme.example.com`), forwarded headers believed: what is built
 * from it (a feed URL, OAuth metadata, a token's audience) goes back to the same caller, who can only mislead
 * themselves, and a token is only ever accepted for the origin it was issued at.
 */
export function originOf(request: FastifyRequest): string {
  const proto = firstOf(request.headers['x-forwarded-proto']);
  const host = firstOf(request.headers['x-forwarded-host']) ?? request.host;
  const scheme = proto === 'https' || proto === 'http' ? proto : request.protocol;
  return `${scheme}://${HOST.test(host) ? host : 'localhost'}`;
}
