/**
 * Daylight-saving transitions of an IANA time zone, from the platform's time zone database
 * (Intl), so that schedules can be checked against the local times that do not exist.
 */

const minuteMs = 60_000;
const dayMs = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the platform knows this IANA time zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    offsetFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in minutes (Paris in summer: 120). */
export function offsetMinutes(timeZone: string, instantMs: number): number {
  const name = offsetFormatter(timeZone)
    .formatToParts(instantMs)
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (match === null) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** A stretch of local clock time that a spring-forward transition skips. */
export interface SkippedLocalTimes {
  /** The local calendar date of the transition, YYYY-MM-DD. */
  date: string;
  month: number;
  day: number;
  weekday: number;
  /** Local minutes of the day from which clocks jump, and to which (exclusive). */
  fromMinute: number;
  toMinute: number;
}

function firstInstantOfNewOffset(timeZone: string, beforeMs: number, afterMs: number): number {
  let low = beforeMs;
  let high = afterMs;
  const offsetBefore = offsetMinutes(timeZone, low);
  while (high - low > minuteMs) {
    const middle = low + Math.floor((high - low) / 2 / minuteMs) * minuteMs;
    if (offsetMinutes(timeZone, middle) === offsetBefore) low = middle;
    else high = middle;
  }
  return high;
}

const cache = new Map<string, SkippedLocalTimes[]>();

/** Every spring-forward gap of the zone in the given years, sampled weekly then bisected. */
export function skippedLocalTimes(
  timeZone: string,
  fromYear: number,
  toYear: number,
): SkippedLocalTimes[] {
  const key = `${timeZone}:${fromYear}:${toYear}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const gaps: SkippedLocalTimes[] = [];
  const end = Date.UTC(toYear + 1, 0, 1);
  for (let sample = Date.UTC(fromYear, 0, 1); sample < end; sample += 7 * dayMs) {
    const next = Math.min(sample + 7 * dayMs, end);
    const before = offsetMinutes(timeZone, sample);
    const after = offsetMinutes(timeZone, next);
    if (after <= before) continue;

    const transition = firstInstantOfNewOffset(timeZone, sample, next);
    const localBefore = new Date(transition + before * minuteMs);
    const fromMinute = localBefore.getUTCHours() * 60 + localBefore.getUTCMinutes();
    gaps.push({
      date: localBefore.toISOString().slice(0, 10),
      month: localBefore.getUTCMonth() + 1,
      day: localBefore.getUTCDate(),
      weekday: localBefore.getUTCDay(),
      fromMinute,
      toMinute: fromMinute + (after - before),
    });
  }
  cache.set(key, gaps);
  return gaps;
}

/** The local calendar year of an instant in a time zone. */
export function localYear(instant: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' }).format(instant));
}

/** `HH:MM` of a count of minutes since midnight. */
export function clockTime(minuteOfDay: number): string {
  const hours = Math.floor(minuteOfDay / 60) % 24;
  return `${String(hours).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}
