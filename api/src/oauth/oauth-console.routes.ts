import {
  oauthAuthorizationRequest,
  oauthDecisionBody,
  oauthDecisionResult,
  oauthGrant,
} from '@todo/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../http/openapi.js';
import { originOf } from '../http/origin.js';
import type { OAuthService } from './oauth.service.js';

const requestParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not an authorization request id'),
});
const grantParams = z.object({ id: z.uuid() });

/** What the console's consent page and "Connected apps" settings call, with the user's session. */
export const oauthConsoleRoutes: FastifyPluginAsyncZod<{ oauth: OAuthService }> = async (app, { oauth }) => {
  app.get('/oauth/requests/:id', {
    schema: {
      tags: ['oauth'],
      summary: 'An MCP client asking for access, as the consent page shows it',
      params: requestParams,
      response: { 200: oauthAuthorizationRequest, ...problemResponses(400, 401, 404) },
    },
    handler: async (request, reply) =>
      reply.header('cache-control', 'no-store').send(await oauth.pendingRequest(request.params.id)),
  });

  app.post('/oauth/requests/:id/decision', {
    schema: {
      tags: ['oauth'],
      summary: "Approve or deny a client's request; answers where to send the browser",
      params: requestParams,
      body: oauthDecisionBody,
      response: { 200: oauthDecisionResult, ...problemResponses(400, 401, 404, 415) },
    },
    handler: async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(await oauth.decide(request.params.id, request.userId, request.body.approve, originOf(request))),
  });

  app.get('/oauth/grants', {
    schema: {
      tags: ['oauth'],
      summary: 'The apps the user connected through OAuth',
      response: { 200: z.array(oauthGrant), ...problemResponses(401) },
    },
    handler: async (request) => oauth.grants(request.userId),
  });

  app.delete('/oauth/grants/:id', {
    schema: {
      tags: ['oauth'],
      summary: 'Revoke a connected app: its tokens stop working at once',
      params: grantParams,
      response: { 204: z.null(), ...problemResponses(400, 401, 404) },
    },
    handler: async (request, reply) => {
      await oauth.revokeGrant(request.userId, request.params.id);
      return reply.code(204).send(null);
    },
  });
};
