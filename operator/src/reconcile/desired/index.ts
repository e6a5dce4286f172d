/**
 * The operator's desired objects as pure functions, exported (`@todo/operator/desired`) so the end-to-end suite
 * runs real daprd sidecars and API processes on exactly what the operator would deploy.
 */
export type { TodoApp } from '../../crd/todoapp.js';
export type { KubeObject } from '../../kube/client.js';
export { apiEnvironment } from './api-environment.js';
export {
  DELIVERY_RETRY,
  desiredDaprApiTokenSecret,
  desiredDaprComponents,
  desiredResiliency,
} from './dapr.js';
export { appId, childNames } from './meta.js';
export { APP_TOKEN_KEY, desiredConfigMap, desiredDeployment, desiredSecret } from './workload.js';
