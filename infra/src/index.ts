export { CNPG_VERSION, cnpgInstanceBinary, ensureCnpgInstance } from './cnpg-instance.js';
export {
  DAPR_VERSION,
  type DaprdOptions,
  type DaprdServer,
  type DaprResource,
  type DaprSidecarWithScheduler,
  ensureDaprBinaries,
  kafkaPubsubComponent,
  type SchedulerServer,
  startDaprd,
  startScheduler,
  startSidecarWithScheduler,
  writeStandaloneResources,
} from './dapr.js';
export { shellcheckBinary } from './debian-tools.js';
export {
  ACTIONLINT,
  actionlintBinary,
  GO_TOOLS,
  type GoTool,
  HELM,
  helmBinary,
  KUBECONFORM,
  kubeconformBinary,
} from './go-tools.js';
export {
  KAFKA_VERSION,
  type KafkaAccess,
  type KafkaOptions,
  type KafkaServer,
  parseBrokerList,
  startKafka,
  useKafka,
} from './kafka.js';
export {
  ensureKubeBinaries,
  KUBE_VERSION,
  type KubeAccess,
  type KubeServer,
  kubectlBinary,
  startKube,
  useKube,
} from './kube.js';
export {
  createDatabase,
  findPostgresBinDir,
  type PostgresAccess,
  type PostgresServer,
  startPostgres,
  usePostgres,
} from './postgres.js';
export { type PrepareStep, prepare, prepareSteps } from './prepare.js';
export {
  cacheRoot,
  freePort,
  InfraUnavailableError,
  type RunningServer,
  run,
  tempDir,
  terminate,
} from './process.js';
export { ensurePythonTools, hadolintBinary, pythonTools } from './python-tools.js';
export {
  daprChartDir,
  envoyGatewayChartDir,
  envoyGatewayValues,
  envoyProxyDeploymentFile,
  UPSTREAM_CRDS,
  type UpstreamCrdSet,
  upstreamCrdFiles,
} from './upstream-crds.js';
