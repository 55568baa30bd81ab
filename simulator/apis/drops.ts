import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { bytesReply, notFound, type Reply } from '../reply.js';

/**
 * A file-drop server, as a waste operator's portal or a shared folder exposed over HTTP:
 * `/drops/{path}` serves any file of the data folder byte for byte, and nothing outside it.
 */

const contentTypes: Record<string, string> = {
  '.csv': 'text/csv',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.parquet': 'application/vnd.apache.parquet',
};

export async function dropReply(dataDir: string, url: URL): Promise<Reply | undefined> {
  if (!url.pathname.startsWith('/drops/')) return undefined;
  const relative = decodeURIComponent(url.pathname.slice('/drops/'.length));
  const root = resolve(dataDir);
  const target = resolve(join(root, relative));
  if (!target.startsWith(`${root}${sep}`) || !existsSync(target)) {
    return notFound(url.pathname, 'no such dropped file');
  }
  if (!(await realpath(target)).startsWith(`${await realpath(root)}${sep}`)) {
    return notFound(url.pathname, 'no such dropped file');
  }
  const type = contentTypes[extname(target).toLowerCase()] ?? 'application/octet-stream';
  return bytesReply(await readFile(target), type, relative.slice(relative.lastIndexOf('/') + 1));
}
