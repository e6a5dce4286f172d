/**
 * The workspaces talk to each other through package entry points only: a relative import into another
 * workspace's folder, an import of a path a package does not export, or of a workspace not declared as a
 * dependency, couples them to each other's insides (docs/architecture.md draws the allowed imports).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Workspace {
  folder: string;
  name: string;
  /** The subpaths it exports ('.' for the package itself); undefined when it exports none. */
  entryPoints: string[] | undefined;
  dependsOn: string[];
}

function readWorkspaces(): Workspace[] {
  const folders = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] })
    .workspaces;
  return folders.map((folder) => {
    const pkg = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
    return {
      folder,
      name: pkg.name,
      entryPoints: pkg.exports ? Object.keys(pkg.exports) : undefined,
      dependsOn: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }),
    };
  });
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** An import or re-export of `@todo/contract`'s main entry that is not `import type` / `export type`. */
const CONTRACT_VALUE_IMPORT = /^\s*(?:import|export)(?!\s+type\b)[^;]*?\bfrom\s*['"]@todo\/contract['"]/gm;

/** Every module specifier a source file imports or re-exports, static or dynamic. */
function importsOf(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1]!);
}

/** What is wrong with one import of `file` (inside `from`), or undefined when it is allowed. */
function importViolation(
  workspaces: Workspace[],
  from: Workspace,
  file: string,
  specifier: string,
): string | undefined {
  if (specifier.startsWith('.')) {
    const target = relative(root, resolve(dirname(file), specifier));
    const other = workspaces.find((w) => w !== from && (target + sep).startsWith(w.folder + sep));
    return other && `reaches into ${other.folder}/ by relative path; import ${other.name} instead`;
  }
  const other = workspaces.find((w) => specifier === w.name || specifier.startsWith(`${w.name}/`));
  if (!other || other === from) return undefined;
  if (!from.dependsOn.includes(other.name))
    return `imports ${other.name}, which ${from.folder}/package.json does not declare`;
  const subpath = `.${specifier.slice(other.name.length)}`;
  if (!other.entryPoints?.includes(subpath))
    return `imports ${specifier}, which ${other.name} does not export`;
  return undefined;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !/[/\\](node_modules|dist)[/\\]/.test(path));
}

describe('imports between workspaces', () => {
  const workspaces = readWorkspaces();

  it('go through declared package entry points only', () => {
    const violations = workspaces.flatMap((w) =>
      sourceFiles(w.folder).flatMap((file) =>
        importsOf(readFileSync(file, 'utf8')).flatMap((specifier) => {
          const problem = importViolation(workspaces, w, file, specifier);
          return problem ? [`${relative(root, file)}: '${specifier}' ${problem}`] : [];
        }),
      ),
    );
    expect(violations).toEqual([]);
  });

  it("keep the contract's schemas out of the browser: the console's source imports @todo/contract for types", () => {
    // `import { type X }` would still load the module under verbatimModuleSyntax; only `import type` vanishes.
    const valueImports = sourceFiles('console/src').flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(CONTRACT_VALUE_IMPORT)].map(
        (m) => `${relative(root, file)}: ${m[0].trim()}`,
      ),
    );
    expect(valueImports).toEqual([]);
  });

  it('are recognised in the forms that would break the rule', () => {
    const api = workspaces.find((w) => w.folder === 'api')!;
    const file = join(root, 'api/test/example.test.ts');
    // Quotes come from `q` so that this file's own scan does not read these lines as its imports.
    const q = "'";
    const source = [
      `import { buildApp } from ${q}../src/app.js${q};`,
      `import { desiredSecret } from ${q}../../operator/src/reconcile/desired/secret.js${q};`,
      `export { TOPICS } from ${q}@todo/contract/src/topics.js${q};`,
      `const checks = await import(${q}@todo/manifests${q});`,
    ].join('\n');
    expect(importsOf(source).map((s) => importViolation(workspaces, api, file, s))).toEqual([
      undefined,
      'reaches into operator/ by relative path; import @todo/operator instead',
      'imports @todo/contract/src/topics.js, which @todo/contract does not export',
      'imports @todo/manifests, which api/package.json does not declare',
    ]);
  });
});
