import { ParseError } from '../../lib/errors.js';
import type { GtfsFeed, GtfsRow } from './feed.js';

/**
 * The days each service runs within one year: calendar.txt's weekday pattern between its start
 * and end dates, then calendar_dates.txt's additions (1) and removals (2).
 */

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** A GTFS date (YYYYMMDD) as a UTC midnight timestamp; anything else is a ParseError. */
function gtfsDate(row: GtfsRow, column: string): number {
  const value = row.require(column);
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  const time =
    match === null
      ? Number.NaN
      : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(time) || new Date(time).getUTCDate() !== Number(match?.[3])) {
    throw new ParseError(row.file, `expected a date YYYYMMDD, found "${value}"`, {
      line: row.line,
      field: column,
    });
  }
  return time;
}

const dayMs = 86_400_000;

/** Service id → the UTC midnights of `year` on which it runs. */
export function serviceDays(feed: GtfsFeed, year: number): Map<string, Set<number>> {
  const first = Date.UTC(year, 0, 1);
  const last = Date.UTC(year, 11, 31);
  const days = new Map<string, Set<number>>();
  const daysOf = (serviceId: string) => {
    let set = days.get(serviceId);
    if (set === undefined) {
      set = new Set();
      days.set(serviceId, set);
    }
    return set;
  };

  for (const row of feed.table('calendar.txt', { optional: feed.has('calendar_dates.txt') })) {
    const serviceId = row.require('service_id');
    const runs = weekdays.map((day) => row.require(day) === '1');
    const start = Math.max(gtfsDate(row, 'start_date'), first);
    const end = Math.min(gtfsDate(row, 'end_date'), last);
    const set = daysOf(serviceId);
    for (let day = start; day <= end; day += dayMs) {
      if (runs[new Date(day).getUTCDay()]) set.add(day);
    }
  }

  for (const row of feed.table('calendar_dates.txt', { optional: true })) {
    const day = gtfsDate(row, 'date');
    if (day < first || day > last) continue;
    const exception = row.require('exception_type');
    const set = daysOf(row.require('service_id'));
    if (exception === '1') set.add(day);
    else if (exception === '2') set.delete(day);
    else {
      throw new ParseError(row.file, `expected exception_type 1 or 2, found "${exception}"`, {
        line: row.line,
        field: 'exception_type',
      });
    }
  }
  return days;
}
