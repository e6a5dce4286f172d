/** Hosts of a loopback redirect URI: a native app listens on any port of these (OAuth 2.1 §8.4.2, RFC 8252 §7.3). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Why a redirect URI cannot be registered, or undefined when it can: https, http on a loopback host, or a
 * native app's private-use scheme in reverse-domain form (RFC 8252 §7.1); never a fragment, credentials or a
 * scheme a browser would run (javascript:, data:).
 */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > 2000) return 'is longer than 2000 characters';
  const url = parse(uri);
  if (!url) return 'is not an absolute URI';
  if (url.hash || uri.includes('#')) return 'must not have a fragment';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:')
    return isLoopback(url) ? undefined : 'must be https (http only on a loopback host)';
  if (/^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/.test(url.protocol)) return undefined;
  return 'must be https, http on a loopback host, or a reverse-domain private-use scheme';
}

/**
 * Whether a requested redirect URI is one of the registered ones: the same string, except that a loopback
 * URI matches whatever port it names (the app picks a free port each time).
 */
export function redirectUriAllowed(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  const want = parse(requested);
  if (!want || !isLoopback(want)) return false;
  return registered.some((r) => {
    const have = parse(r);
    if (!have || !isLoopback(have)) return false;
    want.port = '';
    have.port = '';
    return want.href === have.href;
  });
}
