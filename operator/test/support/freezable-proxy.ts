/**
 * A TCP proxy in front of the API server whose open connections can be frozen: bytes stop flowing both ways
 * while the sockets stay open, as on a half-open connection after a NAT or load balancer forgot it. New
 * connections still go through, so a client that gives up on a silent stream and reconnects recovers.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface FreezableProxy {
  /** `https://127.0.0.1:<port>`: the API server's certificate covers 127.0.0.1 on any port. */
  url: string;
  freeze(): void;
  close(): Promise<void>;
}

export async function freezableProxy(target: URL): Promise<FreezableProxy> {
  const open: [Socket, Socket][] = [];
  // Every connection ever proxied, frozen or not: close() ends them all, or server.close() would wait forever.
  const all: [Socket, Socket][] = [];
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    open.push([client, upstream]);
    all.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}`,
    freeze() {
      for (const [client, upstream] of open.splice(0)) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async close() {
      for (const [client, upstream] of all) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
