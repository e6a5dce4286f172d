/**
 * Command-line tools the manifest checks run (helm, kubeconform, actionlint), each built from its own Go
 * module through the module proxy, once per version, into `cacheRoot()/go-tools/<name>-<version>/<name>`.
 * No release binaries: a wrapper module requires the tool's module at its version, so the build uses exactly
 * the module's own requirements.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireBuildLock, goBuildArgs, goSteps, requireGo } from './go-build.js';
import { cacheRoot } from './process.js';

export interface GoTool {
  readonly name: string;
  readonly module: string;
  readonly version: string;
  /** The main package inside the module. */
  readonly pkg: string;
  /** `-X` settings the tool's own release build stamps, from its version (one place to bump). */
  readonly ldflags?: (version: string) => readonly string[];
}

export const HELM: GoTool = {
  name: 'helm',
  module: 'helm.sh/helm/v3',
  version: 'v3.22.0',
  pkg: 'helm.sh/helm/v3/cmd/helm',
  // As helm's Makefile stamps them: its version, and the Kubernetes version of its client-go (v0.37 → 1.37),
  // which `helm template` reports as .Capabilities.KubeVersion (the default otherwise is 1.20).
  ldflags: (version) => [
    `-X helm.sh/helm/v3/internal/version.version=${version}`,
    '-X helm.sh/helm/v3/internal/version.metadata=',
    '-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1',
    '-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=37',
    '-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1',
    '-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=37',
  ],
};

export const KUBECONFORM: GoTool = {
  name: 'kubeconform',
  module: 'github.com/yannh/kubeconform',
  version: 'v0.8.0',
  pkg: 'github.com/yannh/kubeconform/cmd/kubeconform',
  ldflags: (version) => [`-X main.version=${version}`],
};

export const ACTIONLINT: GoTool = {
  name: 'actionlint',
  module: 'github.com/rhysd/actionlint',
  version: 'v1.7.12',
  pkg: 'github.com/rhysd/actionlint/cmd/actionlint',
  ldflags: (version) => [`-X github.com/rhysd/actionlint.version=${version}`],
};

export const GO_TOOLS: readonly GoTool[] = [ACTIONLINT, KUBECONFORM, HELM];

/** Where the binary of this tool version is (whether or not it has been built). */
export function goToolPath(tool: GoTool): string {
  return join(cacheRoot(), 'go-tools', `${tool.name}-${tool.version}`, tool.name);
}

/** The go.mod of the wrapper module that builds one tool. */
export function toolGoMod(tool: GoTool): string {
  return `module todo.dev/${tool.name}-build\n\ngo 1.24.0\n\nrequire ${tool.module} ${tool.version}\n`;
}

/** The cached binary, built first when this machine has none for this version. */
export async function ensureGoTool(tool: GoTool): Promise<string> {
  const file = goToolPath(tool);
  if (existsSync(file)) return file;
  requireGo(`${tool.name} ${tool.version}`, `put a ${tool.name} binary of that version at ${file}`);
  const root = join(cacheRoot(), 'go-tools', `${tool.name}-${tool.version}`);
  const src = join(root, 'src');
  await mkdir(src, { recursive: true });
  const release = await acquireBuildLock(join(root, 'build.lock'), tool.name);
  try {
    if (existsSync(file)) return file;
    await writeFile(join(src, 'go.mod'), toolGoMod(tool));
    await writeFile(join(src, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${tool.pkg}"\n`);
    await goSteps(`${tool.name} ${tool.version}`, src, [
      ['get', `${tool.pkg}@${tool.version}`],
      goBuildArgs(`${file}.tmp`, tool.pkg, [...(tool.ldflags?.(tool.version) ?? [])]),
    ]);
    await rename(`${file}.tmp`, file);
  } finally {
    release();
  }
  return file;
}

/** helm, built from helm.sh/helm/v3 at HELM.version. */
export const helmBinary = (): Promise<string> => ensureGoTool(HELM);
/** kubeconform, built from github.com/yannh/kubeconform at KUBECONFORM.version. */
export const kubeconformBinary = (): Promise<string> => ensureGoTool(KUBECONFORM);
/** actionlint, built from github.com/rhysd/actionlint at ACTIONLINT.version. */
export const actionlintBinary = (): Promise<string> => ensureGoTool(ACTIONLINT);
