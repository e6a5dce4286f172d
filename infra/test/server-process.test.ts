import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../src/testing/index.js';

const SERVER = `require('node:http')
  .createServer((req, res) => res.writeHead(req.url === '/readyz' ? 200 : 404).end())
  .listen(Number(process.env.PORT), process.env.HOST, () => console.log('listening'));`;

describe('a server process', () => {
  it('is handed a free loopback port and answers there once ready, until stopped', async () => {
    const server = await startServerProcess({ name: 'the echo server', args: ['-e', SERVER] });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await server.stop();
    expect(server.output()).toContain('listening');
    expect(server.output()).toContain('[the echo server exited: SIGTERM]');
    await expect(fetch(`${server.url}/readyz`)).rejects.toThrow();
  });

  it('fails at once, with what the process printed, when it exits before it is ready', async () => {
    const started = Date.now();
    const failure = startServerProcess({
      name: 'the broken server',
      args: ['-e', "console.error('DATABASE_URL is not a URL'); process.exit(1)"],
    });
    await expect(failure).rejects.toThrow(
      /the broken server exited \(1\) before it was ready\n.*DATABASE_URL is not a URL/s,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
