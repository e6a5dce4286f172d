/** Outside tools that come from Debian packages (`.ci/run` installs them when missing), found on PATH. */
import { execFileSync } from 'node:child_process';
import { InfraUnavailableError } from './process.js';

/** The absolute path of `command` on PATH, or an error naming the Debian package that provides it. */
export function debianTool(command: string, debianPackage: string): string {
  try {
    return execFileSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' }).trim();
  } catch {
    throw new InfraUnavailableError(
      `\`${command}\` is not on PATH: install the Debian package ${debianPackage} (apt-get install ${debianPackage}; .ci/run does)`,
    );
  }
}

/** shellcheck, the shell script linter (Debian package `shellcheck`). */
export async function shellcheckBinary(): Promise<string> {
  return debianTool('shellcheck', 'shellcheck');
}
