/** Kubernetes Events about a TodoApp; the reconciler records them on condition transitions only. */
import { API_VERSION, KIND, type TodoApp } from '../crd/todoapp.js';
import { Api } from '../kube/api.js';
import type { KubeClient } from '../kube/client.js';
import { KINDS } from '../kube/resources.js';

export interface EventRecorder {
  record(app: TodoApp, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
}

export class KubeEventRecorder implements EventRecorder {
  constructor(
    private readonly client: KubeClient,
    private readonly reportingInstance: string,
  ) {}

  async record(app: TodoApp, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const now = new Date().toISOString();
    const { name, namespace, uid } = app.metadata;
    await new Api(this.client, KINDS.event, namespace).create({
      metadata: { generateName: `${name}.`, namespace },
      involvedObject: { apiVersion: API_VERSION, kind: KIND, name, namespace, uid },
      type,
      reason,
      message: message.slice(0, 1024),
      source: { component: 'todo-operator' },
      reportingComponent: 'todo-operator',
      reportingInstance: this.reportingInstance,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
  }
}
