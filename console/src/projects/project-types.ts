import type { Task } from '@todo/contract';

/**
 * The project shapes of CONTRACT.md's extensions (2026-11-28), as the console reads them. They move to
 * `@todo/contract` once the API's schemas land there; until then this is the console's only copy.
 */
export type ProjectRole = 'owner' | 'editor' | 'viewer';

export interface Project {
  id: string;
  name: string;
  color: string | null;
  parentId: string | null;
  archived: boolean;
  order: string;
  role: ProjectRole;
  inbox: boolean;
}

export interface ProjectInput {
  name?: string;
  color?: string | null;
  parentId?: string | null;
  archived?: boolean;
}

export interface Member {
  userId: string;
  /** Null for a user known only by an external token. */
  email: string | null;
  name: string | null;
  role: ProjectRole;
}

/** What a member is called on screen. */
export function memberName(m: Member): string {
  return m.name || m.email || m.userId;
}

/** A project's colour, or the muted text colour for one without. */
export function colorOf(p: { color: string | null }): string {
  return p.color ?? 'var(--text-muted)';
}

/** A task's place in a project: the fields the extensions add to Task. */
export interface Placement {
  projectId?: string;
  parentId?: string | null;
  order?: string;
  assigneeId?: string | null;
}

export type PlacedTask = Task & Placement;

/** The body of `POST /tasks/{id}/move`. */
export interface MoveInput {
  projectId?: string;
  parentId?: string | null;
  before?: string;
  after?: string;
}

/** The palette offered for projects: named, so the colour is announced, and readable on both themes. */
export const PROJECT_COLORS = [
  { value: '#6b7280', name: 'Grey' },
  { value: '#dc2626', name: 'Red' },
  { value: '#ea580c', name: 'Orange' },
  { value: '#ca8a04', name: 'Yellow' },
  { value: '#16a34a', name: 'Green' },
  { value: '#0891b2', name: 'Teal' },
  { value: '#2563eb', name: 'Blue' },
  { value: '#7c3aed', name: 'Violet' },
  { value: '#db2777', name: 'Pink' },
] as const;
