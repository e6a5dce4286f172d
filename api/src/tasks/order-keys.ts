import { BASE_62_DIGITS, generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

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

/**
 * The longest order key a move writes. Keys grow by about one character per six moves into the same gap;
 * past this length the move re-keys the siblings around the gap instead (`rekeyAround`), which is rare
 * (hundreds of moves into one gap) and keeps every key, and so every list cursor, short.
 */
export const MAX_ORDER_KEY_LENGTH = 64;

/** Keys at most this long may bound a re-keyed run: fresh keys between two of them stay far below the limit. */
const SHORT_KEY_LENGTH = 16;

/**
 * Fresh keys for the run of siblings around a moved task whose key between its neighbours would be too long:
 * `siblings` in order (the moved task left out), the task put right after those whose key is at most `lower`
 * (null: first). The run grows outwards from the task until the keys bounding it are short and in order (or
 * the ends of the list are reached), and gets evenly spaced keys between those bounds, so the order of all
 * siblings stays as it was with the task in its new place. Returns the new key of each task of the run,
 * the moved one included, in order.
 */
export function rekeyAround(
  siblings: readonly { id: string; order: string }[],
  movedId: string,
  lower: string | null,
): { id: string; order: string }[] {
  const at = lower === null ? 0 : siblings.filter((s) => s.order <= lower).length;
  const list = [...siblings.slice(0, at), { id: movedId, order: '' }, ...siblings.slice(at)];
  const short = (key: string | null) => key === null || key.length <= SHORT_KEY_LENGTH;
  let start = at;
  let end = at;
  for (;;) {
    const below = start > 0 ? list[start - 1]!.order : null;
    const above = end < list.length - 1 ? list[end + 1]!.order : null;
    const ordered = below === null || above === null || below < above;
    if (short(below) && short(above) && ordered) {
      const keys = generateNKeysBetween(below, above, end - start + 1);
      return list.slice(start, end + 1).map((s, i) => ({ id: s.id, order: keys[i]! }));
    }
    if (below !== null && (!short(below) || !ordered)) start--;
    if (above !== null && (!short(above) || !ordered)) end++;
  }
}
