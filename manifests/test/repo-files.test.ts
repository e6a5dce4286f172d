import { describe, expect, it } from 'vitest';
import { chartsUnderTest, dockerfiles, shellScripts, workflowFiles } from './support/repo-files.js';

const files = [
  '.ci/run',
  '.github/workflows/ci.yaml',
  '.github/workflows/notes.md',
  'Dockerfile',
  'api/Dockerfile.dev',
  'charts/a/Chart.yaml',
  'charts/a/values-oke.yaml',
  'charts/a/values.yaml',
  'charts/a/values-kind.yaml',
  'charts/a/templates/values-like.yaml',
  'charts/a/charts/sub/Chart.yaml',
  'charts/b/Chart.yaml',
  'charts/b/values.yaml',
  'scripts/lib/common.sh',
  'scripts/up.sh',
  '.dockerignore',
];

describe('what the checks cover, found from the files', () => {
  it('takes every chart directly under charts/ with the values files beside it, defaults first', () => {
    expect(chartsUnderTest(files)).toEqual([
      {
        dir: 'charts/a',
        name: 'a',
        valuesFiles: ['charts/a/values.yaml', 'charts/a/values-kind.yaml', 'charts/a/values-oke.yaml'],
      },
      { dir: 'charts/b', name: 'b', valuesFiles: ['charts/b/values.yaml'] },
    ]);
  });

  it('takes workflows, shell scripts with .ci/run, and every Dockerfile*', () => {
    expect(workflowFiles(files)).toEqual(['.github/workflows/ci.yaml']);
    expect(shellScripts(files)).toEqual(['.ci/run', 'scripts/lib/common.sh', 'scripts/up.sh']);
    expect(dockerfiles(files)).toEqual(['Dockerfile', 'api/Dockerfile.dev']);
  });
});
