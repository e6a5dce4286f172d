export {
  KAFKA_VERSION,
  type KafkaAccess,
  type KafkaServer,
  parseBrokerList,
  startKafka,
  useKafka,
} from './kafka.js';
export { type KubeServer, startKube } from './kube.js';
export {
  createDatabase,
  findPostgresBinDir,
  type PostgresAccess,
  type PostgresServer,
  startPostgres,
  usePostgres,
} from './postgres.js';
export {
  cacheRoot,
  freePort,
  InfraUnavailableError,
  type RunningServer,
  run,
  tempDir,
  terminate,
  waitFor,
} from './process.js';
