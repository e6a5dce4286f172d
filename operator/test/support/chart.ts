/** The operator chart rendered by the real `helm template`, and the REST paths to apply what it renders. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { helmBinary } from '@todo/infra';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/kube/client.js';
import { repoFile } from './cluster.js';

export interface Release {
  name: string;
  namespace: string;
}

export const CHART_DIR = fileURLToPath(repoFile('charts/todo-operator'));

/** Refused by helm (a value against values.schema.json, a failed template): its message. */
export class ChartRenderError extends Error {
  override readonly name = 'ChartRenderError';
}

/**
 * `helm template` of the chart: `values` are given as `--set-json` (any JSON), `showOnly` limits the output to
 * these templates (e.g. `templates/rbac.yaml`).
 */
export async function renderChart(
  release: Release,
  opts: { values?: Record<string, unknown>; showOnly?: string[] } = {},
): Promise<KubeObject[]> {
  const args = ['template', release.name, CHART_DIR, '--namespace', release.namespace];
  for (const [key, value] of Object.entries(opts.values ?? {}))
    args.push('--set-json', `${key}=${JSON.stringify(value)}`);
  for (const template of opts.showOnly ?? []) args.push('--show-only', template);
  const { stdout } = await promisify(execFile)(await helmBinary(), args, { maxBuffer: 16 << 20 }).catch(
    (err: { stderr?: string; message: string }) => {
      throw new ChartRenderError(err.stderr || err.message);
    },
  );
  return parseAllDocuments(stdout)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

const PATHS: Record<string, string> = {
  ServiceAccount: '/api/v1/namespaces/{ns}/serviceaccounts',
  Service: '/api/v1/namespaces/{ns}/services',
  Deployment: '/apis/apps/v1/namespaces/{ns}/deployments',
  ClusterRole: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  ClusterRoleBinding: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  Role: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles',
  RoleBinding: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings',
  PodDisruptionBudget: '/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets',
  NetworkPolicy: '/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies',
  ServiceMonitor: '/apis/monitoring.coreos.com/v1/namespaces/{ns}/servicemonitors',
  PodMonitor: '/apis/monitoring.coreos.com/v1/namespaces/{ns}/podmonitors',
  PrometheusRule: '/apis/monitoring.coreos.com/v1/namespaces/{ns}/prometheusrules',
};

/** The REST path of a rendered object, for a server-side apply. */
export function chartObjectPath(obj: KubeObject): string {
  const base = PATHS[obj.kind ?? '']?.replace('{ns}', obj.metadata.namespace ?? '');
  if (!base) throw new Error(`the chart renders a ${obj.kind}, which the tests have no path for`);
  return `${base}/${obj.metadata.name}`;
}
