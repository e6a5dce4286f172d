import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { TooManyRequestsError } from '../http/errors.js';
import { originOf } from '../http/origin.js';
import type { FormParams, OAuthService } from './oauth.service.js';
import { OAuthError } from './oauth-error.js';

/** Token and revocation requests are small forms; nothing an OAuth client sends comes near 16 KiB. */
const FORM_LIMIT = 16 * 1024;

/** A form body (RFC 6749 §3.2: parameters sent at most once), or the name of a repeated one. */
type Form = { params: FormParams; repeated?: string };

function parseForm(body: string): Form {
  const params: FormParams = {};
  for (const [name, value] of new URLSearchParams(body)) {
    if (name in params) return { params, repeated: name };
    params[name] = value;
  }
  return { params };
}

function formParams(body: unknown): FormParams {
  const form = body as Form | undefined;
  if (!form?.params)
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  if (form.repeated)
    throw new OAuthError('invalid_request', `${form.repeated.slice(0, 50)} is given more than once.`);
  return form.params;
}

/** An OAuth error as OAuth clients read it (RFC 6749 §5.2); anything else goes to the problem handler. */
function sendOAuthError(reply: FastifyReply, err: unknown): FastifyReply {
  if (!(err instanceof OAuthError)) throw err;
  return reply
    .code(err.status)
    .header('cache-control', 'no-store')
    .send({ error: err.code, error_description: err.message });
}

/** What a browser-based client fetches (http/cors.ts); `/oauth/authorize` is navigated to, not fetched. */
export const OAUTH_CORS_PATHS = {
  '/.well-known/oauth-authorization-server': ['GET'],
  '/oauth/token': ['POST'],
  '/oauth/register': ['POST'],
  '/oauth/revoke': ['POST'],
} as const;

/**
 * The OAuth 2.1 protocol endpoints at the API's root, outside `/api/v1` and its session authentication:
 * metadata (RFC 8414), authorization, token, registration (RFC 7591) and revocation (RFC 7009). They speak
 * OAuth's own error format, so the OpenAPI document (whose errors are all problem+json) leaves them out.
 */
export const oauthRoutes: FastifyPluginAsync<{ oauth: OAuthService; registrationsPerHour: number }> = async (
  app,
  { oauth, registrationsPerHour },
) => {
  // Registration needs no credentials, so each one is a row anyone can add: counted per client address
  // (`request.ip`, see TRUST_PROXY) in this process's memory, in fixed windows of an hour.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, limit) =>
      new TooManyRequestsError(
        `Too many client registrations from this address; try again in ${limit.after}.`,
        Math.max(1, Math.ceil(limit.ttl / 1000)),
      ),
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_LIMIT },
    (_request, body, done) => done(null, parseForm(body as string)),
  );
  const hide = { hide: true };

  app.get('/.well-known/oauth-authorization-server', { schema: hide }, async (request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').send(oauth.metadata(originOf(request))),
  );

  app.get('/oauth/authorize', { schema: hide }, async (request, reply) =>
    reply
      .header('cache-control', 'no-store')
      .redirect(await oauth.authorize(request.query as Record<string, unknown>, originOf(request)), 302),
  );

  app.post('/oauth/token', { schema: hide }, async (request, reply) => {
    try {
      const tokens = await oauth.token(formParams(request.body), originOf(request));
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(tokens);
    } catch (err) {
      return sendOAuthError(reply, err);
    }
  });

  // `false` turns the plugin off for the route (OAUTH_REGISTRATIONS_PER_HOUR=0).
  const registrationLimit = {
    rateLimit: registrationsPerHour > 0 ? { max: registrationsPerHour, timeWindow: '1 hour' } : false,
  };
  app.post(
    '/oauth/register',
    { schema: hide, bodyLimit: FORM_LIMIT, config: registrationLimit },
    async (request, reply) => {
      try {
        return reply
          .code(201)
          .header('cache-control', 'no-store')
          .send(await oauth.register(request.body));
      } catch (err) {
        return sendOAuthError(reply, err);
      }
    },
  );

  app.post('/oauth/revoke', { schema: hide }, async (request, reply) => {
    try {
      await oauth.revoke(formParams(request.body));
      return reply.header('cache-control', 'no-store').send({});
    } catch (err) {
      return sendOAuthError(reply, err);
    }
  });
};
