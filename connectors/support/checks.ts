import type { Schema } from 'apache-arrow';
import { ConnectorError, errorMessage } from '../../lib/errors.js';
import type { RequestOptions } from '../../lib/http.js';
import type { Catalog, CheckResult, ConnectorContext, StreamDescription } from '../contract.js';

/** `check` and `discover` pieces shared by connectors. */

/** The catalog of a connector with one stream of a fixed schema. */
export function singleStream(
  name: string,
  schema: Schema,
  extra: Omit<StreamDescription, 'name' | 'schema'> = {},
): Catalog {
  return { streams: [{ name, schema, ...extra }], selected: name };
}

/** What to fix for an HTTP status a provider answered to a probe. */
function adviceFor(status: number | undefined, what: string): string {
  if (status === 401 || status === 403) {
    return `the provider refused the credentials: check the secret named in the source's auth (${what})`;
  }
  if (status === 404) return `the provider does not know this address: check ${what}`;
  if (status === 429)
    return 'the provider is rate-limiting us: lower requestsPerSecond or retry later';
  if (status !== undefined && status >= 500) return 'the provider is failing: retry later';
  return `check that the provider is reachable from this machine and ${what} is right`;
}

/** Checks that `url` answers a HEAD request, and says what to fix when it does not. */
export async function checkUrl(
  context: ConnectorContext,
  url: string,
  what = 'the URL in the source parameters',
): Promise<CheckResult> {
  const shown = context.http.redact(url);
  try {
    const { status } = await context.http.probe(url);
    return { ok: true, message: `${shown} answered ${status}` };
  } catch (error) {
    const status = error instanceof ConnectorError ? error.status : undefined;
    return { ok: false, message: `${errorMessage(error)}; ${adviceFor(status, what)}` };
  }
}

/** Runs a JSON probe (a metadata request) and turns its failure into advice. */
export async function checkJson(
  context: ConnectorContext,
  url: string,
  what: string,
  verify: (body: unknown) => string | undefined = () => undefined,
  request: RequestOptions = {},
): Promise<CheckResult> {
  try {
    const { body, resource } = await context.http.getJson<unknown>(url, request);
    const problem = verify(body);
    if (problem !== undefined)
      return { ok: false, message: `${context.http.redact(url)}: ${problem}` };
    return { ok: true, message: `${context.http.redact(url)} answered ${resource.status}` };
  } catch (error) {
    const status = error instanceof ConnectorError ? error.status : undefined;
    return { ok: false, message: `${errorMessage(error)}; ${adviceFor(status, what)}` };
  }
}
