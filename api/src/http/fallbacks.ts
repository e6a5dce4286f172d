import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { consoleDir, hasConsole } from '../console/console.plugin.js';
import { problem, sendProblem } from './problem.js';

/**
 * Unknown URLs: a browser navigating inside the console gets its index.html (client-side routes);
 * a known path with another method gets 405 with `Allow`; anything else a problem+json 404.
 */
export function registerFallbacks(app: FastifyInstance, configuredConsoleDir?: string): void {
  const routes: { pattern: RegExp; method: string }[] = [];
  app.addHook('onRoute', (route) => {
    const source = route.url
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/:[A-Za-z0-9_]+/g, '[^/]+')
      .replace(/\*/g, '.*');
    for (const method of [route.method].flat()) routes.push({ pattern: new RegExp(`^${source}/?$`), method });
  });
  const spa = hasConsole(consoleDir(configuredConsoleDir));
  const answerUnmatched = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isPage =
      request.method === 'GET' &&
      !path.startsWith('/api/') &&
      (request.headers.accept ?? '').includes('text/html');
    if (spa && isPage && !/\.[a-z0-9]+$/i.test(path)) return reply.sendFile('index.html');
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
    if (allowed.length) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        reply,
        problem(405, `${request.method} is not allowed here; use ${allowed.join(', ')}.`),
      );
    }
    return sendProblem(reply, problem(404, `No route ${request.method} ${path}.`));
  };
  // Before the body is read: a method that takes a body (QUERY) would otherwise fail on its content type
  // instead of getting the 405 every other method gets.
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) return answerUnmatched(request, reply);
  });
  app.setNotFoundHandler(answerUnmatched);
}
