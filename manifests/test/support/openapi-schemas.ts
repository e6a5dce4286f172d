/**
 * JSON schemas for kubeconform, generated from the test API server's own OpenAPI v3 documents, so they hold
 * exactly the built-in kinds of that Kubernetes version and every CRD installed on it. Like kubeconform's
 * openapi2jsonschema in its strict mode: one self-contained schema per kind (the definitions it reaches
 * inlined), `int-or-string` as either, `nullable` as null allowed, and objects with declared properties closed
 * to others. Written as `<dir>/<group or version>/<version>/<kind>.json`, the layout SCHEMA_LOCATION names.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kubeconformBinary } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import type { ServedKind } from './cluster-setup.js';
import type { KubeClient } from './kube-client.js';
import { runTool, type ToolResult } from './tool-run.js';

type Schema = { [k: string]: unknown };

/** kubeconform's `-schema-location` for the folder `dir` (its Group is the part of apiVersion before `/`). */
const schemaLocation = (dir: string): string =>
  `${dir}/{{ .Group }}/{{ .ResourceAPIVersion }}/{{ .ResourceKind }}.json`;

/** `kubeconform -strict -summary` of the manifests in `file` against the schemas written into `dir`. */
export async function kubeconform(dir: string, file: string): Promise<ToolResult> {
  return runTool(await kubeconformBinary(), [
    '-strict',
    '-summary',
    '-schema-location',
    schemaLocation(dir),
    file,
  ]);
}

const REF_PREFIX = '#/components/schemas/';

/** The schema rewritten for a JSON-schema validator; `refs` collects the definitions it names. */
export function convert(node: unknown, refs: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, refs));
  if (!node || typeof node !== 'object') return node;
  const s = node as Schema;
  if (s.format === 'int-or-string' || s['x-kubernetes-int-or-string'] === true) {
    return {
      oneOf: [{ type: 'string' }, { type: 'integer' }],
      ...(s.description ? { description: s.description } : {}),
    };
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith(REF_PREFIX)) {
      const name = v.slice(REF_PREFIX.length);
      refs.add(name);
      out.$ref = `#/definitions/${name}`;
    } else if (k === 'properties' && v && typeof v === 'object') {
      out.properties = Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, convert(ps, refs)]));
    } else out[k] = convert(v, refs);
  }
  if (out.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.$ref || out.allOf) return { anyOf: [{ type: 'null' }, out] };
  }
  const open = out.additionalProperties !== undefined || out['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && !open) out.additionalProperties = false;
  return out;
}

type GroupVersionKind = ServedKind;
type OpenApiDoc = { components?: { schemas?: Record<string, Schema> } };

const kindsIn = (doc: OpenApiDoc): string[] =>
  Object.values(doc.components?.schemas ?? {}).flatMap((s) =>
    ((s['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined) ?? []).map((g) => g.kind),
  );

/**
 * Writes one schema per kind the server serves; returns how many. The server publishes a new CRD's schema a
 * moment after the CRD is established, so each group/version's document is read until it holds `expected`.
 */
export async function writeKubeconformSchemas(
  client: KubeClient,
  dir: string,
  expected: readonly ServedKind[],
): Promise<number> {
  let written = 0;
  const paths = await eventually(
    'every CRD group/version in /openapi/v3',
    async () => {
      const index = await client.getJson<{ paths: Record<string, unknown> }>('/openapi/v3');
      const paths = Object.keys(index.paths);
      return expected.every((k) => paths.includes(`apis/${k.group}/${k.version}`)) && paths;
    },
    60_000,
    250,
  );
  for (const path of paths) {
    const wanted = expected.filter((k) => path === `apis/${k.group}/${k.version}`).map((k) => k.kind);
    // Without the index's hash the server answers with the document as it is now.
    const doc = await eventually(
      `the OpenAPI document of ${path}`,
      async () => {
        const got = await client.getJson<OpenApiDoc>(`/openapi/v3/${path}`);
        const kinds = kindsIn(got);
        return wanted.every((k) => kinds.includes(k)) && got;
      },
      60_000,
      250,
    );
    const schemas = doc.components?.schemas ?? {};
    const converted = new Map<string, { schema: unknown; refs: Set<string> }>();
    const convertedOf = (name: string) => {
      let c = converted.get(name);
      if (!c) {
        const refs = new Set<string>();
        c = { schema: convert(schemas[name] ?? {}, refs), refs };
        converted.set(name, c);
      }
      return c;
    };
    for (const [name, schema] of Object.entries(schemas)) {
      const gvks = (schema['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined) ?? [];
      // DeleteOptions, WatchEvent … name every group's version: they are not objects one applies.
      if (gvks.length !== 1) continue;
      const [{ group, version, kind }] = gvks as [GroupVersionKind];
      const definitions: Record<string, unknown> = {};
      const pending = [...convertedOf(name).refs];
      while (pending.length) {
        const ref = pending.pop() as string;
        if (ref in definitions) continue;
        const c = convertedOf(ref);
        definitions[ref] = c.schema;
        pending.push(...c.refs);
      }
      const folder = join(dir, group || version, version);
      await mkdir(folder, { recursive: true });
      const full = { ...(convertedOf(name).schema as Schema), definitions };
      await writeFile(join(folder, `${kind.toLowerCase()}.json`), JSON.stringify(full));
      written++;
    }
  }
  return written;
}
