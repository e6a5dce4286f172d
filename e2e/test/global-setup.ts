import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { prepare } from '@todo/infra';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/**
 * The daprd and scheduler binaries, and the API as its container runs it (`node dist/main.js`): built here,
 * outside every test's timeout (`tsc -b` is incremental, so an up-to-date build passes through).
 */
export async function setup(): Promise<void> {
  await prepare();
  await promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'api'], {
    cwd: root,
    timeout: 300_000,
  }).catch((err: { stdout?: string; message: string }) => {
    throw new Error(`building the API (tsc -b api) failed: ${err.stdout || err.message}`);
  });
}
