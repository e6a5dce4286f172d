/**
 * Every workflow lints clean with actionlint, every shell script (`*.sh`, `.ci/run`) with shellcheck, and
 * every Dockerfile with hadolint. The files are discovered, so ones added later are covered too.
 */
import { join } from 'node:path';
import { actionlintBinary, hadolintBinary, shellcheckBinary } from '@todo/infra';
import { describe, expect, it } from 'vitest';
import { dockerfiles, repoFiles, repoRoot, shellScripts, workflowFiles } from './support/repo-files.js';
import { runTool } from './support/tool-run.js';

const files = repoFiles();

/** `it.each` needs at least one case; a kind of file with none yet says so instead of passing silently. */
function casesOrNone(list: string[], kind: string): string[] {
  if (!list.length) console.log(`# no ${kind} in the repository yet`);
  return list;
}

describe('actionlint', () => {
  it.each(casesOrNone(workflowFiles(files), 'workflow'))('%s lints clean', async (file) => {
    const res = await runTool(await actionlintBinary(), ['-no-color', file], { cwd: repoRoot });
    expect(res.code, `${res.stdout}${res.stderr}`).toBe(0);
  });
});

describe('shellcheck', () => {
  it.each(casesOrNone(shellScripts(files), 'shell script'))('%s lints clean', async (file) => {
    // -x follows `source`d files; the scripts' folder is where relative sources are looked up.
    const res = await runTool(await shellcheckBinary(), ['-x', '--source-path=SCRIPTDIR', file], {
      cwd: repoRoot,
    });
    expect(res.code, `${res.stdout}${res.stderr}`).toBe(0);
  });
});

describe('hadolint', () => {
  it.each(casesOrNone(dockerfiles(files), 'Dockerfile'))('%s lints clean', async (file) => {
    const res = await runTool(await hadolintBinary(), ['--no-color', join(repoRoot, file)], {
      cwd: repoRoot,
    });
    expect(res.code, `${res.stdout}${res.stderr}`).toBe(0);
  });
});
