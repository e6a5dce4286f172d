import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { failureKind } from '../events/failure-kind.js';
import { DaprJobsClient } from './dapr-jobs.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A sidecar on a free loopback port that answers with `respond`, or never when it does nothing. */
async function sidecar(respond: (res: import('node:http').ServerResponse) => void): Promise<number> {
  const server = createServer((_req, res) => respond(res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const notBadData = () => false;

describe('DaprJobsClient', () => {
  it('gives up on a sidecar that never answers, as a transient failure', async () => {
    const port = await sidecar(() => {});
    const client = new DaprJobsClient(port, undefined, '127.0.0.1', 200);
    const err = await client.schedule('reminder-x', new Date(), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/no answer within 200 ms/);
    expect(failureKind(err, notBadData)).toBe('transient');
  });

  it('reports a sidecar it cannot reach as a transient failure', async () => {
    const port = await sidecar(() => {});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const err = await new DaprJobsClient(port).delete('reminder-x').catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('ECONNREFUSED');
    expect(failureKind(err, notBadData)).toBe('transient');
  });

  it("throws a sidecar's refusal with its status, and takes a missing job's 404 on delete as done", async () => {
    const refusing = await sidecar((res) => res.writeHead(500).end('scheduler unavailable'));
    await expect(new DaprJobsClient(refusing).schedule('reminder-x', new Date(), {})).rejects.toThrow(
      /failed with 500: scheduler unavailable/,
    );
    const missing = await sidecar((res) => res.writeHead(404).end());
    await expect(new DaprJobsClient(missing).delete('reminder-x')).resolves.toBeUndefined();
  });
});
