import { loginBody, session, signupBody } from '@todo/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../http/openapi.js';
import type { AuthService } from './auth.service.js';

// A response carrying a credential is never stored by a cache (as for OAuth tokens, RFC 6749 §5.1).
export const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService }> = async (app, { auth }) => {
  app.post('/auth/signup', {
    config: { public: true },
    schema: {
      tags: ['auth'],
      summary: 'Create an account and get a session token',
      body: signupBody,
      response: { 201: session, ...problemResponses(400, 409, 415) },
    },
    handler: async (request, reply) =>
      reply
        .code(201)
        .header('cache-control', 'no-store')
        .send(await auth.signup(request.body)),
  });

  app.post('/auth/login', {
    config: { public: true },
    schema: {
      tags: ['auth'],
      summary: 'Log in and get a session token',
      description:
        'After 10 failed log-ins for an email within 15 minutes of the first, log-ins for it are refused with 429 ' +
        'and a Retry-After header until those 15 minutes are over; a successful log-in resets the count.',
      body: loginBody,
      response: { 200: session, ...problemResponses(400, 401, 415, 429) },
    },
    handler: async (request, reply) =>
      reply.header('cache-control', 'no-store').send(await auth.login(request.body)),
  });
};
