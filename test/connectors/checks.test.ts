import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorContext } from '../../connectors/contract.js';
import { checkJson, checkUrl } from '../../connectors/support/checks.js';
import { createHttpClient } from '../../lib/http.js';
import { createLogger } from '../../lib/logger.js';

/** What `terreze connector check` prints on success: the address and the status it answered. */
describe('connector checks', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const status = request.url === '/created' ? 201 : 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(request.method === 'HEAD' ? undefined : '{"records":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function context(): ConnectorContext {
    const logger = createLogger({ level: 'error' });
    return {
      sourceId: 'probe',
      logger,
      http: createHttpClient({ source: 'probe', logger, retryLimit: 0 }),
      workDir: tmpdir(),
      heartbeat: () => {},
      signal: new AbortController().signal,
      quarantine: () => {},
    };
  }

  it('names the status a JSON probe answered', async () => {
    const result = await checkJson(context(), `${baseUrl}/created`, 'the url');
    expect(result).toEqual({ ok: true, message: `${baseUrl}/created answered 201` });
  });

  it('names the status a HEAD probe answered', async () => {
    const result = await checkUrl(context(), `${baseUrl}/file.csv`);
    expect(result).toEqual({ ok: true, message: `${baseUrl}/file.csv answered 200` });
  });
});
