import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startApiProcess } from './support/api-process.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('the API process', () => {
  it('stops at boot with one line naming a bad variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^invalid configuration: PORT /);
  });

  it('drains and exits cleanly on SIGTERM, keeping the embedded data for the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'todo-api-'));
    const api = await startApiProcess({ DATA_DIR: dataDir });
    const signup = await fetch(`${api.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'durable@example.com', password: 'long enough' }),
    });
    expect(signup.status).toBe(201);
    const exit = new Promise<number | null>((r) => api.child.once('exit', (code) => r(code)));
    api.child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(api.output()).toContain('"msg":"stopped"');
    const again = await startApiProcess({ DATA_DIR: dataDir });
    try {
      const login = await fetch(`${again.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'durable@example.com', password: 'long enough' }),
      });
      expect(login.status).toBe(200);
    } finally {
      await again.stop('SIGTERM');
    }
  }, 120_000);
});
