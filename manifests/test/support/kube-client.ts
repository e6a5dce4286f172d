/**
 * The few Kubernetes API calls the manifest checks make, over HTTPS with the kubeconfig's client certificate:
 * server-side apply (for real, or as a dry run that runs every admission step and stores nothing), discovery
 * of a kind's resource, and GET.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { parse } from 'yaml';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: string;
  /** The API server's `Warning` headers (PodSecurity's "would violate", deprecations …). */
  readonly warnings: string[];
}

interface Resource {
  readonly name: string;
  readonly namespaced: boolean;
}

/** The text of a `Warning: 299 - "…"` header: a quoted string, whose `\"` and `\\` are escapes (RFC 9110). */
export const warningText = (header: string): string => {
  const quoted = /^299 - "(.*)"$/.exec(header)?.[1];
  return quoted === undefined ? header : quoted.replace(/\\(.)/g, '$1');
};

/** `/api/v1` for the core group, `/apis/<group>/<version>` for the others. */
const groupVersionPath = (apiVersion: string) =>
  apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;

/** What a server without a resource for the kind would answer. */
const noResource = (obj: KubeObject): ApiResponse => ({
  status: 404,
  body: `the server has no resource for ${obj.kind} in ${obj.apiVersion}`,
  warnings: [],
});

export class KubeClient {
  private readonly resources = new Map<string, Promise<Map<string, Resource>>>();

  private constructor(
    readonly server: string,
    private readonly tls: { ca: Buffer; cert: Buffer; key: Buffer },
  ) {}

  /** A client for the current context of a kubeconfig that embeds a client certificate. */
  static async fromKubeconfig(file: string): Promise<KubeClient> {
    const config = parse(await readFile(file, 'utf8')) as {
      clusters: { cluster: Record<string, string> }[];
      users: { user: Record<string, string> }[];
    };
    const cluster = config.clusters[0]?.cluster ?? {};
    const user = config.users[0]?.user ?? {};
    const b64 = (v: string | undefined) => Buffer.from(v ?? '', 'base64');
    return new KubeClient(cluster.server ?? '', {
      ca: b64(cluster['certificate-authority-data']),
      cert: b64(user['client-certificate-data']),
      key: b64(user['client-key-data']),
    });
  }

  request(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<ApiResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.server}${path}`,
        {
          method,
          ...this.tls,
          headers: { accept: 'application/json', ...(payload ? { 'content-type': contentType } : {}) },
          timeout: 60_000,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => {
            // headersDistinct: one entry per Warning header (headers.warning joins them with commas).
            const warnings = (res.headersDistinct.warning ?? []).map(warningText);
            resolve({ status: res.statusCode ?? 0, body: text, warnings });
          });
        },
      );
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.end(payload);
    });
  }

  async getJson<T>(path: string): Promise<T> {
    const res = await this.request('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body}`);
    return JSON.parse(res.body) as T;
  }

  /** The resource (plural name, scope) that serves `kind` in `apiVersion`, or undefined when none does. */
  async resourceFor(apiVersion: string, kind: string): Promise<Resource | undefined> {
    let known = this.resources.get(apiVersion);
    if (!known) {
      known = this.request('GET', groupVersionPath(apiVersion)).then((res) => {
        const list =
          res.status === 200
            ? (JSON.parse(res.body) as { resources: (Resource & { kind: string })[] })
            : undefined;
        return new Map(
          (list?.resources ?? []).filter((r) => !r.name.includes('/')).map((r) => [r.kind, r] as const),
        );
      });
      this.resources.set(apiVersion, known);
    }
    return (await known).get(kind);
  }

  /** The path of the collection that holds `obj` (in its namespace for a namespaced kind); none if not served. */
  private async collectionOf(obj: KubeObject): Promise<string | undefined> {
    const resource = await this.resourceFor(obj.apiVersion, obj.kind);
    if (!resource) return undefined;
    const ns = resource.namespaced ? `/namespaces/${obj.metadata.namespace ?? 'default'}` : '';
    return `${groupVersionPath(obj.apiVersion)}${ns}/${resource.name}`;
  }

  /** Forgets what discovery said, after CRDs were installed. */
  forgetDiscovery(): void {
    this.resources.clear();
  }

  /** Creates a cluster-scoped `obj` (POST): far quicker than an apply for CRDs of a megabyte. */
  async create(obj: KubeObject): Promise<ApiResponse> {
    const collection = await this.collectionOf(obj);
    if (!collection) return noResource(obj);
    return this.request('POST', `${collection}?fieldValidation=Strict`, obj);
  }

  /**
   * Server-side apply of `obj` (namespaced kinds into `obj.metadata.namespace`); with `dryRun` the server runs
   * validation, defaulting and admission and stores nothing. Unknown or duplicate fields are errors.
   */
  async apply(obj: KubeObject, opts: { dryRun: boolean }): Promise<ApiResponse> {
    const collection = await this.collectionOf(obj);
    if (!collection) return noResource(obj);
    const query = new URLSearchParams({
      fieldManager: 'manifests-test',
      force: 'true',
      fieldValidation: 'Strict',
    });
    if (opts.dryRun) query.set('dryRun', 'All');
    const path = `${collection}/${encodeURIComponent(obj.metadata.name ?? '')}?${query}`;
    return this.request('PATCH', path, obj, 'application/apply-patch+yaml');
  }
}
