/** The informer against a real API server: list+watch, and recovery when its watch history is gone (410). */
import { eventually } from '@todo/infra/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Informer } from '../src/controller/informer.js';
import type { KubeObject } from '../src/kube/client.js';
import { collectionPath, KINDS, objectPath } from '../src/kube/resources.js';
import { type Cluster, createNamespace, useCluster } from './support/cluster.js';

const NS = 'informer';
let cluster: Cluster;
let informer: Informer<KubeObject>;
const seen: string[] = [];

const createConfigMap = (name: string) =>
  cluster.admin.request('POST', collectionPath(KINDS.configMap, NS), {
    metadata: { name, namespace: NS, labels: { t: 'informer' } },
    data: {},
  });

beforeAll(async () => {
  cluster = await useCluster();
  await createNamespace(cluster.admin, NS);
  await createConfigMap('before');
  informer = new Informer<KubeObject>(cluster.admin, KINDS.configMap, {
    resyncMs: 300_000,
    labelSelector: 't=informer',
  });
  informer.on((obj, kind) => seen.push(`${kind}:${obj.metadata.name}`));
  void informer.run();
  await eventually('synced', async () => informer.hasSynced);
});
afterAll(async () => {
  informer?.stop();
  await cluster?.access.stop();
});

it('lists what exists, then follows creates and deletes through the watch', async () => {
  expect(informer.get(NS, 'before')?.kind).toBe('ConfigMap');
  await createConfigMap('during');
  await eventually('create seen', async () => informer.get(NS, 'during'));
  await cluster.admin.delete(objectPath(KINDS.configMap, NS, 'during'));
  await eventually('delete seen', async () => seen.includes('delete:during'));
  expect(seen).toEqual(['upsert:before', 'upsert:during', 'delete:during']);
});

it('re-lists when the server no longer has the history its watch resumes from (410 Gone), missing nothing', async () => {
  // What a long disconnection looks like: the watch resumes from a version the server has compacted away.
  const internals = informer as unknown as { resourceVersion: string; abort: AbortController };
  const listsBefore = cluster.admin.counter.reads;
  internals.abort.abort();
  internals.resourceVersion = '1';
  await createConfigMap('while-away');
  await eventually('caught up', async () => informer.get(NS, 'while-away'));
  // The refused watch, the fresh list, the new watch: without the 410 path only the first would happen.
  expect(cluster.admin.counter.reads).toBeGreaterThanOrEqual(listsBefore + 3);
  await createConfigMap('after');
  await eventually('watching again', async () => informer.get(NS, 'after'));
});
