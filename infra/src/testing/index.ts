/** What every workspace's tests share, imported as `@todo/infra/testing`. */

export { type CaOptions, createCa, createSignedCert } from '../test-ca.js';
export { type Deferred, deferred } from './deferred.js';
export {
  type EventStream,
  openEventStream,
  readEventStream,
  type StreamMessage,
} from './event-stream.js';
export { EventuallyTimeoutError, eventually } from './eventually.js';
export { type ServerProcess, type ServerProcessOptions, startServerProcess } from './server-process.js';
