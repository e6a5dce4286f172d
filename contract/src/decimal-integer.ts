import { z } from 'zod';
import { wholeStringPattern } from './whole-string-pattern.js';

const DIGITS = wholeStringPattern('[0-9]{1,16}');

/**
 * A whole number sent as text (a query parameter, a header): decimal digits only. `Number()` would also read
 * "", " 5", "0x5" and "5e0", which the document's `integer` does not allow. Documented as an integer in range.
 */
export function decimalInteger({ min, max, fallback }: { min: number; max: number; fallback?: number }) {
  const schema = z
    .string()
    .regex(DIGITS, 'must be a whole number written in digits')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
  const documented = { type: 'integer', minimum: min, maximum: max, pattern: undefined } as const;
  return fallback === undefined
    ? schema.meta(documented)
    : schema.default(fallback).meta({ ...documented, default: fallback });
}
