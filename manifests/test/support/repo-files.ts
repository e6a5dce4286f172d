/**
 * What the checks cover, discovered from the work tree so that charts, values files, workflows, scripts and
 * Dockerfiles added later are checked without editing a test: every file git tracks or would track (so
 * `.gitignore`d output such as fetched subcharts and node_modules is left out).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Paths relative to the root of every file git tracks or would track, that exists now. */
export function repoFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  return [...new Set(out.split('\0').filter(Boolean))].filter((f) => existsSync(join(repoRoot, f))).sort();
}

export interface ChartUnderTest {
  /** `charts/<name>` */
  readonly dir: string;
  readonly name: string;
  /** The chart's `values*.yaml` files, `values.yaml` (its defaults) first. */
  readonly valuesFiles: string[];
}

/** Every chart directly under `charts/` and the values files beside its Chart.yaml. */
export function chartsUnderTest(files = repoFiles()): ChartUnderTest[] {
  return files
    .filter((f) => /^charts\/[^/]+\/Chart\.yaml$/.test(f))
    .map((chartYaml) => {
      const dir = dirname(chartYaml);
      const valuesFiles = files
        .filter((f) => dirname(f) === dir && /^values[^/]*\.ya?ml$/.test(basename(f)))
        .sort(
          (a, b) =>
            Number(!/\/values\.ya?ml$/.test(a)) - Number(!/\/values\.ya?ml$/.test(b)) || a.localeCompare(b),
        );
      return { dir, name: basename(dir), valuesFiles };
    });
}

/** GitHub Actions workflows. */
export const workflowFiles = (files = repoFiles()): string[] =>
  files.filter((f) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f));

/** Shell scripts: every `*.sh`, and `.ci/run`. */
export const shellScripts = (files = repoFiles()): string[] =>
  files.filter((f) => f.endsWith('.sh') || f === '.ci/run');

/** Dockerfiles: every file whose name starts with `Dockerfile` (but not `.dockerignore`). */
export const dockerfiles = (files = repoFiles()): string[] =>
  files.filter((f) => basename(f).startsWith('Dockerfile'));
