import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The palette is data in theme.css; WCAG 2 contrast is arithmetic, so AA can be checked without a browser.
const css = readFileSync(new URL('../../src/ui/theme.css', import.meta.url), 'utf8');
const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');

function tokens(block: string): Map<string, string> {
  return new Map([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));
}

const light = tokens(css.slice(0, darkStart));
const dark = new Map([...light, ...tokens(css.slice(darkStart))]);

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

// Text colour on the backgrounds it is used on, as in the components.
const PAIRS: [string, string][] = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['text', 'surface-2'],
  ['text', 'surface-hover'],
  ['text', 'accent-soft'],
  ['text', 'danger-soft'],
  ['text', 'warning-soft'],
  ['text-muted', 'bg'],
  ['text-muted', 'surface'],
  ['text-muted', 'surface-2'],
  ['text-muted', 'surface-hover'],
  ['on-accent', 'accent'],
  ['accent', 'surface'],
  ['danger', 'surface'],
  ['danger', 'surface-hover'],
  ['p-urgent', 'surface'],
  ['p-high', 'surface'],
  ['p-medium', 'surface'],
  ['p-low', 'surface'],
  ['surface', 'danger'],
  ['bg', 'text'],
];

describe('colour contrast meets WCAG AA (4.5:1 for text)', () => {
  for (const [name, palette] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    it.each(PAIRS)(`${name}: --%s on --%s`, (fg, bg) => {
      const ratio = contrast(palette.get(fg)!, palette.get(bg)!);
      expect(ratio, `${fg} ${palette.get(fg)} on ${bg} ${palette.get(bg)}`).toBeGreaterThanOrEqual(4.5);
    });
  }
});
