import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

/**
 * A static file server on 127.0.0.1 for the benchmarks' large files: `/files/<path>` streams
 * `<root>/<path>` with its Content-Length, so that neither side holds a file in memory (the
 * provider simulator reads each file whole, which a 1.5 GB load curve does not suit).
 */
export interface FileServer {
  url: string;
  close(): Promise<void>;
}

export async function startFileServer(root: string): Promise<FileServer> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const relative = normalize(decodeURIComponent(url.pathname.replace(/^\/files\//, '')));
    const path = join(root, relative);
    if (
      !url.pathname.startsWith('/files/') ||
      relative.startsWith('..') ||
      !path.startsWith(root + sep)
    ) {
      response.writeHead(404).end();
      return;
    }
    try {
      const { size } = await stat(path);
      response.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-length': size,
      });
      if (request.method === 'HEAD') {
        response.end();
        return;
      }
      createReadStream(path).pipe(response);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/files`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
