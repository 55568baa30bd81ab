import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonReply, notFound, type Reply } from '../reply.js';

/**
 * GBFS feeds from the transport-site fixtures, versions 2.2 and 3.0: `/gbfs/{version}/gbfs.json`
 * lists the feeds with URLs rewritten from example.com to this simulator, and
 * `/gbfs/{version}/{feed}.json` serves each one.
 */

const folder = 'transport/gbfs_transport-site_fixtures';
const route = /^\/gbfs\/(2\.2|3\.0)\/([a-z_]+)\.json$/;

/** Creates the GBFS routes; `base` is the simulator's own URL, for the discovery links. */
export function createGbfs(dataDir: string) {
  return async function reply(url: URL, base: string): Promise<Reply | undefined> {
    const match = route.exec(url.pathname);
    if (match === null) return undefined;
    const [, version, feed] = match;
    const file = join(dataDir, folder, `${feed}.${version}.json`);
    if (!existsSync(file)) return notFound(url.pathname, `GBFS ${version} has no feed ${feed}`);
    const text = await readFile(file, 'utf8');
    const body =
      feed === 'gbfs'
        ? text.replaceAll(
            /https:\/\/example\.com\/gbfs\/([a-z_]+)/g,
            `${base}/gbfs/${version}/$1.json`,
          )
        : text;
    return jsonReply(200, JSON.parse(body));
  };
}
