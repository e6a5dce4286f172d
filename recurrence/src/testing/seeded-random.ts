/**
 * A seeded pseudo-random source for tests that draw their cases (mulberry32): the same draw on every machine,
 * so a failure is replayed by its seed.
 */
export interface SeededRandom {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  /** One to `most` different elements of xs. */
  some<T>(xs: readonly T[], most: number): T[];
}

export function seededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const some = <T>(xs: readonly T[], most: number): T[] => {
    const chosen = new Set<T>();
    const n = int(1, Math.min(most, new Set(xs).size));
    while (chosen.size < n) chosen.add(pick(xs));
    return [...chosen];
  };
  return { next, int, chance: (p) => next() < p, pick, some };
}
