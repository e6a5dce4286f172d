/**
 * Builds `daprd` and Dapr's `scheduler` from Go modules through the module proxy, once per version, into
 * `cacheRoot()/dapr-<version>/bin`. No release binaries: a wrapper module of our own requires
 * github.com/dapr/dapr and copies the `replace` directives of Dapr's go.mod.
 *
 * Dapr's daprd app imports cmd/daprd/components, which registers every component of components-contrib under
 * a build tag (some of their modules are refused by the proxy) and without one is a single file that panics.
 * So the wrapper replaces github.com/dapr/dapr by a copy of Dapr's module in which that package holds only
 * the components the operator renders, with the registry calls of Dapr's own cmd/daprd/components files;
 * daprd and the scheduler are Dapr's own mains. (`go build -overlay` refuses files in the module cache.)
 * No `go mod tidy`, which resolves every build tag and so the refused modules: `go build -mod=mod` fetches
 * what the build needs.
 *
 * v1.18.3, the newest release the proxy serves: it fixes the scheduler losing job delivery for a namespace
 * after a sidecar disconnects abruptly, which is what our tests do to sidecars. Two of its requirements need
 * help: durabletask-go v0.12.4 (workflows, unused here) is refused by the proxy, so it is replaced by the
 * version v1.18.2 requires; go-etcd-cron v0.12.7 is unknown to the checksum database, so the wrapper starts
 * from Dapr's own go.sum (verified with Dapr's module).
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireBuildLock, goBuildArgs, goSteps, requireGo } from './go-build.js';
import { cacheRoot, InfraUnavailableError, run } from './process.js';

export const DAPR_VERSION = '1.18.3';

/** Modules Dapr requires at a version the proxy refuses, replaced by one it serves that compiles. */
export const SERVED_REPLACEMENTS: Readonly<Record<string, string>> = {
  'github.com/dapr/durabletask-go': 'v0.12.2-0.20260720132056-79042da5fe61',
};

export interface DaprBinaries {
  readonly daprd: string;
  readonly scheduler: string;
}

/** The folder holding the cached binaries for this version. */
export function daprCacheDir(version = DAPR_VERSION): string {
  return join(cacheRoot(), `dapr-${version}`);
}

/** Where the binaries of this version are (whether or not they have been built). */
export function daprBinaryPaths(version = DAPR_VERSION): DaprBinaries {
  const bin = join(daprCacheDir(version), 'bin');
  // The scheduler first: the smaller build, so a broken module set shows sooner.
  return { scheduler: join(bin, 'scheduler'), daprd: join(bin, 'daprd') };
}

/** The `go` directive and the `replace` directives (single lines and blocks) of a go.mod, comments dropped. */
export function goModDirectives(goMod: string): { go: string; replaces: string[] } {
  const lines = goMod.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim());
  const go = lines.find((l) => /^go \d/.test(l))?.slice(3) ?? '1.24.0';
  const replaces: string[] = [];
  let inBlock = false;
  for (const line of lines) {
    if (inBlock) {
      if (line === ')') inBlock = false;
      else if (line) replaces.push(line);
    } else if (line === 'replace (') inBlock = true;
    else if (line.startsWith('replace ')) replaces.push(line.slice('replace '.length).trim());
  }
  return { go, replaces };
}

/** The go.mod of the wrapper module: Dapr at `version` from `./dapr`, with Dapr's own replacements and ours. */
export function wrapperGoMod(version: string, daprGoMod: string): string {
  const { go, replaces } = goModDirectives(daprGoMod);
  replaces.push('github.com/dapr/dapr => ./dapr');
  for (const [module, served] of Object.entries(SERVED_REPLACEMENTS))
    replaces.push(`${module} => ${module} ${served}`);
  return [
    'module todo.dev/dapr-build',
    '',
    `go ${go}`,
    '',
    `require github.com/dapr/dapr v${version}`,
    '',
    ...replaces.map((r) => `replace ${r}`),
    '',
  ].join('\n');
}

/** The components our daprd knows, by the type a Component names (`pubsub.kafka` …), for error messages. */
export const DAPRD_COMPONENTS = [
  'pubsub.kafka',
  'state.postgresql (v1, v2)',
  'secretstores.local.env',
  'secretstores.local.file',
  'nameresolution.mdns',
] as const;

// The whole of our cmd/daprd/components: the registrations of Dapr's pubsub_kafka, state_postgres,
// secretstores_local_env, secretstores_local_file and nameresolution_mdns files there, and nothing else.
const daprdComponents = `package components

import (
	"github.com/dapr/components-contrib/nameresolution/mdns"
	"github.com/dapr/components-contrib/pubsub/kafka"
	"github.com/dapr/components-contrib/secretstores/local/env"
	"github.com/dapr/components-contrib/secretstores/local/file"
	pgv1 "github.com/dapr/components-contrib/state/postgresql/v1"
	pgv2 "github.com/dapr/components-contrib/state/postgresql/v2"
	"github.com/dapr/dapr/pkg/components"
	nrLoader "github.com/dapr/dapr/pkg/components/nameresolution"
	pubsubLoader "github.com/dapr/dapr/pkg/components/pubsub"
	secretstoresLoader "github.com/dapr/dapr/pkg/components/secretstores"
	stateLoader "github.com/dapr/dapr/pkg/components/state"
)

func init() {
	pubsubLoader.DefaultRegistry.RegisterComponent(kafka.NewKafka, "kafka")
	stateLoader.DefaultRegistry.RegisterComponentWithVersions("postgresql", components.Versioning{
		Preferred: components.VersionConstructor{Version: "v2", Constructor: pgv2.NewPostgreSQLStateStore},
		Others:    []components.VersionConstructor{{Version: "v1", Constructor: pgv1.NewPostgreSQLStateStore}},
		Default:   "v1",
	})
	secretstoresLoader.DefaultRegistry.RegisterComponent(env.NewEnvSecretStore, "local.env")
	secretstoresLoader.DefaultRegistry.RegisterComponent(file.NewLocalSecretStore, "local.file")
	nrLoader.DefaultRegistry.RegisterComponent(mdns.NewResolver, "mdns")
}
`;

/** Dapr's module at `version` from the module proxy: its folder in the module cache, its go.mod and go.sum. */
async function daprModule(
  version: string,
  dir: string,
): Promise<{ dir: string; goMod: string; goSum: string }> {
  const [out = ''] = await goSteps(`dapr v${version}: module`, dir, [
    ['mod', 'download', '-json', `github.com/dapr/dapr@v${version}`],
  ]);
  const info = JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)) as {
    Dir?: string;
    Error?: string;
  };
  if (!info.Dir) throw new Error(`go mod download github.com/dapr/dapr@v${version}: ${info.Error ?? out}`);
  const [goMod, goSum] = await Promise.all(
    ['go.mod', 'go.sum'].map((f) => readFile(join(info.Dir ?? '', f), 'utf8')),
  );
  return { dir: info.Dir, goMod: goMod ?? '', goSum: goSum ?? '' };
}

/**
 * The cached binaries, built first when this machine has none for this version. With `build: false` (CI,
 * where the prepare step builds them) a missing binary fails with a message naming it instead.
 */
export async function ensureDaprBinaries(
  opts: { version?: string; build?: boolean } = {},
): Promise<DaprBinaries> {
  const version = opts.version ?? DAPR_VERSION;
  const bin = daprBinaryPaths(version);
  const missing = Object.values(bin).filter((file) => !existsSync(file));
  if (!missing.length) return bin;
  if (opts.build === false) {
    throw new InfraUnavailableError(
      `${missing.join(' and ')} not built: run \`npm run infra -- prepare\` first (it builds Dapr v${version} from Go modules)`,
    );
  }
  requireGo(`daprd and the Dapr scheduler v${version}`, 'run them yourself');
  const root = daprCacheDir(version);
  const src = join(root, 'src');
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(src, { recursive: true });
  const release = await acquireBuildLock(join(root, 'build.lock'), 'dapr');
  try {
    if (!Object.values(bin).every((file) => existsSync(file))) {
      const dapr = await daprModule(version, src);
      await writeFile(join(src, 'go.mod'), wrapperGoMod(version, dapr.goMod));
      await writeFile(join(src, 'go.sum'), dapr.goSum);
      const copy = join(src, 'dapr');
      await rm(copy, { recursive: true, force: true });
      await cp(dapr.dir, copy, { recursive: true });
      await run('chmod', ['-R', 'u+w', copy]); // the module cache's files are read-only
      const components = join(copy, 'cmd', 'daprd', 'components');
      await rm(components, { recursive: true });
      await mkdir(components);
      await writeFile(join(components, 'components.go'), daprdComponents);
      for (const [name, file] of Object.entries(bin)) {
        if (existsSync(file)) continue;
        await goSteps(`dapr v${version}: ${name}`, src, [
          // The version Dapr's own build stamps, which daprd reports in /v1.0/metadata and its log.
          goBuildArgs(`${file}.tmp`, `github.com/dapr/dapr/cmd/${name}`, [
            `-X github.com/dapr/dapr/pkg/buildinfo.version=${version}`,
          ]),
        ]);
        await rename(`${file}.tmp`, file);
      }
    }
  } finally {
    release();
  }
  return bin;
}
