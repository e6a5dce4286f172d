/**
 * The contract's plain values, without zod: what a browser bundle (the console) may import at run time.
 * Everything else it takes from `@todo/contract` with `import type`, so its bundle carries no schema code.
 */
export { PRIORITIES, type Priority } from './priorities.js';
export { SSE_EVENT_BY_CLOUDEVENT_TYPE, SSE_EVENT_NAMES, type SseEventName } from './sse-events.js';
