/** Resolves `spec.database` to a URL: read from the referenced Secret, or provisioned on the operator's PostgreSQL. */
import type { TodoApp } from '../crd/todoapp.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { isNotFound } from '../kube/errors.js';
import { KINDS, objectPath } from '../kube/resources.js';
import { failed, type Outcome, ok } from './conditions.js';
import type { ManagedDatabase } from './database.js';

export interface ResolvedDatabase {
  url: string | undefined;
  outcome: Outcome;
}

function passwordFrom(secret: KubeObject | undefined): string | undefined {
  const raw = (secret?.data as Record<string, string> | undefined)?.DATABASE_URL;
  if (!raw) return undefined;
  try {
    return decodeURIComponent(new URL(Buffer.from(raw, 'base64').toString('utf8')).password) || undefined;
  } catch {
    return undefined;
  }
}

export async function resolveDatabase(
  app: TodoApp,
  deps: { client: KubeClient; databases: ManagedDatabase | undefined },
  appSecret: KubeObject | undefined,
): Promise<ResolvedDatabase> {
  const { secretRef, managed } = app.spec.database;
  if (managed) {
    if (!deps.databases) {
      return {
        url: undefined,
        outcome: failed(
          'ManagedDatabaseUnavailable',
          'database.managed needs the operator to run with OPERATOR_DATABASE_URL',
        ),
      };
    }
    try {
      const url = await deps.databases.ensure(
        app.metadata.namespace,
        app.metadata.name,
        passwordFrom(appSecret),
      );
      return { url, outcome: ok('DatabaseProvisioned', 'managed database and role exist') };
    } catch (err) {
      return { url: undefined, outcome: failed('ManagedDatabaseUnavailable', (err as Error).message) };
    }
  }
  if (!secretRef)
    return { url: undefined, outcome: failed('InvalidSpec', 'database needs secretRef or managed') };
  const ref = `Secret ${app.metadata.namespace}/${secretRef.name}`;
  try {
    const secret = await deps.client.get<KubeObject>(
      objectPath(KINDS.secret, app.metadata.namespace, secretRef.name),
    );
    const value = (secret.data as Record<string, string> | undefined)?.[secretRef.key];
    if (!value)
      return { url: undefined, outcome: failed('SecretKeyMissing', `${ref} has no key "${secretRef.key}"`) };
    return {
      url: Buffer.from(value, 'base64').toString('utf8'),
      outcome: ok('SecretResolved', `URL read from ${ref}`),
    };
  } catch (err) {
    if (isNotFound(err))
      return { url: undefined, outcome: failed('SecretNotFound', `${ref} does not exist`) };
    throw err;
  }
}
