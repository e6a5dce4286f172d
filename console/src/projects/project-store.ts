import { ProblemError } from '../api/errors.js';
import type { Project } from './project-types.js';
import type { ProjectsApi } from './projects-api.js';

/** The user's projects (own and shared) for the sidebar and pickers; emits `change`. */
export class ProjectStore extends EventTarget {
  items: Project[] = [];
  /** Open tasks per project id, filled after the list; a count of `COUNT_CAP` reads "200+". */
  counts = new Map<string, number>();
  /** False while the API has no `/projects` route (an older server): the sidebar hides the section. */
  available = true;
  private generation = 0;
  private recount: ReturnType<typeof setTimeout> | undefined;
  private relist = false;

  constructor(
    private readonly api: ProjectsApi,
    private readonly countOpen: (projectId: string) => Promise<number>,
  ) {
    super();
  }

  get inbox(): Project | undefined {
    return this.items.find((p) => p.inbox);
  }

  /** Projects tasks can be added to: not archived, and not shared with this user as a viewer. */
  writable(): Project[] {
    return this.items.filter((p) => !p.archived && p.role !== 'viewer');
  }

  byId(id: string | undefined | null): Project | undefined {
    return id ? this.items.find((p) => p.id === id) : undefined;
  }

  async load(): Promise<void> {
    const generation = ++this.generation;
    try {
      const items = await this.api.list();
      if (generation !== this.generation) return;
      // Keys sort as plain byte-wise text (CONTRACT.md), which is what `<` on strings does.
      this.items = [...items].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
      this.available = true;
    } catch (err) {
      if (generation !== this.generation) return;
      if (err instanceof ProblemError && err.status === 404) this.available = false;
      return;
    } finally {
      this.changed();
    }
    await this.loadCounts(generation);
  }

  /** Refetches when a task names a project the sidebar does not know (the user was just invited to it). */
  noticeProject(projectId: string | undefined): void {
    if (projectId && this.available && !this.byId(projectId)) this.load();
  }

  /**
   * Recounts open tasks once live changes settle (a burst of events costs one round of counts). With
   * `relist` (a task was deleted, or the user lost access to a project: the stream says both with
   * `task.deleted`), the projects are listed again first, so a project deleted or no longer shared with the
   * user leaves the sidebar without a reload.
   */
  countsChanged(relist = false): void {
    clearTimeout(this.recount);
    this.relist ||= relist;
    this.recount = setTimeout(() => {
      const again = this.relist;
      this.relist = false;
      if (again) void this.load();
      else void this.loadCounts(this.generation);
    }, 1500);
  }

  /** Moves a project's open count by `delta` after a live change, without a round trip. */
  adjustCount(projectId: string | undefined, delta: number): void {
    if (!projectId || !this.counts.has(projectId)) return;
    this.counts.set(projectId, Math.max(0, this.counts.get(projectId)! + delta));
    this.changed();
  }

  upsert(project: Project): void {
    const at = this.items.findIndex((p) => p.id === project.id);
    this.items =
      at < 0 ? [...this.items, project] : this.items.map((p) => (p.id === project.id ? project : p));
    this.changed();
  }

  remove(id: string): void {
    this.items = this.items.filter((p) => p.id !== id);
    this.changed();
  }

  reset(): void {
    clearTimeout(this.recount);
    this.generation++;
    this.items = [];
    this.counts = new Map();
    this.changed();
  }

  private async loadCounts(generation: number) {
    const open = this.items.filter((p) => !p.archived);
    const counts = await Promise.all(open.map((p) => this.countOpen(p.id).catch(() => undefined)));
    if (generation !== this.generation) return;
    this.counts = new Map(open.flatMap((p, i) => (counts[i] === undefined ? [] : [[p.id, counts[i]]])));
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
