import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JobCall {
  method: string;
  url: string;
  body: { dueTime?: string; overwrite?: boolean; data?: unknown } | undefined;
}

/** A stand-in for the sidecar's Jobs HTTP API that records the calls it gets (a real sidecar comes with the operator). */
export async function recordingSidecar() {
  const calls: JobCall[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => {
      raw += d;
    });
    req.on('end', () => {
      calls.push({ method: req.method ?? '', url: req.url ?? '', body: raw ? JSON.parse(raw) : undefined });
      res.statusCode = req.method === 'DELETE' ? 204 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { calls, port: (server.address() as AddressInfo).port, close: () => server.close() };
}
