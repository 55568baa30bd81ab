import { createServer } from 'node:net';

/**
 * Whether a TCP port of 127.0.0.1 is taken, found by listening on it for a moment. Servers
 * check before their slow start-up (a report rendered, a process spawned), so that a taken
 * port is said in a sentence rather than found late as a raw EADDRINUSE.
 */
export async function isPortInUse(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(true) : reject(error),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}
