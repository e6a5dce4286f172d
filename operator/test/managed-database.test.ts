/** `database.managed`: a database and login role per tenant on the operator's own PostgreSQL. */
import { type KafkaAccess, type PostgresAccess, useKafka, usePostgres } from '@todo/infra';
import { eventually } from '@todo/infra/testing';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KubeObject } from '../src/kube/client.js';
import { KINDS, objectPath } from '../src/kube/resources.js';
import { tenantDatabaseName } from '../src/reconcile/database.js';
import type { RunningOperator } from '../src/runtime/operator.js';
import { type Cluster, find, useCluster } from './support/cluster.js';
import {
  aTodoApp,
  condition,
  createTodoApp,
  getTodoApp,
  operateNamespace,
  patchSpec,
  stopSuite,
} from './support/todoapp.js';

const NS = 'managed-db';
let cluster: Cluster;
let kafka: KafkaAccess;
let postgres: PostgresAccess;
let operator: RunningOperator;

const databaseUrl = async (name: string) => {
  const secret = await find<KubeObject & { data: Record<string, string> }>(
    cluster.admin,
    'secret',
    NS,
    `${name}-app`,
  );
  return Buffer.from(secret?.data.DATABASE_URL ?? '', 'base64').toString('utf8');
};

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  [cluster, kafka, postgres] = await Promise.all([useCluster(), useKafka(), usePostgres()]);
  operator = await operateNamespace(cluster, NS, { OPERATOR_DATABASE_URL: postgres.url });
});
afterAll(() => stopSuite(operator, cluster?.access, kafka, postgres));

it('creates a database and role the tenant can log in to, keeps the password stable, and drops both on Delete', async () => {
  await createTodoApp(
    cluster.admin,
    aTodoApp(NS, 'shop', kafka.brokers, { database: { managed: {} }, deletionPolicy: 'Delete' }),
  );
  await eventually(
    'DatabaseReady',
    async () => condition(await getTodoApp(cluster.admin, NS, 'shop'), 'DatabaseReady')?.status === 'True',
  );
  const url = await eventually('tenant secret', async () => (await databaseUrl('shop')) || undefined);

  const [who] = await query<{ user: string; db: string }>(
    url,
    'SELECT current_user AS user, current_database() AS db',
  );
  expect(who).toEqual({ user: tenantDatabaseName(NS, 'shop'), db: tenantDatabaseName(NS, 'shop') });

  await patchSpec(cluster.admin, NS, 'shop', { replicas: 2 });
  await eventually('spec change applied', async () => {
    const d = await find<KubeObject & { spec: { replicas: number } }>(
      cluster.admin,
      'deployment',
      NS,
      'shop-api',
    );
    return d?.spec.replicas === 2;
  });
  expect(await databaseUrl('shop')).toBe(url);

  await cluster.admin.delete(objectPath(KINDS.todoApp, NS, 'shop'));
  await eventually(
    'TodoApp gone',
    async () => (await getTodoApp(cluster.admin, NS, 'shop')) === undefined,
    30_000,
  );
  const left = await query(
    postgres.url,
    'SELECT 1 FROM pg_database WHERE datname = $1 UNION ALL SELECT 1 FROM pg_roles WHERE rolname = $1',
    [tenantDatabaseName(NS, 'shop')],
  );
  expect(left).toEqual([]);
});
