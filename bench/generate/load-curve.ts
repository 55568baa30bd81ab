import { createRandom, type Random } from '../support/random.js';
import { openTextSink } from '../support/text-sink.js';

/**
 * Half-hourly load curves of delivery points, in a simple Enedis-like CSV:
 *
 *   id_prm;horodate;valeur_w
 *   21400000000000;2023-01-01T00:30:00+01:00;734
 *
 * `;` separator, LF line ends, UTF-8 without BOM. `horodate` is the end of the half-hour in
 * Europe/Paris local time with its offset (so a spring day has 46 readings and an autumn day
 * 50), `valeur_w` the mean power over the half-hour in watts, empty when the meter sent
 * nothing. One site's readings follow each other in time order.
 */

export const loadCurveHeader = 'id_prm;horodate;valeur_w';

const halfHourMs = 30 * 60 * 1000;
const hourMs = 60 * 60 * 1000;

/** The UTC instant of the last Sunday of a month at 01:00 UTC, when Europe/Paris changes. */
function lastSundayChange(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const sunday = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, month, sunday, 1);
}

/** Europe/Paris offset from UTC at an instant, in hours (EU rules since 1996). */
export function parisOffsetHours(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const summer = utcMs >= lastSundayChange(year, 2) && utcMs < lastSundayChange(year, 9);
  return summer ? 2 : 1;
}

const two = (value: number) => String(value).padStart(2, '0');

function localStamp(utcMs: number): string {
  const offset = parisOffsetHours(utcMs - 1);
  const local = new Date(utcMs + offset * hourMs);
  return (
    `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}` +
    `T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:00+${two(offset)}:00`
  );
}

/** The UTC instant of local midnight starting a calendar day in Europe/Paris. */
function localMidnight(year: number, month: number, day: number): number {
  const guess = Date.UTC(year, month, day);
  return guess - parisOffsetHours(guess - hourMs) * hourMs;
}

export interface Slots {
  /** The `horodate` text of each half-hour. */
  stamps: string[];
  /** Half-hour of the local day (0–47) and day of the year (0–365), per slot. */
  halfHour: Uint8Array;
  dayOfYear: Uint16Array;
  weekend: Uint8Array;
}

/** Every half-hour from local midnight of `start` to local midnight `days` later. */
export function slotsOf(start: { year: number; month: number; day: number }, days: number): Slots {
  const from = localMidnight(start.year, start.month, start.day);
  const to = localMidnight(start.year, start.month, start.day + days);
  const count = Math.round((to - from) / halfHourMs);
  const slots: Slots = {
    stamps: new Array(count),
    halfHour: new Uint8Array(count),
    dayOfYear: new Uint16Array(count),
    weekend: new Uint8Array(count),
  };
  for (let index = 0; index < count; index += 1) {
    const beginning = from + index * halfHourMs;
    const local = new Date(beginning + parisOffsetHours(beginning) * hourMs);
    slots.stamps[index] = localStamp(beginning + halfHourMs);
    slots.halfHour[index] = Math.min(
      47,
      local.getUTCHours() * 2 + (local.getUTCMinutes() >= 30 ? 1 : 0),
    );
    const yearStart = Date.UTC(local.getUTCFullYear(), 0, 1);
    slots.dayOfYear[index] = Math.floor((local.getTime() - yearStart) / (24 * hourMs));
    const weekday = local.getUTCDay();
    slots.weekend[index] = weekday === 0 || weekday === 6 ? 1 : 0;
  }
  return slots;
}

type SiteKind = 'residential' | 'tertiary' | 'industrial';

function dailyShape(kind: SiteKind): Float64Array {
  const shape = new Float64Array(48);
  for (let halfHour = 0; halfHour < 48; halfHour += 1) {
    const hour = halfHour / 2;
    if (kind === 'residential') {
      const morning = Math.exp(-((hour - 7.5) ** 2) / 2);
      const evening = Math.exp(-((hour - 19.5) ** 2) / 4);
      shape[halfHour] = 0.45 + 0.8 * morning + 1.3 * evening;
    } else if (kind === 'tertiary') {
      shape[halfHour] = hour >= 8 && hour < 19 ? 1.6 : 0.35;
    } else {
      shape[halfHour] = hour >= 5 && hour < 21 ? 1.15 : 0.7;
    }
  }
  return shape;
}

const shapes: Record<SiteKind, Float64Array> = {
  residential: dailyShape('residential'),
  tertiary: dailyShape('tertiary'),
  industrial: dailyShape('industrial'),
};

interface Site {
  prm: string;
  kind: SiteKind;
  baseW: number;
}

/** Site `index` is the same in every file of a seed, so smaller files are prefixes of larger. */
export function siteOf(seed: number, index: number): Site {
  const random = createRandom(seed, `site-${index}`);
  const draw = random.next();
  const kind: SiteKind = draw < 0.7 ? 'residential' : draw < 0.93 ? 'tertiary' : 'industrial';
  const median = { residential: 650, tertiary: 14_000, industrial: 180_000 }[kind];
  return {
    prm: String(21_400_000_000_000 + index * 104_729),
    kind,
    baseW: random.logNormal(median, 0.5),
  };
}

function siteLines(site: Site, slots: Slots, random: Random): string[] {
  const shape = shapes[site.kind];
  const lines = new Array<string>(slots.stamps.length);
  for (let index = 0; index < lines.length; index += 1) {
    const day = slots.dayOfYear[index]!;
    // Winter peaks for heating; offices and plants slow down at weekends.
    const season = 1 + 0.35 * Math.cos((2 * Math.PI * (day - 15)) / 365);
    const week = slots.weekend[index] === 1 && site.kind !== 'residential' ? 0.45 : 1;
    const noise = 0.88 + 0.24 * random.next();
    const value = random.chance(0.0004)
      ? ''
      : String(Math.round(site.baseW * shape[slots.halfHour[index]!]! * season * week * noise));
    lines[index] = `${site.prm};${slots.stamps[index]};${value}`;
  }
  return lines;
}

/** Writes `sites` sites over one calendar year; returns the rows written. */
export async function writeLoadCurveYear(
  path: string,
  options: { seed: number; sites: number; year: number },
): Promise<{ rows: number; bytes: number }> {
  const slots = slotsOf(
    { year: options.year, month: 0, day: 1 },
    365 + (options.year % 4 === 0 ? 1 : 0),
  );
  const sink = await openTextSink(path);
  await sink.write(`${loadCurveHeader}\n`);
  for (let index = 0; index < options.sites; index += 1) {
    const random = createRandom(options.seed, `readings-${options.year}-${index}`);
    await sink.write(`${siteLines(siteOf(options.seed, index), slots, random).join('\n')}\n`);
  }
  const { bytes } = await sink.close();
  return { rows: options.sites * slots.stamps.length, bytes };
}

/** Writes one file per day (`YYYY-MM-DD.csv`) of `sites` sites, for a backfill. */
export async function writeLoadCurveDays(
  directory: string,
  options: { seed: number; sites: number; firstDay: string; days: number },
): Promise<{ files: number; rows: number }> {
  const [year, month, day] = options.firstDay.split('-').map(Number) as [number, number, number];
  let rows = 0;
  for (let offset = 0; offset < options.days; offset += 1) {
    const slots = slotsOf({ year, month: month - 1, day: day + offset }, 1);
    const date = slots.stamps[0]!.slice(0, 10);
    const sink = await openTextSink(`${directory}/${date}.csv`);
    const lines = [loadCurveHeader];
    for (let index = 0; index < options.sites; index += 1) {
      const random = createRandom(options.seed, `day-${date}-${index}`);
      lines.push(...siteLines(siteOf(options.seed, index), slots, random));
    }
    rows += lines.length - 1;
    await sink.write(`${lines.join('\n')}\n`);
    await sink.close();
  }
  return { files: options.days, rows };
}
