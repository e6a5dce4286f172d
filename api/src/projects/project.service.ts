import { randomUUID } from 'node:crypto';
import type {
  CreateProjectInput,
  FieldError,
  Project,
  ProjectMember,
  ProjectRole,
  UpdateProjectInput,
} from '@todo/contract';
import { generateKeyBetween } from 'fractional-indexing';
import { access, requireRight } from '../access/access.js';
import { userRepository } from '../auth/user.repository.js';
import type { Database, Queryable } from '../db/database.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import type { TaskService } from '../tasks/task.service.js';
import { Inboxes } from './inboxes.js';
import { projectRepository, type StoredProject } from './project.repository.js';

const publicProject = ({ ownerId: _owner, ...project }: StoredProject): Project => project;

/** Projects, their folders and order, and sharing them with other users. */
export class ProjectService {
  private readonly inboxes: Inboxes;

  constructor(
    private readonly db: Database,
    private readonly tasks: TaskService,
  ) {
    this.inboxes = new Inboxes(db);
  }

  /** Every project the user is a member of, the Inbox first, then by manual order. */
  async list(userId: string): Promise<Project[]> {
    await this.inboxes.of(userId);
    return (await projectRepository.list(this.db, userId)).map(publicProject);
  }

  /** A project the user has the right on (404 for a non-member, 403 for a member lacking it). */
  private async find(db: Queryable, userId: string, id: string, right: 'read' | 'write' | 'manage') {
    const project = await projectRepository.find(db, userId, id, right !== 'read');
    requireRight(project?.role, right, `Project ${id}`);
    return project!;
  }

  /**
   * A folder must be a top-level project the user owns, other than the Inbox and the project itself, and a
   * project that is a folder cannot go into one (one level only).
   */
  private async checkParent(db: Queryable, userId: string, parentId: string | null, projectId?: string) {
    if (parentId === null) return;
    const parent = await projectRepository.find(db, userId, parentId);
    const errors: FieldError[] = [];
    if (parent?.role !== 'owner') errors.push({ path: 'parentId', message: 'is not a project you own' });
    else if (parent.inbox) errors.push({ path: 'parentId', message: 'cannot be the Inbox' });
    else if (parent.id === projectId)
      errors.push({ path: 'parentId', message: 'cannot be the project itself' });
    else if (parent.parentId !== null)
      errors.push({ path: 'parentId', message: 'is itself inside a folder' });
    else if (projectId && (await projectRepository.hasChildren(db, projectId))) {
      errors.push({ path: 'parentId', message: 'cannot be set on a project that holds other projects' });
    }
    if (errors.length) throw new ValidationError('The folder is invalid.', errors);
  }

  async create(userId: string, input: CreateProjectInput): Promise<Project> {
    await this.inboxes.of(userId);
    const id = randomUUID();
    await this.db.transaction(async (tx) => {
      await this.checkParent(tx, userId, input.parentId);
      const position = generateKeyBetween(await projectRepository.lastPosition(tx, userId), null);
      await projectRepository.insert(tx, { id, ownerId: userId, ...input, position });
    });
    return this.get(userId, id);
  }

  async get(userId: string, id: string): Promise<Project> {
    return publicProject(await this.find(this.db, userId, id, 'read'));
  }

  /** Renames, recolours, files, archives or reorders a project: the owner's call. */
  async update(userId: string, id: string, input: UpdateProjectInput): Promise<Project> {
    await this.db.transaction(async (tx) => {
      const project = await this.find(tx, userId, id, 'manage');
      if (
        project.inbox &&
        ((input.name !== undefined && input.name !== project.name) ||
          input.archived === true ||
          (input.parentId !== undefined && input.parentId !== null))
      ) {
        throw new ConflictError('The Inbox cannot be renamed, archived or put in a folder.');
      }
      if (input.parentId !== undefined && input.parentId !== project.parentId) {
        await this.checkParent(tx, userId, input.parentId, id);
      }
      let position = project.order;
      if (input.after !== undefined && !project.inbox) {
        if (input.after !== null && !(await projectRepository.find(tx, userId, input.after))) {
          throw new ValidationError('The project to place it after is invalid.', [
            { path: 'after', message: 'is not one of your projects' },
          ]);
        }
        const around = await projectRepository.positionsAround(tx, userId, id, input.after);
        position = generateKeyBetween(around.before, around.after);
      }
      await projectRepository.update(tx, id, {
        name: input.name ?? project.name,
        color: input.color === undefined ? project.color : input.color,
        parentId: input.parentId === undefined ? project.parentId : input.parentId,
        archived: input.archived ?? project.archived,
        position,
      });
    });
    return this.get(userId, id);
  }

  /**
   * Deletes a project and, first, puts its tasks in the Trash (each a deletion event its members see), in
   * the owner's Inbox: restored, a task of a deleted project comes back there. Projects filed in it become
   * top-level. The Inbox stays (409).
   */
  async delete(userId: string, id: string): Promise<void> {
    const inboxId = await this.inboxes.of(userId);
    await this.db.transaction(async (tx) => {
      const project = await this.find(tx, userId, id, 'manage');
      if (project.inbox) throw new ConflictError('The Inbox cannot be deleted.');
      const audience = (await access.audiences(tx, [id])).get(id) ?? [];
      await this.tasks.trashProjectTasks(tx, id, inboxId, userId, audience);
      await projectRepository.delete(tx, id);
    });
  }

  async members(userId: string, id: string): Promise<ProjectMember[]> {
    await this.find(this.db, userId, id, 'read');
    return projectRepository.members(this.db, id);
  }

  /** The owner invites a registered user by email as editor or viewer. */
  async addMember(userId: string, id: string, input: { email: string; role: ProjectRole }) {
    return this.db.transaction(async (tx) => {
      const project = await this.find(tx, userId, id, 'manage');
      if (project.inbox) throw new ConflictError('The Inbox is personal: it cannot be shared.');
      const invitee = await userRepository.findByEmail(tx, input.email);
      if (!invitee) throw new NotFoundError('No user has this email address.');
      if (!(await projectRepository.addMember(tx, id, invitee.id, input.role))) {
        throw new ConflictError('This user is already a member of the project.');
      }
      return (await projectRepository.member(tx, id, invitee.id))!;
    });
  }

  /**
   * The owner changes a member's role; making a member `owner` transfers ownership, and the previous owner
   * stays as an editor. An owner cannot otherwise step down: a project always has one.
   */
  async updateMember(userId: string, id: string, memberId: string, role: ProjectRole) {
    return this.db.transaction(async (tx) => {
      const project = await this.find(tx, userId, id, 'manage');
      const member = await projectRepository.member(tx, id, memberId);
      if (!member) throw new NotFoundError(`User ${memberId} is not a member of this project.`);
      if (member.userId === userId && role !== 'owner') {
        throw new ConflictError('A project needs an owner: make another member the owner instead.');
      }
      if (role === 'owner' && member.userId !== userId) {
        if (project.inbox) throw new ConflictError('The Inbox cannot be given away.');
        await projectRepository.setRole(tx, id, userId, 'editor');
        await projectRepository.setOwner(tx, id, memberId);
      }
      await projectRepository.setRole(tx, id, memberId, role);
      return (await projectRepository.member(tx, id, memberId))!;
    });
  }

  /**
   * The owner removes a member, or a member leaves (removes itself); the owner leaves only after giving the
   * project away. Tasks assigned to the one leaving are unassigned (an update event each), and the one leaving
   * gets a `task.deleted` on their stream for each task of the project, so their open consoles drop them.
   */
  async removeMember(userId: string, id: string, memberId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const project = await this.find(tx, userId, id, 'read');
      if (memberId !== userId && project.role !== 'owner') {
        throw new ForbiddenError("Only the project's owner may remove other members.");
      }
      const member = await projectRepository.member(tx, id, memberId);
      if (!member) throw new NotFoundError(`User ${memberId} is not a member of this project.`);
      if (member.role === 'owner') {
        throw new ConflictError('The owner cannot leave: make another member the owner first.');
      }
      await this.tasks.unassignInProject(tx, id, memberId, userId);
      await projectRepository.removeMember(tx, id, memberId);
      await this.tasks.forgetProjectFor(tx, id, memberId);
    });
  }
}
