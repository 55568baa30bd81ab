import { z } from 'zod';
import { ConfigError } from '../../lib/errors.js';
import type { ConnectorState } from '../contract.js';

/**
 * Incremental reads: the source's state keeps the highest cursor value landed; the next read
 * asks for rows from that value minus a look-back window, so that rows published late (with an
 * older cursor value) are read again, and merging on the primary key keeps one of each.
 */

export const incrementalParameter = z
  .strictObject({
    /** The landed column the cursor follows (a date-time text or a number). */
    cursorField: z.string().min(1),
    /** The query parameter that asks for rows from a cursor value (`updated_gte`). */
    param: z.string().min(1),
    /** How far back to read again: a number for numeric cursors, or an ISO duration (`P7D`). */
    lookback: z
      .union([z.number().nonnegative(), z.string().regex(/^P(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/)])
      .default(0),
    /** The cursor value of the very first read; everything when absent. */
    start: z.union([z.string(), z.number()]).optional(),
  })
  .optional();

export type IncrementalParameter = z.infer<typeof incrementalParameter>;

function durationMs(duration: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration)!;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  return (((days! * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000;
}

/** The value to ask from: the saved cursor less the look-back, the start, or nothing. */
export function cursorFrom(
  incremental: NonNullable<IncrementalParameter>,
  state: ConnectorState | undefined,
  source: string,
): string | number | undefined {
  const saved = state?.cursor;
  if (saved === undefined || saved === null) return incremental.start;
  if (typeof saved === 'number') {
    if (typeof incremental.lookback !== 'number') {
      throw new ConfigError('project', [
        {
          path: `${source}.params.incremental.lookback`,
          expected: 'a number for a numeric cursor',
        },
      ]);
    }
    return saved - incremental.lookback;
  }
  const lookbackMs =
    typeof incremental.lookback === 'string'
      ? durationMs(incremental.lookback)
      : incremental.lookback * 1000;
  const date = Date.parse(String(saved));
  if (Number.isNaN(date)) return String(saved);
  return new Date(date - lookbackMs).toISOString();
}

/** The highest of two cursor values (numbers as numbers, texts as ISO dates or text). */
export function laterCursor(current: unknown, candidate: unknown): unknown {
  if (candidate === null || candidate === undefined) return current;
  if (current === null || current === undefined) return candidate;
  if (typeof current === 'number' && typeof candidate === 'number') {
    return Math.max(current, candidate);
  }
  return String(candidate) > String(current) ? candidate : current;
}
