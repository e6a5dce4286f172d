/**
 * `cnpg-instance` (infra/go/cnpg-instance): the PostgreSQL instance Pod and initdb Job CloudNativePG makes from
 * a Cluster, built by the operator's own code (pkg/specs of the github.com/cloudnative-pg/cloudnative-pg module,
 * at the version whose CRDs the tests install). CloudNativePG's Helm chart cannot be fetched here, but what
 * its operator creates in the platform's namespace can be checked this way. Built once per version and source
 * into `cacheRoot()/cnpg-instance-<version>-<hash>/cnpg-instance`: the prepare step.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireBuildLock, goBuildArgs, goSteps, requireGo } from './go-build.js';
import { cacheRoot, InfraUnavailableError } from './process.js';
import { UPSTREAM_CRDS } from './upstream-crds.js';

const MODULE = UPSTREAM_CRDS['cloudnative-pg'].module;
/** The CloudNativePG operator version whose code builds the pods: the one the tests take the CRDs from. */
export const CNPG_VERSION = UPSTREAM_CRDS['cloudnative-pg'].version;

const source = fileURLToPath(new URL('../go/cnpg-instance/main.go', import.meta.url));

function buildDir(): string {
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  return join(cacheRoot(), `cnpg-instance-${CNPG_VERSION}-${hash}`);
}

/** Builds the binary when this machine has none for this version and source; returns its path. */
export async function ensureCnpgInstance(): Promise<string> {
  const dir = buildDir();
  const file = join(dir, 'cnpg-instance');
  if (existsSync(file)) return file;
  requireGo(`cnpg-instance (CloudNativePG ${CNPG_VERSION})`, 'skip the platform Pod Security checks');
  const src = join(dir, 'src');
  await mkdir(src, { recursive: true });
  const release = await acquireBuildLock(join(dir, 'build.lock'), 'cnpg-instance');
  try {
    if (existsSync(file)) return file;
    await cp(source, join(src, 'main.go'));
    await writeFile(
      join(src, 'go.mod'),
      `module todo.dev/cnpg-instance\n\ngo 1.26\n\nrequire ${MODULE} ${CNPG_VERSION}\n`,
    );
    await goSteps(`cnpg-instance ${CNPG_VERSION}`, src, [
      ['get', `${MODULE}@${CNPG_VERSION}`],
      ['mod', 'tidy'],
      goBuildArgs(`${file}.tmp`, '.'),
    ]);
    await rename(`${file}.tmp`, file);
  } finally {
    release();
  }
  return file;
}

/** The prepared binary; fails with what to run when prepare has not built it. */
export async function cnpgInstanceBinary(): Promise<string> {
  const file = join(buildDir(), 'cnpg-instance');
  if (!existsSync(file)) {
    throw new InfraUnavailableError(
      `cnpg-instance is not built in ${buildDir()}: run \`npm run infra -- prepare\` (it builds it from the Go module ${MODULE}@${CNPG_VERSION})`,
    );
  }
  return file;
}
