import type { Reply } from './reply.js';

/**
 * Body rewrites behind the `total` and `schema` faults: what a provider does when its declared
 * total disagrees with its rows, or when it renames or drops a column between two collections.
 */

/** The keys under which the simulated APIs declare how many records there are. */
const totalKeys = new Set(['total_count', 'nhits', 'total']);

function isJson(reply: Reply): boolean {
  return (reply.headers['content-type'] ?? '').includes('json');
}

function mapJson(value: unknown, visit: (object: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) mapJson(item, visit);
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    visit(object);
    for (const item of Object.values(object)) mapJson(item, visit);
  }
}

function rewriteJson(reply: Reply, visit: (object: Record<string, unknown>) => void): Reply {
  const value = JSON.parse(reply.body.toString('utf8')) as unknown;
  mapJson(value, visit);
  return { ...reply, body: Buffer.from(JSON.stringify(value), 'utf8') };
}

/** The reply with every declared total (and an `X-Total-Count` header) off by `delta`. */
export function shiftTotals(reply: Reply, delta: number): Reply {
  const headers = { ...reply.headers };
  if (headers['x-total-count'] !== undefined) {
    headers['x-total-count'] = String(Number(headers['x-total-count']) + delta);
  }
  if (!isJson(reply)) return { ...reply, headers };
  const shifted = rewriteJson(reply, (object) => {
    for (const key of Object.keys(object)) {
      if (totalKeys.has(key) && typeof object[key] === 'number') {
        object[key] = (object[key] as number) + delta;
      }
    }
  });
  return { ...shifted, headers };
}

/**
 * The reply with `column` renamed to `to` (or dropped): in every JSON object that has it as a
 * key, or in the first line of a delimited text that holds it as a field.
 */
export function changeColumn(reply: Reply, column: string, to: string | undefined): Reply {
  if (isJson(reply)) {
    return rewriteJson(reply, (object) => {
      if (!(column in object)) return;
      const entries = Object.entries(object);
      for (const key of Object.keys(object)) delete object[key];
      for (const [key, value] of entries) {
        if (key !== column) object[key] = value;
        else if (to !== undefined) object[to] = value;
      }
    });
  }
  // Latin-1 keeps every byte as one character, so any encoding survives the round trip.
  const text = reply.body.toString('latin1');
  const lines = text.split('\n');
  const delimiters = [';', ',', '\t'];
  for (let index = 0; index < Math.min(lines.length, 5); index += 1) {
    const line = lines[index]!;
    const delimiter = delimiters.find((candidate) => line.includes(candidate)) ?? ',';
    const fields = line.replace(/\r$/, '').split(delimiter);
    const position = fields.findIndex(
      (field) => field.replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '').replace(/^"|"$/g, '') === column,
    );
    if (position < 0) continue;
    if (to === undefined) {
      // Dropping a column drops its value on every line too.
      for (let row = index; row < lines.length; row += 1) {
        const cells = lines[row]!.split(delimiter);
        if (cells.length > position) cells.splice(position, 1);
        lines[row] = cells.join(delimiter);
      }
    } else {
      fields[position] = fields[position]!.replace(column, to);
      lines[index] = fields.join(delimiter) + (line.endsWith('\r') ? '\r' : '');
    }
    break;
  }
  return { ...reply, body: Buffer.from(lines.join('\n'), 'latin1') };
}
