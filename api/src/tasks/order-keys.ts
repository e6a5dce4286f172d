import { BASE_62_DIGITS, generateKeyBetween } from 'fractional-indexing';

/** Nine base-62 digits of microseconds since 1970 last until the year 2398; `i` heads a 9-digit integer part. */
const TIME_KEY_DIGITS = 9;
const TIME_KEY_HEAD = 'i';

/**
 * The order key of a task created at `micros` (microseconds since 1970): `fractional-indexing`'s integer part
 * `i` + nine base-62 digits, the same text SQL's `todo_time_order_key` gives (migration 010), so a new task
 * sorts after its siblings without reading them.
 */
export function timeOrderKey(micros: bigint): string {
  let digits = '';
  let n = micros;
  for (let i = 0; i < TIME_KEY_DIGITS; i++) {
    digits = BASE_62_DIGITS[Number(n % 62n)] + digits;
    n /= 62n;
  }
  return TIME_KEY_HEAD + digits;
}

let lastMicros = 0n;

/** The order key of a task created now: later than every key this process gave before (one per microsecond). */
export function newOrderKey(now = Date.now()): string {
  const micros = BigInt(now) * 1000n;
  lastMicros = micros > lastMicros ? micros : lastMicros + 1n;
  return timeOrderKey(lastMicros);
}

/** Whether `key` is a key `fractional-indexing` accepts (one from elsewhere, an import, may not be). */
export function isOrderKey(key: string): boolean {
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}
