import { isDeepStrictEqual } from 'node:util';
import type { StoredTask, TaskValues } from './task-row.js';

/**
 * Whether writing these values would leave the task as it is: then an update writes nothing, so the version,
 * ETag and `updatedAt` stay and no event tells anyone about a change that did not happen.
 */
export function changesNothing(values: TaskValues, current: StoredTask): boolean {
  return (Object.keys(values) as (keyof TaskValues)[]).every((key) =>
    isDeepStrictEqual(values[key], current[key]),
  );
}
