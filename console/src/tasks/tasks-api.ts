import type { Page, TagCount, Task, TaskInput } from '@todo/contract';
import type { ApiClient } from '../api/client.js';

/** The task routes of the API, typed. */
export class TasksApi {
  constructor(private readonly client: ApiClient) {}

  list(query: URLSearchParams): Promise<Page<Task>> {
    return this.client.get<Page<Task>>('/tasks', query);
  }

  get(id: string): Promise<Task> {
    return this.client.get<Task>(`/tasks/${encodeURIComponent(id)}`);
  }

  create(input: TaskInput): Promise<Task> {
    return this.client.post<Task>('/tasks', input);
  }

  /** Sends the version the user edited as If-Match, so a concurrent change answers 412 instead of being lost. */
  async update(id: string, patch: TaskInput, version: number): Promise<Task> {
    const res = await this.client.request<Task>('PATCH', `/tasks/${encodeURIComponent(id)}`, {
      body: patch,
      headers: { 'if-match': `"${version}"` },
    });
    return res.data;
  }

  remove(id: string): Promise<void> {
    return this.client.delete(`/tasks/${encodeURIComponent(id)}`);
  }

  /** Brings a deleted task (and its subtree) back from the Trash. */
  restore(id: string): Promise<Task> {
    return this.client.post<Task>(`/trash/${encodeURIComponent(id)}/restore`);
  }

  complete(id: string): Promise<Task> {
    return this.client.post<Task>(`/tasks/${encodeURIComponent(id)}/complete`);
  }

  reopen(id: string): Promise<Task> {
    return this.client.post<Task>(`/tasks/${encodeURIComponent(id)}/reopen`);
  }

  tags(): Promise<TagCount[]> {
    return this.client.get<TagCount[]>('/tags');
  }
}
