import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** First-screen budgets of the issue: what a browser must fetch before the task list can render. */
export const BUDGETS = { js: 80 * 1024, css: 15 * 1024 } as const;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export interface AssetSize {
  file: string;
  raw: number;
  gzip: number;
}

export interface BudgetReport {
  initialJs: AssetSize[];
  initialCss: AssetSize[];
  lazy: AssetSize[];
  jsGzip: number;
  cssGzip: number;
}

/** Reads Vite's manifest: the entry and its static imports are the first screen; dynamic imports are lazy. */
export function measureBudgets(distDir: string): BudgetReport {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
  if (!entry) throw new Error(`No entry chunk in ${distDir}/.vite/manifest.json; build with manifest: true`);
  const initial = new Set<string>();
  const visit = (key: string) => {
    if (initial.has(key)) return;
    initial.add(key);
    for (const dep of manifest[key]?.imports ?? []) visit(dep);
  };
  visit(entry);
  const size = (file: string): AssetSize => {
    const bytes = readFileSync(join(distDir, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const initialJs = [...initial].map((k) => size(manifest[k]!.file));
  const initialCss = [...new Set([...initial].flatMap((k) => manifest[k]!.css ?? []))].map(size);
  const lazy = Object.keys(manifest)
    .filter((k) => !initial.has(k) && manifest[k]!.file.endsWith('.js'))
    .map((k) => size(manifest[k]!.file));
  const sum = (xs: AssetSize[]) => xs.reduce((n, x) => n + x.gzip, 0);
  return { initialJs, initialCss, lazy, jsGzip: sum(initialJs), cssGzip: sum(initialCss) };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Prints the report with each figure's ratio to its budget; returns false when over. */
export function printBudgets(report: BudgetReport): boolean {
  console.log('First screen (entry + static imports), gzip -9:');
  for (const a of [...report.initialJs, ...report.initialCss]) {
    console.log(`  ${a.file.padEnd(40)} ${kb(a.raw).padStart(10)} raw ${kb(a.gzip).padStart(10)} gzip`);
  }
  console.log('Loaded later (dynamic imports):');
  for (const a of report.lazy)
    console.log(`  ${a.file.padEnd(40)} ${kb(a.raw).padStart(10)} raw ${kb(a.gzip).padStart(10)} gzip`);
  const rows: [string, number, number][] = [
    ['first-screen JS', report.jsGzip, BUDGETS.js],
    ['first-screen CSS', report.cssGzip, BUDGETS.css],
  ];
  let ok = true;
  for (const [name, value, budget] of rows) {
    const ratio = value / budget;
    ok &&= ratio <= 1;
    console.log(
      `${name.padEnd(18)} ${kb(value).padStart(9)} of ${kb(budget)} budget  ratio ${ratio.toFixed(2)} ${ratio <= 1 ? 'OK' : 'OVER'}`,
    );
  }
  return ok;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = join(dirname(fileURLToPath(import.meta.url)), '../dist');
  if (!printBudgets(measureBudgets(dist))) process.exit(1);
}
