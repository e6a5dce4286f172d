/** Resolves `spec.database` to a URL: read from the referenced Secret, or provisioned on the operator's PostgreSQL. */
import type { ApiEnvVariable } from '@todo/contract';
import type { TodoApp } from '../crd/todoapp.js';
import { Api } from '../kube/api.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { KINDS } from '../kube/resources.js';
import { secretValue } from '../kube/secret-data.js';
import { type Outcome, ok } from './conditions.js';
import type { ManagedDatabase } from './database.js';
import { TenantError } from './error-policy.js';

export interface ResolvedDatabase {
  url: string;
  outcome: Outcome;
}

function passwordFrom(appSecret: KubeObject | undefined): string | undefined {
  const url = secretValue(appSecret, 'DATABASE_URL' satisfies ApiEnvVariable);
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Throws a TenantError naming what is missing when there is no URL to give the API. */
export async function resolveDatabase(
  app: TodoApp,
  deps: { client: KubeClient; databases: ManagedDatabase | undefined },
  appSecret: KubeObject | undefined,
): Promise<ResolvedDatabase> {
  const { namespace, name } = app.metadata;
  const { secretRef } = app.spec.database;
  if (!secretRef) {
    if (!deps.databases)
      throw new TenantError(
        'ManagedDatabaseUnavailable',
        'database.managed needs the operator to run with OPERATOR_DATABASE_URL',
      );
    try {
      const url = await deps.databases.ensure(namespace, name, passwordFrom(appSecret));
      return { url, outcome: ok('DatabaseProvisioned', 'managed database and role exist') };
    } catch (err) {
      throw new TenantError('ManagedDatabaseUnavailable', (err as Error).message);
    }
  }
  const ref = `Secret ${namespace}/${secretRef.name}`;
  const secret = await new Api(deps.client, KINDS.secret, namespace).find(secretRef.name);
  if (!secret) throw new TenantError('SecretNotFound', `${ref} does not exist`);
  const url = secretValue(secret, secretRef.key);
  if (!url) throw new TenantError('SecretKeyMissing', `${ref} has no key "${secretRef.key}"`);
  return { url, outcome: ok('SecretResolved', `URL read from ${ref}`) };
}
