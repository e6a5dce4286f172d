import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes exactly as given over a fresh TCP connection and parses the one response; for what `app.inject`
 * cannot send (methods and sizes Node's own parser refuses before fastify sees them).
 */
export async function rawRequest(port: number, request: string): Promise<RawResponse> {
  const socket = connect(port, '127.0.0.1');
  const received = readUntilClosed(socket);
  socket.end(request);
  const [head = '', ...rest] = (await received).split('\r\n\r\n');
  return { ...parseHead(head), body: rest.join('\r\n\r\n') };
}

/** Everything the server sends on one connection until the connection closes. */
export function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The status and headers (names lower-cased) of a response head, without its blank line. */
export function parseHead(head: string): Omit<RawResponse, 'body'> {
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers };
}

/** A request in HTTP/1.1 wire format that closes its connection after the answer. */
export function httpMessage(method: string, path: string, headers: Record<string, string> = {}): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: localhost', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
