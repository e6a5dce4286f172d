import { z } from 'zod';
import { emailAddress } from './auth.js';
import { text } from './text.js';
import { wholeStringPattern } from './whole-string-pattern.js';

export const PROJECT_ROLES = ['owner', 'editor', 'viewer'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];
/** The roles an owner can give by invitation; ownership itself moves only by a role change. */
export const INVITED_ROLES = ['editor', 'viewer'] as const;

const COLOR = wholeStringPattern('#[0-9A-Fa-f]{6}');
const color = z
  .string()
  .regex(COLOR, 'must be a colour like "#1e90ff"')
  .toLowerCase()
  .meta({ example: '#1e90ff' });
const projectName = text({ max: 120, nonBlank: true });
const projectId = z.uuid('must be a project id (UUID)');

export const project = z
  .object({
    id: z.uuid(),
    name: z.string(),
    color: z.string().nullable(),
    parentId: z.string().nullable().meta({ description: 'The folder (a top-level project) it sits in' }),
    archived: z.boolean(),
    order: z.string().meta({ description: 'Opaque manual-order key: sort by it as plain (byte-wise) text' }),
    role: z.enum(PROJECT_ROLES).meta({ description: "The caller's role in the project" }),
    inbox: z.boolean(),
  })
  .meta({ id: 'Project' });
export type Project = z.infer<typeof project>;

export const createProjectBody = z
  .strictObject({
    name: projectName,
    color: color.nullable().default(null),
    parentId: projectId.nullable().default(null),
  })
  .meta({ id: 'CreateProject' });
export type CreateProjectInput = z.infer<typeof createProjectBody>;

export const updateProjectBody = z
  .strictObject({
    name: projectName.optional(),
    color: color.nullable().optional(),
    parentId: projectId.nullable().optional(),
    archived: z.boolean().optional(),
    after: projectId.nullable().optional().meta({
      description: 'Reorder: place it right after this project (null: first)',
    }),
  })
  .meta({ id: 'UpdateProject' });
export type UpdateProjectInput = z.infer<typeof updateProjectBody>;

export const projectIdParams = z.strictObject({ id: projectId });

export const projectMember = z
  .object({
    userId: z.string(),
    email: z.string().nullable().meta({ description: 'Null for a user known only by an external token' }),
    name: z.string().nullable(),
    role: z.enum(PROJECT_ROLES),
  })
  .meta({ id: 'ProjectMember' });
export type ProjectMember = z.infer<typeof projectMember>;

// A user id as tokens carry it (`sub`): printable, bounded.
export const userId = z
  .string()
  .min(1)
  .max(200)
  .regex(wholeStringPattern('[^\\x00-\\x20\\x7f/]+'), 'is not a user id');

export const addMemberBody = z
  .strictObject({
    email: emailAddress,
    role: z.enum(INVITED_ROLES),
  })
  .meta({ id: 'AddMember' });

export const updateMemberBody = z
  .strictObject({
    role: z.enum(PROJECT_ROLES).meta({
      description:
        'Only the owner changes roles. Giving a member `owner` transfers ownership: the previous owner becomes an `editor`.',
    }),
  })
  .meta({ id: 'UpdateMember' });

export const memberParams = z.strictObject({ id: projectId, userId });
