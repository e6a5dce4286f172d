import type { Queryable } from '../db/database.js';
import { projectRepository } from './project.repository.js';

/**
 * Each user's Inbox id, made on first use (a user known only by an external token has no sign-up). An Inbox
 * is never deleted, shared or given away, so a remembered id stays right; the map is bounded so a stream of
 * distinct users cannot grow it without end.
 */
export class Inboxes {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly db: Queryable,
    private readonly limit = 10_000,
  ) {}

  async of(userId: string): Promise<string> {
    const known = this.known.get(userId);
    if (known) return known;
    const id = await projectRepository.ensureInbox(this.db, userId);
    if (this.known.size >= this.limit) this.known.clear();
    this.known.set(userId, id);
    return id;
  }
}
