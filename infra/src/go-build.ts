/**
 * What every build of a server from Go modules shares (kube-apiserver and etcd, daprd and Dapr's scheduler):
 * the toolchain check, a lock so parallel test processes build once, and `go` run with the same settings.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { InfraUnavailableError, run } from './process.js';

/** Throws, naming what needs Go and the way around it, when no `go` is on PATH. */
export function requireGo(needed: string, instead: string): void {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    throw new InfraUnavailableError(
      `the Go toolchain (\`go\`) is not on PATH: it is needed once to build ${needed}; install Go or ${instead}`,
    );
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes an O_EXCL lock file; a lock left by a dead process is taken over. Resolves to a release function. */
export async function acquireBuildLock(
  file: string,
  label: string,
  timeoutMs = 120 * 60_000,
): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (!holder || !processAlive(holder)) {
      unlinkSync(file);
      continue;
    }
    if (!announced) console.error(`# ${label}: waiting for process ${holder} that is building the binaries`);
    announced = true;
    if (Date.now() > deadline)
      throw new InfraUnavailableError(`timed out waiting for the build lock ${file}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Runs `go` with each argument list in turn in `dir`, printing each step and its duration to stderr. */
export async function goSteps(label: string, dir: string, steps: string[][]): Promise<string[]> {
  // -p=2 keeps the build from starving everything else on a small machine; GOTOOLCHAIN=local never downloads Go.
  const env = { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-p=2 -mod=mod' };
  const outputs: string[] = [];
  for (const args of steps) {
    const started = Date.now();
    console.error(`# ${label}: go ${args.join(' ')}`);
    outputs.push(await run('go', args, { cwd: dir, env, timeoutMs: 90 * 60_000 }));
    console.error(`# ${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  return outputs;
}

/** `go build` flags for a small, reproducible binary; `ldflags` are added to the linker's (`-X` …). */
export function goBuildArgs(output: string, pkg: string, ldflags: string[] = []): string[] {
  return ['build', '-trimpath', `-ldflags=${['-s', '-w', ...ldflags].join(' ')}`, '-o', output, pkg];
}
