import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goModDirectives, SERVED_REPLACEMENTS, wrapperGoMod } from '../src/dapr.js';
import {
  DAPR_VERSION,
  type DaprdOptions,
  type DaprdServer,
  ensureDaprBinaries,
  freePort,
  type KafkaAccess,
  kafkaPubsubComponent,
  type SchedulerServer,
  startDaprd,
  startScheduler,
  startSidecarWithScheduler,
  tempDir,
  useKafka,
  writeStandaloneResources,
} from '../src/index.js';
import { eventually } from '../src/testing/eventually.js';

describe('the wrapper module that builds daprd and the scheduler', () => {
  const daprGoMod = [
    'module github.com/dapr/dapr',
    '',
    'go 1.26.5',
    '',
    'require github.com/dapr/kit v0.18.2',
    '',
    'replace (',
    '\t// this is a fork which addresses a performance issues due to go routines',
    '\tdubbo.apache.org/dubbo-go/v3 => dubbo.apache.org/dubbo-go/v3 v3.0.3-0.20230118042253-4f159a2b38f3',
    '',
    '\tgopkg.in/couchbaselabs/gocbconnstr.v1 => github.com/couchbaselabs/gocbconnstr v1.0.5',
    ')',
    '',
    'replace github.com/gobwas/pool => github.com/gobwas/pool v0.2.1',
    '',
    '// replace github.com/dapr/kit => ../kit',
  ].join('\n');

  it("takes Dapr's go directive and every replace directive, block or single line, and no commented-out one", () => {
    expect(goModDirectives(daprGoMod)).toEqual({
      go: '1.26.5',
      replaces: [
        'dubbo.apache.org/dubbo-go/v3 => dubbo.apache.org/dubbo-go/v3 v3.0.3-0.20230118042253-4f159a2b38f3',
        'gopkg.in/couchbaselabs/gocbconnstr.v1 => github.com/couchbaselabs/gocbconnstr v1.0.5',
        'github.com/gobwas/pool => github.com/gobwas/pool v0.2.1',
      ],
    });
  });

  it('requires Dapr at the version asked for, with its replacements and a served durabletask-go', () => {
    const mod = wrapperGoMod('1.18.3', daprGoMod);
    expect(mod).toContain('go 1.26.5');
    expect(mod).toContain('require github.com/dapr/dapr v1.18.3');
    // The copy whose cmd/daprd/components registers only our components.
    expect(mod).toContain('replace github.com/dapr/dapr => ./dapr');
    expect(mod).toContain('replace github.com/gobwas/pool => github.com/gobwas/pool v0.2.1');
    expect(mod).toContain(
      `replace github.com/dapr/durabletask-go => github.com/dapr/durabletask-go ${SERVED_REPLACEMENTS['github.com/dapr/durabletask-go']}`,
    );
  });

  it('names the missing binary, instead of building it, when building is off (CI)', async () => {
    await expect(ensureDaprBinaries({ version: '0.0.0-never-built', build: false })).rejects.toThrow(
      /dapr-0\.0\.0-never-built\/bin\/scheduler and .*\/bin\/daprd not built: run `npm run infra -- prepare`/,
    );
  });
});

interface Received {
  readonly path: string;
  readonly body: unknown;
}

/** The app behind a sidecar: records every POST, subscribes to `topics` on `pubsub`, answers 200. */
async function startApp(
  pubsub: string,
  topics: string[],
  port = 0,
): Promise<{ port: number; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url === '/dapr/subscribe') {
        res.end(
          JSON.stringify(topics.map((topic) => ({ pubsubname: pubsub, topic, route: `/events/${topic}` }))),
        );
        return;
      }
      if (req.method === 'POST')
        received.push({ path: req.url ?? '', body: body ? JSON.parse(body) : undefined });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { port: address.port, received, server };
}

let scheduler: SchedulerServer;
let kafka: KafkaAccess;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  [scheduler, kafka] = await Promise.all([startScheduler(), useKafka()]);
  cleanups.push(
    () => scheduler.stop(),
    () => kafka.stop(),
  );
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A resources folder holding the given files (file name → YAML). */
async function resourcesFolder(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('dapr-resources');
  cleanups.push(() => rm(dir, { recursive: true }));
  for (const [file, yaml] of Object.entries(files)) await writeFile(join(dir, file), yaml);
  return dir;
}

/** A sidecar on this suite's scheduler. */
async function sidecarFor(options: Omit<DaprdOptions, 'schedulerAddress'>): Promise<DaprdServer> {
  const sidecar = await startDaprd({ ...options, schedulerAddress: scheduler.address });
  cleanups.push(() => sidecar.stop());
  return sidecar;
}

/** An app, then its sidecar with the resources given, subscribing the app to `topics`. */
async function appWithSidecar(appId: string, resources: Record<string, string>, topics: string[] = []) {
  const app = await startApp('pubsub', topics);
  const sidecar = await sidecarFor({
    appId,
    appPort: app.port,
    resourcesPath: await resourcesFolder(resources),
  });
  return { app, sidecar };
}

async function daprApi(sidecar: DaprdServer, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sidecar.httpUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

describe('a daprd sidecar built from Go modules', () => {
  it('comes up on loopback with the components of its resources folder, and connects to its app once it listens', async () => {
    const secretsDir = await tempDir('dapr-secrets');
    cleanups.push(() => rm(secretsDir, { recursive: true }));
    await writeFile(join(secretsDir, 'secrets.json'), JSON.stringify({ 'database-url': 'postgres://db/x' }));
    const resourcesPath = await resourcesFolder({
      'secretstore.yaml': [
        'apiVersion: dapr.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: files',
        'spec:',
        '  type: secretstores.local.file',
        '  version: v1',
        '  metadata:',
        '    - name: secretsFile',
        `      value: ${join(secretsDir, 'secrets.json')}`,
      ].join('\n'),
    });
    const appPort = await freePort();
    const sidecar = await sidecarFor({ appId: 'healthy', appPort, resourcesPath, waitForApp: false });
    expect(sidecar.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const secret = await daprApi(sidecar, 'GET', '/v1.0/secrets/files/database-url');
    expect(JSON.parse(secret.text)).toEqual({ 'database-url': 'postgres://db/x' });
    expect((await daprApi(sidecar, 'GET', '/v1.0/healthz')).status).toBe(500);

    await startApp('pubsub', [], appPort);
    await sidecar.appConnected();
    expect((await daprApi(sidecar, 'GET', '/v1.0/healthz')).status).toBe(204);
    expect(JSON.parse((await daprApi(sidecar, 'GET', '/v1.0/metadata')).text)).toMatchObject({
      id: 'healthy',
      runtimeVersion: DAPR_VERSION,
      components: [{ name: 'files', type: 'secretstores.local.file' }],
    });
  });

  it('comes up with a scheduler of its own and standalone resources: the Kubernetes secret store on a file', async () => {
    const store = { apiVersion: 'dapr.io/v1alpha1', kind: 'Component', metadata: { name: 'kube-secrets' } };
    const dapr = await startSidecarWithScheduler({
      sidecar: { appId: 'paired' },
      writeResources: (resourcesPath, dir) =>
        writeStandaloneResources(
          resourcesPath,
          [{ ...store, spec: { type: 'secretstores.kubernetes', version: 'v1' } }],
          join(dir, 'secrets.json'),
          { token: 't0k3n' },
        ),
    });
    try {
      expect(dapr.env.DAPR_SCHEDULER_HOST_ADDRESS).toBe(dapr.scheduler.address);
      expect(dapr.env.DAPR_HTTP_PORT).toBe(String(dapr.sidecar.httpPort));
      const secret = await daprApi(dapr.sidecar, 'GET', '/v1.0/secrets/kube-secrets/token');
      expect(JSON.parse(secret.text)).toEqual({ token: 't0k3n' });
    } finally {
      await dapr.stop();
    }
    expect(existsSync(dapr.dir)).toBe(false);
  });

  it('fails to start, with its log in the error, on a component it does not register', async () => {
    const resourcesPath = await resourcesFolder({
      'redis.yaml': [
        'apiVersion: dapr.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: cache',
        'spec:',
        '  type: state.redis',
        '  version: v1',
        '  metadata: []',
      ].join('\n'),
    });
    await expect(sidecarFor({ appId: 'unknown-component', resourcesPath })).rejects.toThrow(
      /daprd unknown-component exited \(code 1\) before it was healthy[\s\S]*daprd\.log[\s\S]*state\.redis/,
    );
  });

  it("fires a job scheduled through the Jobs API once, at its own app's POST /job/{name}, with several sidecars on one scheduler", async () => {
    const [a, b] = await Promise.all([appWithSidecar('jobs-a', {}), appWithSidecar('jobs-b', {})]);
    const schedule = async (sidecar: DaprdServer, name: string, dueTime: string) => {
      // The sidecar connects to the scheduler after it reports healthy, so the first call may be refused.
      await eventually(
        `job ${name} scheduled`,
        async () =>
          (await daprApi(sidecar, 'POST', `/v1.0/jobs/${name}`, { dueTime, data: { name } })).status === 204,
        30_000,
        200,
      );
    };
    await schedule(a.sidecar, 'first', '1s');
    await schedule(b.sidecar, 'other', '1s');
    // A later job on the same sidecar: once it has fired, the first has had every chance to fire again.
    await schedule(a.sidecar, 'later', '4s');
    await eventually(
      'the later job fired',
      () => a.app.received.some((r) => r.path === '/job/later'),
      30_000,
    );
    expect(a.app.received.filter((r) => r.path === '/job/first')).toEqual([
      { path: '/job/first', body: { name: 'first' } },
    ]);
    await eventually(
      'the other job fired',
      () => b.app.received.some((r) => r.path === '/job/other'),
      30_000,
    );
    expect(b.app.received.map((r) => r.path)).toEqual(['/job/other']);
  });

  it('delivers a pubsub.kafka publish to the subscribed app', async () => {
    const topic = `dapr-infra-${Date.now()}`;
    const admin = new Kafka({
      brokers: kafka.brokers,
      clientId: 'dapr-test',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    // The broker never auto-creates topics (in production the operator creates them).
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const { app, sidecar } = await appWithSidecar(
      'pubsub',
      { 'pubsub.yaml': kafkaPubsubComponent('pubsub', kafka.brokers, `group-${topic}`) },
      [topic],
    );
    const published = await daprApi(sidecar, 'POST', `/v1.0/publish/pubsub/${topic}`, { hello: 'kafka' });
    expect(published.status).toBe(204);
    const delivery = await eventually(
      'the event delivered',
      () => app.received.find((r) => r.path === `/events/${topic}`),
      30_000,
    );
    expect(delivery.body).toMatchObject({ topic, pubsubname: 'pubsub', data: { hello: 'kafka' } });
  });
});
