import type { IncomingHttpHeaders } from 'node:http';
import { type Logger, type LoggerOptions, stdSerializers } from 'pino';

/** What a credential is replaced by in a log line. */
export const REDACTED = '[REDACTED]';

/** Query parameters that carry a credential (EventSource and calendar apps cannot send headers; OAuth's code and
 * verifier, the consent page's request id). */
const CREDENTIAL_PARAMS = new Set([
  'access_token',
  'token',
  'id_token',
  'refresh_token',
  'code',
  'code_verifier',
  'request',
  'api_key',
  'apikey',
  'key',
  'secret',
  'password',
  'signature',
]);

/** Headers that carry a credential. */
const CREDENTIAL_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'dapr-api-token',
  'x-api-key',
];

/** Path segments that are themselves a credential: a calendar feed URL's secret, an OAuth request's id. */
const CREDENTIAL_PATHS = [/(\/calendar\/feeds\/)[^/?#]+/g, /(\/oauth\/requests\/)[^/?#]+/g];

function isCredentialParam(rawName: string): boolean {
  let name = rawName;
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    // A malformed escape is still checked as written.
  }
  return CREDENTIAL_PARAMS.has(name.trim().toLowerCase());
}

/** The URL with every credential in its path or query replaced, everything else kept as sent. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const path = CREDENTIAL_PATHS.reduce((p, pattern) => p.replace(pattern, `$1${REDACTED}`), rawPath);
  if (queryStart === -1) return path;
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return eq !== -1 && isCredentialParam(name) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

/** A copy of the headers with every credential replaced. */
export function redactHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy: IncomingHttpHeaders = { ...headers };
  for (const name of Object.keys(copy)) {
    if (CREDENTIAL_HEADERS.includes(name.toLowerCase())) copy[name] = REDACTED;
  }
  return copy;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string | undefined;
  ip?: string | undefined;
  socket?: { remotePort?: number | undefined } | undefined;
}

/**
 * The serializers every HTTP log line goes through: a request is logged with its URL redacted; an error
 * loses what Node attaches to it that can hold a whole raw request (`rawPacket` on client errors).
 */
const serializers = {
  req: (req: LoggedRequest) => ({
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
  err: (err: Error) => {
    const { rawPacket: _raw, ...rest } = stdSerializers.err(err) as ReturnType<typeof stdSerializers.err> & {
      rawPacket?: unknown;
    };
    return rest;
  },
};

/** Header credentials wherever a log line carries headers, as an object or in a request or response. */
const redact: LoggerOptions['redact'] = {
  paths: ['headers', 'req.headers', 'res.headers', 'request.headers', 'response.headers'].flatMap((at) =>
    CREDENTIAL_HEADERS.map((h) => `${at}["${h}"]`),
  ),
  censor: REDACTED,
};

/** A child of the given logger that cannot write a credential from a URL or header. */
export function credentialSafeLogger(logger: Logger): Logger {
  return logger.child({}, { serializers, redact });
}
