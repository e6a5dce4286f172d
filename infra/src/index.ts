export { InfraUnavailableError, type RunningServer, cacheRoot, freePort, run, tempDir, terminate, waitFor } from './process.js';
export { type PostgresServer, createDatabase, findPostgresBinDir, startPostgres } from './postgres.js';
export { type KafkaServer, startKafka } from './kafka.js';
export { type KubeServer, startKube } from './kube.js';
