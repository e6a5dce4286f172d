import type { Page, Task } from '@todo/contract';
import type { ApiClient } from '../api/client.js';
import { collectPages } from '../api/pages.js';
import type { Member, MoveInput, PlacedTask, Project, ProjectInput, ProjectRole } from './project-types.js';

const path = (id: string) => `/projects/${encodeURIComponent(id)}`;

/** The project, membership and move routes of the API, typed. */
export class ProjectsApi {
  constructor(private readonly client: ApiClient) {}

  list(): Promise<Project[]> {
    return this.client.get<Project[]>('/projects');
  }

  create(input: ProjectInput & { name: string }): Promise<Project> {
    return this.client.post<Project>('/projects', input);
  }

  async update(id: string, patch: ProjectInput): Promise<Project> {
    return (await this.client.request<Project>('PATCH', path(id), { body: patch })).data;
  }

  remove(id: string): Promise<void> {
    return this.client.delete(path(id));
  }

  members(id: string): Promise<Member[]> {
    return this.client.get<Member[]>(`${path(id)}/members`);
  }

  invite(id: string, email: string, role: ProjectRole): Promise<Member> {
    return this.client.post<Member>(`${path(id)}/members`, { email, role });
  }

  async setRole(id: string, userId: string, role: ProjectRole): Promise<Member> {
    const url = `${path(id)}/members/${encodeURIComponent(userId)}`;
    return (await this.client.request<Member>('PATCH', url, { body: { role } })).data;
  }

  removeMember(id: string, userId: string): Promise<void> {
    return this.client.delete(`${path(id)}/members/${encodeURIComponent(userId)}`);
  }

  /** A project's open tasks, subtasks included, in their manual order (the console builds the tree). */
  tasks(id: string, cursor?: string | null): Promise<Page<PlacedTask>> {
    const q = new URLSearchParams({ projectId: id, status: 'open', sort: 'manual' });
    q.set('limit', '200');
    if (cursor) q.set('cursor', cursor);
    return this.client.get<Page<PlacedTask>>('/tasks', q);
  }

  /** The tasks under `parentId` (null: the top level) of a project, done or not, in manual order. */
  async siblings(projectId: string, parentId: string | null): Promise<PlacedTask[]> {
    const q = new URLSearchParams({ projectId, parentId: parentId ?? 'none', status: 'all', sort: 'manual' });
    q.set('limit', '200');
    const pages = await collectPages(
      (cursor) => {
        if (cursor) q.set('cursor', cursor);
        return this.client.get<Page<PlacedTask>>('/tasks', q);
      },
      { maxPages: 10 },
    );
    return pages.flatMap((p) => p.items);
  }

  move(taskId: string, input: MoveInput): Promise<Task> {
    return this.client.post<Task>(`/tasks/${encodeURIComponent(taskId)}/move`, input);
  }
}
