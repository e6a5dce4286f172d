/**
 * Renders and lints a chart of ours with the helm built from its Go module. Upstream Helm repositories cannot
 * be reached from here, so each dependency a chart declares is handled by an explicit, printed rule: one
 * already fetched into the chart's `charts/` is used; Dapr's and Envoy Gateway's are taken from their projects'
 * Go modules (github.com/dapr/dapr, github.com/envoyproxy/gateway) when the pinned version is the one prepared;
 * any other is left out (its templates are not rendered). The chart is copied to a scratch folder for that,
 * never changed in place.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DAPR_VERSION,
  daprChartDir,
  envoyGatewayChartDir,
  helmBinary,
  UPSTREAM_CRDS,
  type UpstreamCrdSet,
} from '@todo/infra';
import { parse, stringify } from 'yaml';
import { runTool, type ToolResult } from './tool-run.js';

interface Dependency {
  name: string;
  version?: string;
  repository?: string;
  alias?: string;
}

/** What became of one dependency, as the suite prints it. */
export interface DependencyOutcome {
  readonly name: string;
  readonly rendered: boolean;
  readonly how: string;
}

interface ModuleChart {
  /** The chart version as the project's Helm repository publishes it (what a Chart.yaml pins). */
  readonly version: string;
  /** The upstream set whose Go module holds the chart. */
  readonly set: UpstreamCrdSet;
  readonly dir: () => Promise<string>;
}

/** Upstream charts we can take from a Go module instead of their Helm repository. */
export const FROM_GO_MODULES: Readonly<Record<string, ModuleChart>> = {
  dapr: { version: DAPR_VERSION, set: 'dapr', dir: daprChartDir },
  // Envoy Gateway publishes gateway-helm with its release tag as the chart version (v1.9.1).
  'gateway-helm': {
    version: UPSTREAM_CRDS['envoy-gateway'].version,
    set: 'envoy-gateway',
    dir: envoyGatewayChartDir,
  },
};

export interface StagedChart {
  readonly dir: string;
  readonly dependencies: DependencyOutcome[];
}

/** Copies the chart in `chartDir` (absolute) to `scratch` with its dependencies resolved as above. */
export async function stageChart(chartDir: string, scratch: string): Promise<StagedChart> {
  const dir = join(scratch, 'chart');
  await rm(dir, { recursive: true, force: true });
  await cp(chartDir, dir, { recursive: true });
  await rm(join(dir, 'Chart.lock'), { force: true });
  const chart = parse(await readFile(join(dir, 'Chart.yaml'), 'utf8')) as { dependencies?: Dependency[] };
  const fetched = existsSync(join(dir, 'charts')) ? await readdir(join(dir, 'charts')) : [];
  const kept: Dependency[] = [];
  const outcomes: DependencyOutcome[] = [];
  for (const dep of chart.dependencies ?? []) {
    const from = `${dep.name} ${dep.version ?? ''} (${dep.repository ?? 'no repository'})`;
    if (fetched.some((f) => f === dep.name || (f.startsWith(`${dep.name}-`) && f.endsWith('.tgz')))) {
      kept.push(dep);
      outcomes.push({
        name: dep.name,
        rendered: true,
        how: `${from}: the copy already fetched into charts/`,
      });
      continue;
    }
    const module = FROM_GO_MODULES[dep.name];
    const source =
      module && `Go module ${UPSTREAM_CRDS[module.set].module}@${UPSTREAM_CRDS[module.set].version}`;
    if (module && dep.version !== module.version) {
      throw new Error(
        `${from}: the chart prepared from ${source} is version ${module.version}; pin that, or change the module version in infra/src/upstream-crds.ts`,
      );
    }
    if (module) {
      const target = join(dir, 'charts', dep.name);
      await mkdir(join(dir, 'charts'), { recursive: true });
      await cp(await module.dir(), target, { recursive: true });
      // The module holds the chart's source (version 0.0.0 or v0.0.0-latest); the release stamps its version
      // when packaging.
      const meta = parse(await readFile(join(target, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
      await writeFile(
        join(target, 'Chart.yaml'),
        stringify({ ...meta, version: module.version, appVersion: module.version }),
      );
      kept.push(dep);
      outcomes.push({
        name: dep.name,
        rendered: true,
        how: `${from}: rendered from the chart in ${source}`,
      });
      continue;
    }
    outcomes.push({
      name: dep.name,
      rendered: false,
      how: `${from}: cannot be fetched here, so rendered WITHOUT it (its templates are not checked; its CRDs are installed from Go modules where we have them)`,
    });
  }
  if (chart.dependencies) {
    await writeFile(
      join(dir, 'Chart.yaml'),
      stringify({ ...chart, dependencies: kept.length ? kept : undefined }),
    );
  }
  return { dir, dependencies: outcomes };
}

/** Runs the helm binary with its state kept in `scratch`, never the user's. */
export async function helm(scratch: string, args: string[]): Promise<ToolResult> {
  const home = join(scratch, 'helm-home');
  const env = {
    ...process.env,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
  return runTool(await helmBinary(), args, { env });
}
