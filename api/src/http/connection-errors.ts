import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem, sendProblem } from './problem.js';

/** How long a refused connection may keep sending before it is cut, so its reader sees our answer. */
const LINGER_MS = 1_000;

/** Node's parser codes for requests refused before any route sees them. */
function statusOfClientError(code: string | undefined): { status: number; detail: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, detail: 'The request took too long to arrive.' };
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, detail: 'The request line and headers exceed the 16 KiB limit.' };
  }
  return { status: 400, detail: 'The request is not valid HTTP/1.1.' };
}

/**
 * Writes a problem+json answer straight to the socket and closes the connection. The rest of what the client
 * sends is read and dropped first: closing with unread input makes the kernel reset the connection, and the
 * client may lose the answer.
 */
function answerAndClose(socket: Socket, status: number, detail: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(problem(status, detail));
  socket.on('error', () => socket.destroy());
  socket.resume();
  socket.end(
    `HTTP/1.1 ${status} ${problem(status, detail).title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** Answers a request Node's HTTP parser refused (too large, malformed, too slow) with problem+json. */
export function clientErrorResponder(logger: FastifyBaseLogger) {
  return (err: Error & { code?: string }, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, detail } = statusOfClientError(err.code);
    logger.debug({ code: err.code, status }, 'request refused by the HTTP parser');
    answerAndClose(socket, status, detail);
  };
}

/** CONNECT never reaches a route (Node hands it over as a tunnel request): this server is no proxy. */
export function refuseConnect(_request: IncomingMessage, socket: Duplex): void {
  answerAndClose(socket as Socket, 501, 'CONNECT is not supported: this server is not a proxy.');
}

/** Router errors (an undecodable URL, a path parameter over its limit) as problem+json instead of fastify's JSON. */
export function frameworkErrorProblem(
  err: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    sendProblem(reply, problem(414, 'A path segment of this URL is longer than any identifier of this API.'));
  } else if (err.code === 'FST_ERR_BAD_URL') {
    sendProblem(reply, problem(400, 'The URL contains an invalid percent-encoding.'));
  } else {
    sendProblem(reply, problem(500, 'Something went wrong on our side.'));
  }
}
