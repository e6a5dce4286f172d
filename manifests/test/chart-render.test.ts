import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DAPR_VERSION, tempDir } from '@todo/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helm, stageChart } from './support/chart-render.js';

let scratch: string;
let chart: string;

beforeAll(async () => {
  scratch = await tempDir('chart-render');
  chart = join(scratch, 'source');
  await mkdir(join(chart, 'templates'), { recursive: true });
  await writeFile(
    join(chart, 'Chart.yaml'),
    [
      'apiVersion: v2',
      'name: platform',
      'version: 0.1.0',
      'dependencies:',
      `  - { name: dapr, version: ${DAPR_VERSION}, repository: https://dapr.github.io/helm-charts/ }`,
      '  - { name: redpanda, version: 26.3.1, repository: https://charts.redpanda.com }',
      '',
    ].join('\n'),
  );
  await writeFile(join(chart, 'Chart.lock'), 'dependencies: []\n');
  await writeFile(join(chart, 'values.yaml'), 'dapr:\n  global:\n    ha:\n      enabled: false\n');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('stageChart: a chart whose dependencies live in Helm repositories we cannot reach', () => {
  it("renders Dapr's chart from its Go module, leaves the other out, and says which", async () => {
    const staged = await stageChart(chart, join(scratch, 'staged'));
    expect(staged.dependencies.map((d) => [d.name, d.rendered])).toEqual([
      ['dapr', true],
      ['redpanda', false],
    ]);
    expect(staged.dependencies[1]?.how).toMatch(/rendered WITHOUT it/);
    const meta = parse(await readFile(join(staged.dir, 'Chart.yaml'), 'utf8'));
    expect(meta.dependencies.map((d: { name: string }) => d.name)).toEqual(['dapr']);
    expect(existsSync(join(staged.dir, 'Chart.lock'))).toBe(false);
    expect(existsSync(join(chart, 'charts'))).toBe(false); // the source is never changed

    const rendered = await helm(scratch, ['template', 'todo', staged.dir, '--namespace', 'platform']);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stdout).toMatch(/name: dapr-operator\n/);
    expect(rendered.stdout).toMatch(/name: dapr-scheduler-server\n/);
  });
});
