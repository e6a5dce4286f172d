import {
  addMemberBody,
  createProjectBody,
  memberParams,
  project,
  projectIdParams,
  projectMember,
  updateMemberBody,
  updateProjectBody,
} from '@todo/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { documented, problemResponses } from '../http/openapi.js';
import type { ProjectService } from './project.service.js';

const ACCESS = 'A member lacking the right gets 403; anyone else 404, as for a project that does not exist.';

/** The created project's id, for the fuzzer and client generators to follow to its own operations. */
const createdProjectLinks = Object.fromEntries(
  (['updateProject', 'deleteProject', 'listProjectMembers', 'addProjectMember'] as const).map(
    (operationId) => [operationId, { operationId, parameters: { id: '$response.body#/id' } }],
  ),
);

export const projectRoutes: FastifyPluginAsyncZod<{ projects: ProjectService }> = async (
  app,
  { projects },
) => {
  app.get('/projects', {
    schema: {
      tags: ['projects'],
      summary: "The caller's projects (its Inbox first, then by manual order) with its role in each",
      operationId: 'listProjects',
      response: { 200: z.array(project), ...problemResponses(401) },
    },
    handler: async (request) => projects.list(request.userId),
  });

  app.post('/projects', {
    schema: {
      tags: ['projects'],
      summary:
        'Create a project (the caller owns it), optionally inside a folder: a top-level project it owns',
      operationId: 'createProject',
      body: createProjectBody,
      response: {
        201: documented(project, { description: 'The project created', headers: ['Location'] }),
        ...problemResponses(400, 401, 413, 415, 422),
      },
    },
    links: { 201: createdProjectLinks },
    handler: async (request, reply) => {
      const created = await projects.create(request.userId, request.body);
      return reply.code(201).header('location', `/api/v1/projects/${created.id}`).send(created);
    },
  });

  app.patch('/projects/:id', {
    schema: {
      tags: ['projects'],
      summary: 'Rename, recolour, file, archive or reorder a project (owner only)',
      description: `The Inbox cannot be renamed, archived or filed (409). ${ACCESS}`,
      operationId: 'updateProject',
      params: projectIdParams,
      body: updateProjectBody,
      response: { 200: project, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422) },
    },
    handler: async (request) => projects.update(request.userId, request.params.id, request.body),
  });

  app.delete('/projects/:id', {
    schema: {
      tags: ['projects'],
      summary: 'Delete a project and its tasks (owner only); projects filed in it become top-level',
      description: `Each task goes to the Trash as by DELETE /tasks/{id}, an event for every member; it stays restorable for 30 days from the owner's Trash, and POST /trash/{id}/restore brings it back into the owner's Inbox. The Inbox cannot be deleted (409). ${ACCESS}`,
      operationId: 'deleteProject',
      params: projectIdParams,
      response: { 204: z.null(), ...problemResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      await projects.delete(request.userId, request.params.id);
      return reply.code(204).send(null);
    },
  });

  app.get('/projects/:id/members', {
    schema: {
      tags: ['projects'],
      summary: "A project's members and their roles",
      description: ACCESS,
      operationId: 'listProjectMembers',
      params: projectIdParams,
      response: { 200: z.array(projectMember), ...problemResponses(400, 401, 404) },
    },
    handler: async (request) => projects.members(request.userId, request.params.id),
  });

  app.post('/projects/:id/members', {
    schema: {
      tags: ['projects'],
      summary: 'Share a project: invite a registered user by email as editor or viewer (owner only)',
      description: `404 when no user has the email; 409 when it is already a member, or for the Inbox, which is personal. ${ACCESS}`,
      operationId: 'addProjectMember',
      params: projectIdParams,
      body: addMemberBody,
      response: {
        201: documented(projectMember, { description: 'The new member' }),
        ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await projects.addMember(request.userId, request.params.id, request.body)),
  });

  app.patch('/projects/:id/members/:userId', {
    schema: {
      tags: ['projects'],
      summary: "Change a member's role (owner only); `owner` transfers ownership",
      description:
        'Giving a member the role `owner` transfers ownership: that member becomes the owner and the previous ' +
        'owner becomes an `editor`. The owner cannot otherwise change its own role (409), and the Inbox cannot ' +
        `be given away (409). ${ACCESS}`,
      operationId: 'updateProjectMember',
      params: memberParams,
      body: updateMemberBody,
      response: { 200: projectMember, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422) },
    },
    handler: async (request) =>
      projects.updateMember(request.userId, request.params.id, request.params.userId, request.body.role),
  });

  app.delete('/projects/:id/members/:userId', {
    schema: {
      tags: ['projects'],
      summary: 'Remove a member (owner only), or leave a project (a member removing itself)',
      description: `Tasks assigned to the member are unassigned. The owner leaves only after transferring ownership (409). ${ACCESS}`,
      operationId: 'removeProjectMember',
      params: memberParams,
      response: { 204: z.null(), ...problemResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      await projects.removeMember(request.userId, request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  });
};
