/**
 * "The server answers again": a window event every successful or client-error response (and the live stream
 * opening) raises, so a banner about an unreachable server can retry and go away instead of going stale.
 */
export const SERVER_ANSWERED = 'todo:server-answered';

export function serverAnswered(): void {
  window.dispatchEvent(new Event(SERVER_ANSWERED));
}
