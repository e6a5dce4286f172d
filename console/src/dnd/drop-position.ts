/** Where a dragged item would land among ordered groups (days, a project's list): pure, for pointer and keys. */

/** An ordered container items can be dropped into: a day in Upcoming, a project's list. */
export interface DropGroup {
  key: string;
  label: string;
  ids: readonly string[];
}

/** A landing place: the group and the index among the group's other items (the dragged one left out). */
export interface DropTarget {
  group: number;
  index: number;
}

/** What a drop asks the server for: the group, and the neighbours the item lands between. */
export interface Drop {
  id: string;
  groupKey: string;
  /** The item it lands after, or null at the top. */
  after: string | null;
  /** The item it lands before, or null at the end. */
  before: string | null;
}

/** The position `id` starts from, or null when no group holds it. */
export function startOf(groups: readonly DropGroup[], id: string): DropTarget | null {
  for (let g = 0; g < groups.length; g++) {
    const index = groups[g]!.ids.indexOf(id);
    if (index >= 0) return { group: g, index };
  }
  return null;
}

/** The other items of a group, in order, without the dragged one. */
function others(group: DropGroup, id: string): readonly string[] {
  return group.ids.filter((x) => x !== id);
}

/**
 * One step of a keyboard move: up or down within the group, past its ends into the previous group's end
 * or the next group's start; at the very first or last place it stays.
 */
export function step(groups: readonly DropGroup[], id: string, at: DropTarget, delta: 1 | -1): DropTarget {
  const size = others(groups[at.group]!, id).length;
  const index = at.index + delta;
  if (index >= 0 && index <= size) return { group: at.group, index };
  const group = at.group + delta;
  if (group < 0 || group >= groups.length) return at;
  return { group, index: delta > 0 ? 0 : others(groups[group]!, id).length };
}

/** The drop a target means. */
export function dropAt(groups: readonly DropGroup[], id: string, at: DropTarget): Drop {
  const group = groups[at.group]!;
  const rest = others(group, id);
  return { id, groupKey: group.key, after: rest[at.index - 1] ?? null, before: rest[at.index] ?? null };
}

/** Whether a drop leaves the item where it was. */
export function isNoop(groups: readonly DropGroup[], drop: Drop): boolean {
  const from = startOf(groups, drop.id);
  if (!from || groups[from.group]!.key !== drop.groupKey) return false;
  const rest = others(groups[from.group]!, drop.id);
  return (rest[from.index - 1] ?? null) === drop.after;
}

/** The sentence a screen reader hears for a position: "Position 2 of 5 in Tuesday 3 June." */
export function describePosition(groups: readonly DropGroup[], id: string, at: DropTarget): string {
  const group = groups[at.group]!;
  return `Position ${at.index + 1} of ${others(group, id).length + 1} in ${group.label}.`;
}
