/**
 * Decides whether a child needs applying. A server-side apply that changes nothing is still a write request,
 * so a steady state must skip it: apply only when the desired fields are not all present in the observed object
 * (someone edited or deleted it) or the desired object itself changed (its hash annotation differs).
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../kube/client.js';

export const DESIRED_HASH_ANNOTATION = 'tenancy.todo.dev/desired-hash';

/** Returns the object with an annotation recording a digest of its desired content. */
export function withDesiredHash(obj: KubeObject): KubeObject {
  const hash = createHash('sha256').update(JSON.stringify(obj)).digest('hex').slice(0, 32);
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      annotations: { ...obj.metadata.annotations, [DESIRED_HASH_ANNOTATION]: hash },
    },
  };
}

/** True when every field of `desired` is present with the same value in `actual` (arrays position by position). */
export function containsFields(actual: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(actual) &&
      actual.length === desired.length &&
      desired.every((d, i) => containsFields(actual[i], d))
    );
  }
  if (desired !== null && typeof desired === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(desired).every(([k, v]) => containsFields(a[k], v));
  }
  return actual === desired;
}

/** True when `actual` (from the cache) already is what `desired` (with its hash) asks for. */
export function isUpToDate(actual: KubeObject | undefined, desired: KubeObject): boolean {
  if (!actual) return false;
  const want = desired.metadata.annotations?.[DESIRED_HASH_ANNOTATION];
  if (actual.metadata.annotations?.[DESIRED_HASH_ANNOTATION] !== want) return false;
  return containsFields(actual, desired);
}
