import type { Prng } from './prng';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** `2023-12-04` → `December 4` */
export function monthDay(isoDay: string): string {
  const [, month, day] = isoDay.split('-').map(Number);
  return `${MONTHS[(month ?? 1) - 1]} ${day}`;
}

/** `2023-12-04` → `Monday` */
export function weekday(isoDay: string): string {
  return WEEKDAYS[new Date(`${isoDay}T00:00:00Z`).getUTCDay()] as string;
}

/** The ISO day `days` after `isoDay` (negative: before). */
export function addDays(isoDay: string, days: number): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** `13:30` → `1:30pm`, `09:00` → `9am` */
export function clockTime(hhmm: string): string {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  const suffix = h >= 12 ? 'pm' : 'am';
  const hour = h % 12 === 0 ? 12 : h % 12;
  return m === 0 ? `${hour}${suffix}` : `${hour}:${String(m).padStart(2, '0')}${suffix}`;
}

/** `30` → `30-minute`, `60` → `1-hour`, `90` → `90-minute` */
export function durationPhrase(minutes: number): string {
  if (minutes === 60) return '1-hour';
  if (minutes === 120) return '2-hour';
  return `${minutes}-minute`;
}

/** One phrasing, chosen by the generator. */
export function phrase(rng: Prng, phrasings: readonly string[]): string {
  return rng.pick(phrasings);
}

/** The highest value of a key among items, and the items that have it. */
export function latest<T>(items: readonly T[], key: (item: T) => string): { value: string; items: T[] } | null {
  if (items.length === 0) return null;
  let value = key(items[0] as T);
  for (const item of items) if (key(item) > value) value = key(item);
  return { value, items: items.filter((item) => key(item) === value) };
}

export function earliest<T>(items: readonly T[], key: (item: T) => string): { value: string; items: T[] } | null {
  if (items.length === 0) return null;
  let value = key(items[0] as T);
  for (const item of items) if (key(item) < value) value = key(item);
  return { value, items: items.filter((item) => key(item) === value) };
}
