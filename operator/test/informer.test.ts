/**
 * The informer against a real API server: list+watch, recovery when its watch history is gone (410) or its
 * connection goes silent, and cache fills that no request budget holds back.
 */
import { eventually } from '@todo/infra/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Informer } from '../src/controller/informer.js';
import { KubeClient, type KubeObject } from '../src/kube/client.js';
import { collectionPath, KINDS, objectPath } from '../src/kube/resources.js';
import { type Cluster, createNamespace, useCluster } from './support/cluster.js';
import { freezableProxy } from './support/freezable-proxy.js';

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

it('caches objects without their managedFields, listed or watched, which the server keeps', async () => {
  await createConfigMap('fields');
  await eventually('create seen', async () => informer.get(NS, 'fields'));
  const fromServer = await cluster.admin.get<KubeObject>(objectPath(KINDS.configMap, NS, 'fields'));
  expect(fromServer.metadata).toHaveProperty('managedFields');
  for (const name of ['before', 'fields']) {
    expect(informer.get(NS, name)?.metadata).not.toHaveProperty('managedFields');
    expect(informer.get(NS, name)?.metadata.resourceVersion).toBeTruthy();
  }
  await cluster.admin.delete(objectPath(KINDS.configMap, NS, 'fields'));
  await eventually('delete seen', async () => seen.includes('delete:fields'));
  seen.splice(0);
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

/** Runs a second informer over the same ConfigMaps for one test. */
async function withInformer(
  client: KubeClient,
  options: { watchIdleMs?: number },
  body: (informer: Informer<KubeObject>) => Promise<void>,
): Promise<void> {
  const other = new Informer<KubeObject>(client, KINDS.configMap, {
    resyncMs: 300_000,
    labelSelector: 't=informer',
    ...options,
  });
  void other.run();
  try {
    await body(other);
  } finally {
    other.stop();
  }
}

it('replaces a watch whose connection went silent, so the cache does not freeze', async () => {
  const proxy = await freezableProxy(new URL(cluster.adminAccess.server));
  const viaProxy = KubeClient.fromAccess({ ...cluster.adminAccess, server: proxy.url });
  try {
    await withInformer(viaProxy, { watchIdleMs: 1000 }, async (other) => {
      await eventually('synced through the proxy', async () => other.hasSynced);
      // The open watch now hears nothing, and its socket never closes: a half-open connection.
      proxy.freeze();
      await createConfigMap('while-frozen');
      // The server's own watch timeout is minutes away (the resync period); only the idle limit brings this.
      // The fresh list may go out on a pooled keep-alive socket the freeze caught too: that request waits for
      // the client's 30 s request timeout before it is sent again, so allow for one.
      await eventually('seen through a new watch', async () => other.get(NS, 'while-frozen'), 45_000);
    });
  } finally {
    await proxy.close();
  }
}, 90_000);

it("fills its cache even when the client's request budget is spent: lists and watches take no token", async () => {
  // One request per 100 s after the first: a throttled list or watch would not come in this test's lifetime.
  const throttled = KubeClient.fromAccess(cluster.adminAccess, { qps: 0.01, burst: 1 });
  await throttled.request('GET', `/api/v1/namespaces/${NS}`);
  await withInformer(throttled, {}, async (other) => {
    await eventually('synced', async () => other.hasSynced, 5_000);
    expect(other.get(NS, 'before')).toBeDefined();
    await createConfigMap('with-budget-spent');
    await eventually('watched', async () => other.get(NS, 'with-budget-spent'), 5_000);
  });
});
