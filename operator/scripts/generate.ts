/** Writes the generated artefacts (the CRD and the chart's RBAC) from their TypeScript definitions. */
import { writeFile } from 'node:fs/promises';
import { GENERATED_FILES } from '../src/generated-files.js';

for (const file of GENERATED_FILES) {
  await writeFile(new URL(`../../${file.path}`, import.meta.url), file.render());
  console.log(`wrote ${file.path}`);
}
