import { randomUUID } from 'node:crypto';
import { generateKeyBetween } from 'fractional-indexing';
import type { Queryable } from '../db/database.js';
import { projectRepository } from '../projects/project.repository.js';
import { quoted } from './import-fields.js';
import type { ImportSource, ProjectDraft, SkippedItem } from './import-plan.js';
import { portabilityRepository } from './portability.repository.js';

/** Where an import's tasks go: each source project's id here, and the Inbox for the rest. */
export interface ProjectPlacement {
  inbox: string;
  idOf: Map<string, string>;
  created: number;
}

/**
 * Creates a file's projects for the user, in the import's transaction: the file's Inbox is the user's Inbox,
 * a project imported before (by source id) is reused, and a new one goes after the user's projects, in its
 * folder when that folder is a top-level project of the file (one level, as the API allows).
 */
export async function importProjects(
  tx: Queryable,
  userId: string,
  source: ImportSource,
  drafts: readonly ProjectDraft[],
  skipped: SkippedItem[],
): Promise<ProjectPlacement> {
  const inbox = await projectRepository.ensureInbox(tx, userId);
  const known = await portabilityRepository.knownProjects(
    tx,
    userId,
    source,
    drafts.map((d) => d.sourceId),
  );
  const idOf = new Map<string, string>();
  const folders = new Set(drafts.filter((d) => !d.inbox && !d.parentKey).map((d) => d.sourceId));
  let position = await projectRepository.lastPosition(tx, userId);
  const made: { sourceId: string; projectId: string }[] = [];
  // Folders first, so their children find them.
  const ordered = [...drafts].sort((a, b) => Number(Boolean(a.parentKey)) - Number(Boolean(b.parentKey)));
  for (const draft of ordered) {
    if (idOf.has(draft.sourceId)) continue;
    if (draft.inbox) {
      idOf.set(draft.sourceId, inbox);
      continue;
    }
    const existing = known.get(draft.sourceId);
    if (existing) {
      idOf.set(draft.sourceId, existing);
      continue;
    }
    let parentId: string | null = null;
    if (draft.parentKey) {
      parentId = folders.has(draft.parentKey) ? (idOf.get(draft.parentKey) ?? null) : null;
      if (!parentId) {
        skipped.push({
          line: draft.line,
          reason: `project ${quoted(draft.name)}: its folder is not a top-level project of the file, so it is imported at the top level`,
        });
      }
    }
    position = generateKeyBetween(position, null);
    const id = randomUUID();
    await projectRepository.insert(tx, {
      id,
      ownerId: userId,
      name: draft.name,
      color: draft.color,
      parentId,
      position,
    });
    if (draft.archived) {
      await projectRepository.update(tx, id, {
        name: draft.name,
        color: draft.color,
        parentId,
        archived: true,
        position,
      });
    }
    idOf.set(draft.sourceId, id);
    made.push({ sourceId: draft.sourceId, projectId: id });
  }
  await portabilityRepository.rememberProjects(tx, userId, source, made);
  return { inbox, idOf, created: made.length };
}
