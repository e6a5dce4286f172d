/** Runs an outside tool to completion and keeps what it said on each stream and how it exited. */
import { execFile } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runTool(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 256 * 2 ** 20 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') reject(err);
        else resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
      },
    );
    // Standard input: `input` when given, else closed at once (a tool that reads it sees its end).
    child.stdin?.end(opts.input);
  });
}

/**
 * A PATH on which `tools` (name → binary, e.g. the harness's kubectl) come first, as a user's shell has
 * them: links in `<scratch>/bin`, ahead of this process's PATH.
 */
export async function pathWith(scratch: string, tools: Record<string, string>): Promise<string> {
  const bin = join(scratch, 'bin');
  await mkdir(bin, { recursive: true });
  for (const [name, binary] of Object.entries(tools)) await symlink(binary, join(bin, name));
  return `${bin}:${process.env.PATH}`;
}
