/**
 * The finalizer guards what lives outside the cluster (topics, a managed database), so it is only there when
 * `deletionPolicy: Delete` asks for them to go with the TodoApp.
 */
import type { TodoApp } from '../crd/todoapp.js';
import { Api } from '../kube/api.js';
import type { KubeClient } from '../kube/client.js';
import { isNotFound } from '../kube/errors.js';
import { KINDS } from '../kube/resources.js';
import type { ManagedDatabase } from './database.js';
import { TenantError } from './error-policy.js';
import type { EventRecorder } from './events.js';
import { resolveKafkaAuth } from './resolve-kafka-auth.js';
import { type TopicAdmin, TopicsAuthenticationError, TopicsRejectedError } from './topics.js';

export const FINALIZER = 'tenancy.todo.dev/external-resources';

interface FinalizerDeps {
  client: KubeClient;
  topics: TopicAdmin;
  databases: ManagedDatabase | undefined;
  events: EventRecorder;
}

/** Kafka's failures as the error policy knows them (a TenantError, e.g. a missing Secret, as it is). */
export function topicFailure(err: unknown): TenantError {
  if (err instanceof TenantError) return err;
  const reason =
    err instanceof TopicsRejectedError
      ? 'TopicsRejected'
      : err instanceof TopicsAuthenticationError
        ? 'KafkaAuthenticationFailed'
        : 'KafkaUnavailable';
  return new TenantError(reason, (err as Error).message);
}

/** Sets the finalizer list; the resourceVersion makes a concurrent change fail (and retry) instead of being lost. */
function patchFinalizers(app: TodoApp, client: KubeClient, finalizers: string[]) {
  return new Api(client, KINDS.todoApp, app.metadata.namespace).mergePatch(app.metadata.name, {
    metadata: { finalizers, resourceVersion: app.metadata.resourceVersion },
  });
}

export async function syncFinalizer(app: TodoApp, client: KubeClient): Promise<void> {
  const finalizers = app.metadata.finalizers ?? [];
  const want = app.spec.deletionPolicy === 'Delete';
  if (want === finalizers.includes(FINALIZER)) return;
  await patchFinalizers(
    app,
    client,
    want ? [...finalizers, FINALIZER] : finalizers.filter((f) => f !== FINALIZER),
  );
}

/** A TodoApp being deleted: remove its external resources when the policy says so, then release it. */
export async function finalize(app: TodoApp, deps: FinalizerDeps): Promise<void> {
  const finalizers = app.metadata.finalizers ?? [];
  if (!finalizers.includes(FINALIZER)) return;
  if (app.spec.deletionPolicy === 'Delete') {
    await resolveKafkaAuth(app, deps.client)
      .then((auth) => deps.topics.remove(app.spec.kafka, auth))
      .catch((err: unknown) => {
        throw topicFailure(err);
      });
    if (app.spec.database.managed) {
      if (!deps.databases)
        throw new TenantError(
          'ManagedDatabaseUnavailable',
          'OPERATOR_DATABASE_URL is not set, so the managed database cannot be dropped',
        );
      await deps.databases.drop(app.metadata.namespace, app.metadata.name).catch((err: unknown) => {
        throw new TenantError('ManagedDatabaseUnavailable', (err as Error).message);
      });
    }
    await deps.events.record(
      app,
      'Normal',
      'ExternalResourcesDeleted',
      'topics and managed database deleted (deletionPolicy Delete)',
    );
  }
  try {
    await patchFinalizers(
      app,
      deps.client,
      finalizers.filter((f) => f !== FINALIZER),
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
