/** A cluster without Dapr: the TodoApp says so in its status instead of failing silently or crashing. */
import { eventually } from '@todo/infra/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningOperator } from '../src/runtime/operator.js';
import {
  type Cluster,
  createNamespace,
  createSecret,
  find,
  installCrd,
  repoFile,
  useCluster,
} from './support/cluster.js';
import { aTodoApp, condition, createTodoApp, getTodoApp, runOperator, stopSuite } from './support/todoapp.js';

const NS = 'no-dapr';
const BROKERS = ['127.0.0.1:1'];
let cluster: Cluster;
let operator: RunningOperator;

beforeAll(async () => {
  cluster = await useCluster();
  // Only the TodoApp CRD: Dapr's Component CRD is deliberately absent.
  await installCrd(cluster.admin, repoFile('crds/todoapps.tenancy.todo.dev.yaml'));
  await createNamespace(cluster.admin, NS);
  await createSecret(cluster.admin, NS, 'shared-db', { url: 'postgres://x@db:5432/x' });
  operator = await runOperator(cluster.adminAccess);
});
afterAll(() => stopSuite(operator, cluster?.access));

const db = { secretRef: { name: 'shared-db', key: 'url' } };

it('reports DaprNotInstalled on Ready, naming the missing API, and still applies the other children', async () => {
  await createTodoApp(cluster.admin, aTodoApp(NS, 'needs-dapr', BROKERS, { database: db }));
  const app = await eventually('Ready False', async () => {
    const a = await getTodoApp(cluster.admin, NS, 'needs-dapr');
    return condition(a, 'Ready')?.reason === 'DaprNotInstalled' && a;
  });
  // Both of Dapr's kinds the operator writes are missing; whichever the API server refused first is named.
  expect(condition(app, 'Ready')?.message).toMatch(
    /the (Component|Resiliency) API \(dapr\.io\/v1alpha1\) is not installed in this cluster: install Dapr/,
  );
  expect(await find(cluster.admin, 'deployment', NS, 'needs-dapr-api')).toBeDefined();
});

it('is not affected when the TodoApp does not use Dapr', async () => {
  await createTodoApp(
    cluster.admin,
    aTodoApp(NS, 'plain', BROKERS, { database: db, dapr: { enabled: false, logLevel: 'info' } }),
  );
  const app = await eventually('reconciled', async () => {
    const a = await getTodoApp(cluster.admin, NS, 'plain');
    return condition(a, 'DatabaseReady')?.status === 'True' && a;
  });
  expect(condition(app, 'Ready')?.reason).toBe('KafkaUnavailable');
});
