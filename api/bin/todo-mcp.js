#!/usr/bin/env node
// `npx todo-mcp`: the stdio MCP server (api/src/mcp/stdio.ts). In a checkout it runs the TypeScript source
// through tsx, so it works straight after `npm ci` with nothing built; without tsx (production dependencies
// only) it runs the build. stdin, stdout and stderr are the child's own: stdout carries the protocol.
import { spawn } from 'node:child_process';

function tsxLoader() {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return undefined;
  }
}

const tsx = tsxLoader();
const entry = tsx
  ? ['--conditions=source', '--import', tsx, new URL('../src/mcp/stdio.ts', import.meta.url).pathname]
  : [new URL('../dist/mcp/stdio.js', import.meta.url).pathname];
const child = spawn(process.execPath, entry, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
