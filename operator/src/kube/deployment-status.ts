/** The part of a Deployment's status the operator reports, read from the wire object into a typed value. */
import type { KubeObject } from './client.js';

export interface DeploymentAvailability {
  readyReplicas: number;
  /** Ready for at least the Deployment's minReadySeconds. */
  availableReplicas: number;
  /** The `Available` condition: true, false, or undefined when the deployment controller has not said yet. */
  available: boolean | undefined;
  message: string | undefined;
}

interface DeploymentStatus {
  readyReplicas?: number;
  availableReplicas?: number;
  conditions?: { type: string; status: string; message?: string }[];
}

export function deploymentAvailability(deployment: KubeObject): DeploymentAvailability {
  const status = (deployment.status ?? {}) as DeploymentStatus;
  const available = status.conditions?.find((c) => c.type === 'Available');
  return {
    readyReplicas: status.readyReplicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
    available: available ? available.status === 'True' : undefined,
    message: available?.message,
  };
}
