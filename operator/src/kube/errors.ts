/** Errors from the Kubernetes API as values the reconciler can decide on. */
import type { ResourceKind } from './resources.js';

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** A watch that received nothing for longer than the server's bookmarks allow: the connection is presumed dead. */
export class WatchIdleError extends Error {
  override readonly name = 'WatchIdleError';
}

/** Raised when a kind's API is not served (e.g. Dapr's Component CRD is not installed). */
export class KindNotInstalledError extends Error {
  override readonly name = 'KindNotInstalledError';
  constructor(readonly kind: ResourceKind) {
    super(`the ${kind.kind} API (${kind.group || 'core'}/${kind.version}) is not installed in this cluster`);
  }
}

export const isNotFound = (err: unknown): boolean => err instanceof KubeApiError && err.status === 404;
export const isConflict = (err: unknown): boolean => err instanceof KubeApiError && err.status === 409;
export const isGone = (err: unknown): boolean => err instanceof KubeApiError && err.status === 410;
