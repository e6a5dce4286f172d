/**
 * Thrown by a publisher when the bus is up but refuses these events themselves (a body it cannot accept):
 * retrying them cannot help for ever, so the relay sets them aside after its last attempt. Any other error
 * means the bus is unavailable, and the relay keeps every event and backs off.
 */
export class RejectedEventsError extends Error {
  override readonly name = 'RejectedEventsError';
  constructor(
    message: string,
    /** The ids of the refused events. */
    readonly eventIds: readonly string[],
  ) {
    super(message);
  }
}
