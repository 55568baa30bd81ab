/**
 * The five-field cron expressions of schedules (minute hour day-of-month month day-of-week),
 * parsed into sets so that terreze can tell, before Temporal does, at which local times of which
 * days a schedule fires. Temporal compiles the same text on the server.
 */

export interface CronFields {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 is Sunday. */
  daysOfWeek: ReadonlySet<number>;
  /** Whether the day-of-month and day-of-week fields are restricted (not `*`). */
  restrictsDayOfMonth: boolean;
  restrictsDayOfWeek: boolean;
}

const monthNames = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
  namesStartAt?: number;
}

const rules: FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: monthNames, namesStartAt: 1 },
  { name: 'day of week', min: 0, max: 7, names: dayNames, namesStartAt: 0 },
];

/** A cron expression terreze cannot read; the message says which field and what is expected. */
export class CronSyntaxError extends Error {}

function fieldValue(text: string, rule: FieldRule): number {
  const index = rule.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = index >= 0 ? index + (rule.namesStartAt ?? 0) : Number(text);
  if (!/^\w+$/.test(text) || !Number.isInteger(value) || value < rule.min || value > rule.max) {
    throw new CronSyntaxError(
      `${rule.name} "${text}" is not a number from ${rule.min} to ${rule.max}` +
        (rule.names ? ` or a name such as ${rule.names[0]}` : ''),
    );
  }
  return value;
}

function parseField(text: string, rule: FieldRule): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      throw new CronSyntaxError(`${rule.name} step "${stepText}" is not a positive whole number`);
    }
    let from = rule.min;
    let to = rule.max;
    if (range !== '*' && range !== '?') {
      const [start = '', end] = range.split('-');
      from = fieldValue(start, rule);
      to = end === undefined ? (stepText === undefined ? from : rule.max) : fieldValue(end, rule);
    }
    if (from > to) throw new CronSyntaxError(`${rule.name} range "${range}" runs backwards`);
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

/** Parses a five-field cron expression; throws a CronSyntaxError naming the faulty field. */
export function parseCron(expression: string): CronFields {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new CronSyntaxError(
      `"${expression}" has ${fields.length} fields; expected 5: minute hour day-of-month month day-of-week`,
    );
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = fields.map((field, index) =>
    parseField(field, rules[index]!),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    restrictsDayOfMonth: !['*', '?'].includes(fields[2]!),
    restrictsDayOfWeek: !['*', '?'].includes(fields[4]!),
  };
}

/** Whether a cron fires on a calendar date; as in cron, two restricted day fields mean either. */
export function cronMatchesDate(
  cron: CronFields,
  date: { month: number; day: number; weekday: number },
): boolean {
  if (!cron.months.has(date.month)) return false;
  const dayOfMonth = cron.daysOfMonth.has(date.day);
  const dayOfWeek = cron.daysOfWeek.has(date.weekday);
  if (cron.restrictsDayOfMonth && cron.restrictsDayOfWeek) return dayOfMonth || dayOfWeek;
  return dayOfMonth && dayOfWeek;
}
