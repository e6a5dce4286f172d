/**
 * What we ship points people at numbered steps of the deployment guides ("docs/deploy-oke.md, step 6"): each
 * such step exists, so a comment in a sample or tenant file never sends someone to a step that is not there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoFiles, repoRoot } from './support/repo-files.js';

const STEP_REFERENCE = /(docs\/[\w-]+\.md), step (\d+)/g;
const shipped = repoFiles().filter((f) => /\.(ya?ml|sh|md|txt|tpl)$/.test(f));

it('every "docs/<guide>.md, step N" names a "## N." section of that guide', () => {
  const references = shipped.flatMap((file) =>
    [...readFileSync(join(repoRoot, file), 'utf8').matchAll(STEP_REFERENCE)].map((m) => ({
      file,
      guide: m[1] as string,
      step: m[2] as string,
    })),
  );
  expect(references.length).toBeGreaterThan(0);
  const missing = references.filter(
    ({ guide, step }) =>
      !new RegExp(`^## ${step}\\. `, 'm').test(readFileSync(join(repoRoot, guide), 'utf8')),
  );
  expect(missing).toEqual([]);
});
