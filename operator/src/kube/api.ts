/**
 * One kind in one namespace, in the manner of kube-rs's `Api<K>`: the REST paths and verbs of an object live
 * here, so the reconciler speaks in objects and names.
 */
import type { KubeClient, KubeObject } from './client.js';
import { isNotFound, KindNotInstalledError } from './errors.js';
import { collectionPath, objectPath, type ResourceKind } from './resources.js';

export class Api<T extends KubeObject = KubeObject> {
  constructor(
    private readonly client: KubeClient,
    readonly kind: ResourceKind,
    readonly namespace: string | undefined,
  ) {}

  private path(name: string): string {
    return objectPath(this.kind, this.namespace, name);
  }

  get(name: string): Promise<T> {
    return this.client.get<T>(this.path(name));
  }

  /** The object, or undefined when it does not exist. */
  async find(name: string): Promise<T | undefined> {
    try {
      return await this.get(name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Creates an object; `generateName` lets the server pick the name. */
  create(
    obj: Omit<KubeObject, 'metadata'> & {
      metadata: Partial<KubeObject['metadata']> & { generateName?: string };
    },
  ): Promise<T> {
    return this.client.request<T>('POST', collectionPath(this.kind, this.namespace), obj);
  }

  /** Server-side apply; a 404 means the server does not serve this kind at all (e.g. a CRD not installed). */
  async apply(obj: KubeObject): Promise<T> {
    try {
      return await this.client.apply<T>(this.path(obj.metadata.name), obj);
    } catch (err) {
      if (isNotFound(err)) throw new KindNotInstalledError(this.kind);
      throw err;
    }
  }

  mergePatch(name: string, patch: unknown): Promise<T> {
    return this.client.mergePatch<T>(this.path(name), patch);
  }

  patchStatus(name: string, status: unknown): Promise<T> {
    return this.client.mergePatch<T>(`${this.path(name)}/status`, { status });
  }

  /** Deletes in the background; an object already gone is not an error. Returns whether it existed. */
  async delete(name: string): Promise<boolean> {
    try {
      await this.client.delete(this.path(name));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}
