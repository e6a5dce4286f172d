import { randomUUID } from 'node:crypto';
import type { Config } from '@todo/contract';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { type Logger, pino } from 'pino';
import { activityRoutes } from './activity/activity.routes.js';
import { chatRoutes } from './assistant/chat.routes.js';
import { buildChat } from './assistant/chat-setup.js';
import { assistantTools } from './assistant/tools.js';
import { authRoutes } from './auth/auth.routes.js';
import { AuthService } from './auth/auth.service.js';
import { registerAuthentication } from './auth/authenticate.js';
import { resolveJwtSecret } from './auth/jwt-secret.js';
import { TokenService } from './auth/tokens.js';
import { calendarRoutes } from './calendar/calendar.routes.js';
import { CalendarFeeds } from './calendar/calendar-feed.js';
import { registerConsole } from './console/console.plugin.js';
import type { Database } from './db/database.js';
import { daprRoutes } from './events/dapr.routes.js';
import { EventSystem } from './events/event-system.js';
import { healthRoutes, type Readiness } from './health/health.routes.js';
import { registerApiCaching } from './http/caching.js';
import { clientErrorResponder, frameworkErrorProblem, refuseConnect } from './http/connection-errors.js';
import { registerContentTypes } from './http/content-types.js';
import { registerCors } from './http/cors.js';
import { registerFallbacks } from './http/fallbacks.js';
import { credentialSafeLogger } from './http/log-redaction.js';
import { createMetricsRegistry, registerHttpMetrics } from './http/metrics.js';
import { registerOpenApi } from './http/openapi.js';
import { problem, registerProblemHandlers, sendProblem } from './http/problem.js';
import { zodSerializerCompiler } from './http/serializer.js';
import { mcpRoutes } from './mcp/mcp.routes.js';
import { MCP_PATH, PROTECTED_RESOURCE_PATHS } from './mcp/protected-resource.js';
import { notificationRoutes } from './notifications/notification.routes.js';
import { AccessTokens } from './oauth/access-tokens.js';
import { ClientRegistry } from './oauth/client-registry.js';
import { OAUTH_CORS_PATHS, oauthRoutes } from './oauth/oauth.routes.js';
import { OAuthService } from './oauth/oauth.service.js';
import { oauthConsoleRoutes } from './oauth/oauth-console.routes.js';
import { ImportService } from './portability/import.service.js';
import { readIcs } from './portability/import-ics.js';
import { portabilityRoutes } from './portability/portability.routes.js';
import { PortabilityExport } from './portability/portability-export.js';
import { readTodoistCsv } from './portability/todoist-csv.js';
import { projectRoutes } from './projects/project.routes.js';
import { ProjectService } from './projects/project.service.js';
import type { Clock } from './reminders/reminder-schedule.js';
import { streamRoutes } from './stream/stream.routes.js';
import { taskRoutes } from './tasks/task.routes.js';
import { TaskService } from './tasks/task.service.js';
import { trashRoutes } from './tasks/trash.routes.js';
import { TrashService } from './tasks/trash.service.js';

export const API_VERSION = '0.1.0';
export const BODY_LIMIT = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9_\-.:]{1,100}$/;

export interface AppOptions {
  config: Config;
  db: Database;
  /** One pino logger for HTTP and the event backbone; silent when not given. */
  logger?: Logger;
  /** How long a request may take to arrive, and how often Node checks (defaults 30 s and 30 s). */
  requestTimeout?: { ms: number; checkEveryMs: number };
  /** The event backbone's clock: events' time, and when reminders are set and due (tests move it). */
  now?: Clock;
  /** How OAuth clients' metadata documents are fetched (tests serve them without the network). */
  clientMetadataFetch?: typeof fetch;
}

export interface App {
  server: FastifyInstance;
  readiness: Readiness;
  /** The event backbone; started by the caller once the server is ready, stopped when the server closes. */
  events: EventSystem;
  /** The OAuth authorization server; `/mcp` asks it whether an access token is good. */
  oauth: OAuthService;
}

/** Builds the whole HTTP application on an open, migrated database; nothing listens until the caller says so. */
export async function buildApp({
  config,
  db,
  logger: given = pino({ level: 'silent' }),
  requestTimeout = { ms: 30_000, checkEveryMs: 30_000 },
  now,
  clientMetadataFetch,
}: AppOptions): Promise<App> {
  // Every log line of the app goes through one logger that cannot write a credential (URL or header).
  const logger = credentialSafeLogger(given);
  const server = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    clientErrorHandler: clientErrorResponder(logger as FastifyBaseLogger),
    frameworkErrors: frameworkErrorProblem,
    bodyLimit: BODY_LIMIT,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    connectionTimeout: 30_000,
    keepAliveTimeout: 72_000,
    requestTimeout: requestTimeout.ms,
    // Node checks a request's deadline only when the headers' deadline is no later (fastify sets
    // requestTimeout after creating the server, past Node's own check): without headersTimeout here a
    // request trickling in would be given 60 s, not requestTimeout.
    http: { headersTimeout: requestTimeout.ms, connectionsCheckingInterval: requestTimeout.checkEveryMs },
    forceCloseConnections: 'idle',
    // A request that reaches a closing replica gets our problem+json 503 (below), not fastify's own JSON.
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    trustProxy: config.TRUST_PROXY,
  });
  server.server.on('connect', refuseConnect);
  // Requests still arriving while the server closes (pipelined, or on a busy keep-alive connection) are
  // turned away with a 503 the client can retry elsewhere, and their connection is closed.
  let closing = false;
  server.addHook('preClose', async () => {
    closing = true;
  });
  server.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close').header('retry-after', '1');
    return sendProblem(reply, problem(503, 'This server is shutting down; send the request again.'));
  });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(zodSerializerCompiler);
  server.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerContentTypes(server);
  registerProblemHandlers(server);
  registerFallbacks(server, config.CONSOLE_DIR);
  registerCors(server, {
    [MCP_PATH]: ['POST'],
    ...Object.fromEntries(PROTECTED_RESOURCE_PATHS.map((path) => [path, ['GET']])),
    ...OAUTH_CORS_PATHS,
  });
  const metrics = createMetricsRegistry();
  registerHttpMetrics(server, metrics);
  await registerOpenApi(server, API_VERSION);

  const readiness: Readiness = { accepting: true };
  await server.register(healthRoutes, { db, readiness });

  const signingSecret = await resolveJwtSecret(db, config.JWT_SECRET);
  const tokens = new TokenService({
    secret: signingSecret,
    ttlSeconds: config.TOKEN_TTL_SECONDS,
    jwksUrl: config.JWT_JWKS_URL,
    externalIssuer: config.JWT_ISSUER,
  });
  const events = new EventSystem(config, db, logger, now);
  events.registerMetrics(metrics);
  const auth = new AuthService(db, tokens);
  const tasks = new TaskService(db, events.recordTaskChange);
  const trash = new TrashService(db, events.recordTaskChange);
  const chat = buildChat(config, db, assistantTools({ tasks, trash, db }));
  const oauth = new OAuthService(
    db,
    new ClientRegistry(db, clientMetadataFetch),
    new AccessTokens(signingSecret),
  );

  await server.register(
    async (api) => {
      registerApiCaching(api);
      registerAuthentication(api, tokens);
      await api.register(authRoutes, { auth });
      await api.register(taskRoutes, { tasks, trash });
      await api.register(trashRoutes, { trash });
      await api.register(projectRoutes, { projects: new ProjectService(db, tasks) });
      await api.register(notificationRoutes, { db });
      await api.register(oauthConsoleRoutes, { oauth });
      await api.register(activityRoutes, { db });
      await api.register(streamRoutes, { hub: events.hub });
      await api.register(chatRoutes, { chat });
      await api.register(calendarRoutes, { tasks, feeds: new CalendarFeeds(db, signingSecret) });
      await api.register(portabilityRoutes, {
        exports: new PortabilityExport(db),
        imports: new ImportService(db, events.recordTaskChange),
        readers: {
          'todoist-csv': (text) => readTodoistCsv(text, new Date()),
          ics: (text) => readIcs(text, new Date()),
        },
      });
    },
    { prefix: '/api/v1' },
  );
  await server.register(mcpRoutes, {
    services: { tasks, trash, db },
    verifiers: { sessions: tokens, accessTokens: oauth },
    version: API_VERSION,
  });
  await server.register(oauthRoutes, { oauth, registrationsPerHour: config.OAUTH_REGISTRATIONS_PER_HOUR });
  await server.register(daprRoutes, { events, config });
  await registerConsole(server, config.CONSOLE_DIR);
  // Open SSE streams would keep close() waiting forever; end them first, then stop the backbone.
  server.addHook('preClose', async () => events.hub.stop());
  server.addHook('onClose', async () => events.stop());
  return { server, readiness, events, oauth };
}
