import { wallTimeAt } from './zoned.js';

/** How due dates read in the list: "Today 09:00", "Tomorrow", "Mon 1 Dec 09:00", "1 Dec 2027". */
export function formatDue(iso: string, now: Date, timeZone: string, locale?: string): string {
  const due = new Date(iso);
  const d = wallTimeAt(due, timeZone);
  const today = wallTimeAt(now, timeZone);
  const dayDiff = Math.round(
    (Date.UTC(d.year, d.month - 1, d.day) - Date.UTC(today.year, today.month - 1, today.day)) / 86_400_000,
  );
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(due);
  const relative: Record<number, string> = { [-1]: 'Yesterday', 0: 'Today', 1: 'Tomorrow' };
  let day = relative[dayDiff];
  if (!day) {
    const options: Intl.DateTimeFormatOptions =
      d.year === today.year
        ? { timeZone, weekday: 'short', day: 'numeric', month: 'short' }
        : { timeZone, day: 'numeric', month: 'short', year: 'numeric' };
    day = new Intl.DateTimeFormat(locale, options).format(due);
  }
  return `${day} ${time}`;
}

/** Full date and time with the zone name, for tooltips and accessible labels. */
export function formatFull(iso: string, timeZone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

/** "3 min ago", "2 h ago", "Yesterday": for notifications and activity. */
export function formatAgo(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (seconds < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
  if (seconds < 3600) return rtf.format(-Math.round(seconds / 60), 'minute');
  if (seconds < 86_400) return rtf.format(-Math.round(seconds / 3600), 'hour');
  return rtf.format(-Math.round(seconds / 86_400), 'day');
}
