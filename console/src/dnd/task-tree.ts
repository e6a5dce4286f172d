/** A project's tasks as a tree of subtasks, and where a dragged task may land in it: pure, for pointer and keys. */

/** How deep subtasks nest (the API's `MAX_TASK_LEVELS`): a top-level task is level 1. */
export const MAX_LEVELS = 4;

/** What the tree needs of a task. */
export interface TreeTask {
  id: string;
  title: string;
  parentId?: string | null;
  order?: string;
}

export interface TreeNode<T extends TreeTask = TreeTask> {
  task: T;
  /** 1 for a top-level task. */
  level: number;
  /** The parent as shown: null at the top level, also for a task whose parent is not loaded. */
  parentId: string | null;
  children: TreeNode<T>[];
}

/** A row of the list as shown: a node whose ancestors are all expanded. */
export interface TreeRow<T extends TreeTask = TreeTask> {
  node: TreeNode<T>;
  expanded: boolean;
}

const byOrder = (a: TreeTask, b: TreeTask) => {
  const x = a.order ?? '';
  const y = b.order ?? '';
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/**
 * The tree of `tasks`, siblings in manual order. A task whose parent is not among them (completed, or beyond
 * the pages loaded) is shown at the top level rather than hidden.
 */
export function buildTree<T extends TreeTask>(tasks: readonly T[]): TreeNode<T>[] {
  const ids = new Set(tasks.map((t) => t.id));
  const children = new Map<string | null, T[]>();
  for (const t of [...tasks].sort(byOrder)) {
    const parent = t.parentId && ids.has(t.parentId) && t.parentId !== t.id ? t.parentId : null;
    const siblings = children.get(parent);
    if (siblings) siblings.push(t);
    else children.set(parent, [t]);
  }
  const seen = new Set<string>();
  const grow = (parentId: string | null, level: number): TreeNode<T>[] =>
    (children.get(parentId) ?? [])
      .filter((t) => !seen.has(t.id) && seen.add(t.id))
      .map((task) => ({ task, level, parentId, children: grow(task.id, level + 1) }));
  return grow(null, 1);
}

/** The rows shown: every node in order, skipping the subtasks of collapsed ones. */
export function visibleRows<T extends TreeTask>(
  roots: readonly TreeNode<T>[],
  collapsed: ReadonlySet<string>,
): TreeRow<T>[] {
  const rows: TreeRow<T>[] = [];
  const walk = (nodes: readonly TreeNode<T>[]) => {
    for (const node of nodes) {
      const expanded = !collapsed.has(node.task.id);
      rows.push({ node, expanded });
      if (expanded) walk(node.children);
    }
  };
  walk(roots);
  return rows;
}

/** Levels a subtree spans: 1 for a task without subtasks. */
export function subtreeDepth(node: TreeNode): number {
  return 1 + Math.max(0, ...node.children.map(subtreeDepth));
}

/** The ids of a node and everything under it. */
export function subtreeIds(node: TreeNode): Set<string> {
  const ids = new Set<string>();
  const walk = (n: TreeNode) => {
    ids.add(n.task.id);
    n.children.forEach(walk);
  };
  walk(node);
  return ids;
}

/** Finds a task's node. */
export function findNode<T extends TreeTask>(
  roots: readonly TreeNode<T>[],
  id: string,
): TreeNode<T> | undefined {
  for (const node of roots) {
    if (node.task.id === id) return node;
    const inside = findNode(node.children, id);
    if (inside) return inside;
  }
  return undefined;
}

/** Where a task goes: under `parentId` (null: the top level), right after `after` or right before `before`. */
export interface Slot {
  parentId: string | null;
  after: string | null;
  before: string | null;
  level: number;
}

/** A drop the console can send, or why it would be refused (the API's own rules, checked before asking). */
export type Plan = { ok: true; slot: Slot } | { ok: false; reason: string };

/**
 * The levels a task may take in the gap `gap` of `others` (the rows shown, without the dragged subtree): from
 * the level of the row below (or 1) up to one deeper than the row above.
 */
export function levelRange(others: readonly TreeRow[], gap: number): { min: number; max: number } {
  const above = others[gap - 1]?.node;
  const below = others[gap]?.node;
  if (!above) return { min: 1, max: 1 };
  return { min: below?.level ?? 1, max: above.level + 1 };
}

/** The level a drop in a gap takes without being told: the first subtask of the row above when the row below is one, else its sibling. */
export function defaultLevel(others: readonly TreeRow[], gap: number): number {
  const above = others[gap - 1]?.node;
  if (!above) return 1;
  return Math.max(above.level, others[gap]?.node.level ?? 0);
}

/** The ancestor of the row above the gap (or the row itself) that sits at `level`. */
function ancestorAt(others: readonly TreeRow[], gap: number, level: number): TreeNode | undefined {
  for (let i = gap - 1; i >= 0; i--) {
    const node = others[i]!.node;
    if (node.level === level) return node;
    if (node.level < level) return undefined;
  }
  return undefined;
}

/** The slot of gap `gap` at `level` (clamped to the levels the gap allows). */
export function slotAt(others: readonly TreeRow[], gap: number, level: number): Slot {
  const { min, max } = levelRange(others, gap);
  const at = Math.min(max, Math.max(min, level));
  const below = others[gap]?.node;
  const parent = at === 1 ? null : (ancestorAt(others, gap, at - 1)?.task.id ?? null);
  const after = ancestorAt(others, gap, at)?.task.id ?? null;
  const before = below && below.level === at ? below.task.id : null;
  return { parentId: parent, after, before: after ? null : before, level: at };
}

/** A drop of `dragged` into a gap at a level, refused when its subtree would nest deeper than allowed. */
export function planGap(dragged: TreeNode, others: readonly TreeRow[], gap: number, level: number): Plan {
  const slot = slotAt(others, gap, level);
  const refusal = tooDeep(dragged, slot.level);
  return refusal ? { ok: false, reason: refusal } : { ok: true, slot };
}

/** A drop of `dragged` onto `target`'s middle: its last subtask, unless that is itself, inside itself or too deep. */
export function planInto(dragged: TreeNode, target: TreeNode): Plan {
  if (subtreeIds(dragged).has(target.task.id))
    return {
      ok: false,
      reason: `“${dragged.task.title}” cannot go under itself or one of its own subtasks.`,
    };
  const refusal = tooDeep(dragged, target.level + 1);
  if (refusal) return { ok: false, reason: refusal };
  return { ok: true, slot: { parentId: target.task.id, after: null, before: null, level: target.level + 1 } };
}

function tooDeep(dragged: TreeNode, level: number): string | null {
  const depth = subtreeDepth(dragged);
  if (level + depth - 1 <= MAX_LEVELS) return null;
  const own = depth > 1 ? ` with its ${depth - 1} level${depth > 2 ? 's' : ''} of subtasks` : '';
  return `Subtasks nest at most ${MAX_LEVELS} levels deep: “${dragged.task.title}”${own} cannot go to level ${level}.`;
}

/** Whether a slot is where the task already is (same parent, same previous sibling). */
export function isSameSlot(roots: readonly TreeNode[], id: string, slot: Slot): boolean {
  const node = findNode(roots, id);
  if (!node || node.parentId !== slot.parentId) return false;
  const siblings = node.parentId ? (findNode(roots, node.parentId)?.children ?? []) : roots;
  const index = siblings.findIndex((n) => n.task.id === id);
  const previous = siblings[index - 1]?.task.id ?? null;
  if (slot.after !== null || slot.before !== null) {
    if (slot.after !== null) return slot.after === previous;
    return siblings[index + 1]?.task.id === slot.before;
  }
  // Neither neighbour: the API puts it last among its siblings.
  return index === siblings.length - 1;
}

/** What a screen reader hears about a slot: "Subtask of “Plan trip”, after “Book hotel”." */
export function describeSlot(slot: Slot, title: (id: string) => string): string {
  const where = slot.parentId ? `Level ${slot.level}, subtask of “${title(slot.parentId)}”` : 'Top level';
  const next = slot.after
    ? `after “${title(slot.after)}”`
    : slot.before
      ? `before “${title(slot.before)}”`
      : slot.parentId
        ? 'its last subtask'
        : 'last';
  return `${where}, ${next}.`;
}

/** The siblings' order keys a task sat between, found again by its old key: how Undo puts a move back. */
export function slotOfOrder(
  siblings: readonly TreeTask[],
  id: string,
  order: string,
): { after?: string; before?: string } {
  const rest = siblings.filter((s) => s.id !== id).sort(byOrder);
  const below = rest.filter((s) => (s.order ?? '') < order).at(-1);
  if (below) return { after: below.id };
  const above = rest[0];
  return above ? { before: above.id } : {};
}
