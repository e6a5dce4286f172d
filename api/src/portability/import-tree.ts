import { MAX_TASK_LEVELS as MAX_LEVELS } from '@todo/contract';

/** What placing a task in its tree needs: its id in the file and its parent's, if any. */
export interface TreeNode {
  line: number;
  sourceId: string;
  parentKey?: string | null | undefined;
}

export interface Placement<T> {
  /** The tasks, each after its parent, otherwise in the file's order. */
  ordered: T[];
  /** The parent each task keeps (a source id), or null: at the top level. */
  parentOf: Map<string, string | null>;
  /** The tasks moved to the top level, and why. */
  moved: { line: number; reason: string }[];
}

/**
 * Places a file's tasks in their trees: a task keeps the parent the file names when that parent is in the
 * file, the chain has no cycle and the task sits at most MAX_LEVELS deep; otherwise it comes in at the top
 * level and the report says why. Depth is read from the file, so importing it again places tasks the same.
 */
export function placeInTree<T extends TreeNode>(nodes: readonly T[]): Placement<T> {
  const byId = new Map(nodes.map((n) => [n.sourceId, n]));
  const parentOf = new Map<string, string | null>();
  const depth = new Map<string, number>();
  const moved: Placement<T>['moved'] = [];

  const move = (node: T, reason: string) => moved.push({ line: node.line, reason });
  // Walks up from each task to a placed one (or a root, a missing parent, a cycle) without recursion, so a
  // hostile file's long chains cannot exhaust the stack, then places that chain from the top down.
  for (const start of nodes) {
    const chain: T[] = [];
    const onChain = new Set<string>();
    for (let at: T | undefined = start; at && !depth.has(at.sourceId) && !onChain.has(at.sourceId); ) {
      chain.push(at);
      onChain.add(at.sourceId);
      at = at.parentKey ? byId.get(at.parentKey) : undefined;
    }
    for (const node of chain.reverse()) {
      const parent = node.parentKey ? byId.get(node.parentKey) : undefined;
      const parentLevel = parent && depth.get(parent.sourceId);
      let level = 1;
      if (node.parentKey && !parent) move(node, 'its parent is not in the file: imported at the top level');
      else if (parent && parentLevel === undefined)
        move(node, 'its parents form a cycle: imported at the top level');
      else if (parentLevel !== undefined && parentLevel >= MAX_LEVELS) {
        move(node, `subtasks nest ${MAX_LEVELS} levels at most: imported at the top level`);
      } else if (parentLevel !== undefined) level = parentLevel + 1;
      parentOf.set(node.sourceId, level > 1 ? parent!.sourceId : null);
      depth.set(node.sourceId, level);
    }
  }

  const ordered: T[] = [];
  const emitted = new Set<string>();
  const emit = (node: T) => {
    if (emitted.has(node.sourceId)) return;
    const parent = parentOf.get(node.sourceId);
    if (parent) emit(byId.get(parent)!);
    emitted.add(node.sourceId);
    ordered.push(node);
  };
  for (const node of nodes) emit(node);
  return { ordered, parentOf, moved };
}
