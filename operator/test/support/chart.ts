/**
 * Renders the chart's templates the way `helm template` would for the small subset of Go templating they use
 * (`.Release.Name`, `.Release.Namespace`, `.Values.<path>`), failing on anything else, so tests apply exactly
 * what the chart ships. Helm itself is not available on this machine.
 */
import { readFile } from 'node:fs/promises';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/kube/client.js';
import { repoFile } from './cluster.js';

export interface Release {
  name: string;
  namespace: string;
}

function lookup(values: unknown, path: string): string {
  let node: unknown = values;
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (node === undefined || typeof node === 'object')
    throw new Error(`chart template uses .Values.${path}, which values.yaml does not define as a scalar`);
  return String(node);
}

export async function renderChartTemplate(template: string, release: Release): Promise<KubeObject[]> {
  const values = parse(await readFile(repoFile('charts/todo-operator/values.yaml'), 'utf8'));
  const text = (await readFile(repoFile(`charts/todo-operator/templates/${template}`), 'utf8')).replace(
    /\{\{\s*([^}]+?)\s*\}\}/g,
    (_, expr: string) => {
      if (expr === '.Release.Name') return release.name;
      if (expr === '.Release.Namespace') return release.namespace;
      if (expr.startsWith('.Values.')) return lookup(values, expr.slice('.Values.'.length));
      throw new Error(`unsupported template expression {{ ${expr} }} in ${template}`);
    },
  );
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject)
    .filter(Boolean);
}
