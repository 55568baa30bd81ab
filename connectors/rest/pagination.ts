import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConnectorError } from '../../lib/errors.js';
import type { ConnectorContext } from '../contract.js';
import { valueAt } from '../formats/typed.js';

/**
 * Pagination of a declarative HTTP source: offset/limit, page number, cursor, next link or
 * Link header. Every read is checked against the total the API declares — a short or long
 * count is an error, never a silent truncation — and a page that repeats, a cursor or link
 * that loops, or more pages than `maxPages` stop the read with an error.
 */

const pageSize = z.number().int().positive().default(100);
/** Where the API declares its total: a dot path in the body, or a header. */
const total = {
  totalPath: z.string().min(1).optional(),
  totalHeader: z.string().min(1).optional(),
};

export const paginationParameter = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('none'), ...total }),
    z.strictObject({
      type: z.literal('offset'),
      offsetParam: z.string().default('offset'),
      limitParam: z.string().default('limit'),
      pageSize,
      ...total,
    }),
    z.strictObject({
      type: z.literal('page'),
      pageParam: z.string().default('page'),
      sizeParam: z.string().default('per_page'),
      firstPage: z.number().int().min(0).default(1),
      pageSize,
      ...total,
    }),
    z.strictObject({
      type: z.literal('cursor'),
      cursorParam: z.string().default('cursor'),
      /** Dot path of the next cursor in the body; absent or null on the last page. */
      cursorPath: z.string().min(1),
      sizeParam: z.string().optional(),
      pageSize,
      ...total,
    }),
    z.strictObject({
      type: z.literal('next-link'),
      /** Dot path of the next page's URL in the body; absent or null on the last page. */
      nextPath: z.string().min(1),
      sizeParam: z.string().optional(),
      pageSize,
      ...total,
    }),
    z.strictObject({
      type: z.literal('link-header'),
      sizeParam: z.string().optional(),
      pageSize,
      ...total,
    }),
  ])
  .default({ type: 'none' });

export type PaginationParameter = z.infer<typeof paginationParameter>;

/** A page error: a count that does not match, a page or link that repeats. */
export class PaginationError extends ConnectorError {}

export interface Page {
  url: string;
  records: unknown[];
}

export interface PageRequest {
  url: string;
  searchParams: Record<string, string | number>;
  headers: Record<string, string>;
  /** Sent with every page, next links included (an API key in the query). */
  alwaysParams: Record<string, string>;
  recordsPath: string | undefined;
  maxPages: number;
}

function recordsOf(body: unknown, path: string | undefined, url: string, source: string) {
  const records = path === undefined || path === '' ? body : valueAt(body, path);
  if (!Array.isArray(records)) {
    throw new ConnectorError(`GET ${url} answered no array of records at "${path ?? ''}"`, {
      source,
      url,
      retryable: false,
    });
  }
  return records;
}

function nextFromLinkHeader(header: string | null): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

function declaredTotal(pagination: PaginationParameter, body: unknown, headers: Headers) {
  const raw =
    pagination.totalHeader !== undefined
      ? headers.get(pagination.totalHeader)
      : pagination.totalPath !== undefined
        ? valueAt(body, pagination.totalPath)
        : undefined;
  if (raw === undefined || raw === null) return undefined;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** Yields the pages of a paginated read, checking counts, repeats and loops as it goes. */
export async function* readPages(
  context: ConnectorContext,
  pagination: PaginationParameter,
  request: PageRequest,
): AsyncGenerator<Page> {
  const source = context.sourceId;
  const fail = (message: string, url: string, retryable: boolean) =>
    new PaginationError(message, { source, url: context.http.redact(url), retryable });
  const seenPages = new Set<string>();
  const seenLinks = new Set<string>();
  let declared: number | undefined;
  let read = 0;
  let pageNumber = 0;
  let nextUrl: string | undefined = request.url;
  let cursor: string | undefined;

  while (nextUrl !== undefined) {
    pageNumber += 1;
    if (pageNumber > request.maxPages) {
      throw fail(
        `${request.url} has more than maxPages = ${request.maxPages} pages`,
        nextUrl,
        false,
      );
    }
    const followsLinks = pagination.type === 'next-link' || pagination.type === 'link-header';
    const params: Record<string, string | number> = {
      ...(followsLinks && pageNumber > 1 ? {} : request.searchParams),
      ...request.alwaysParams,
    };
    if (pagination.type === 'offset') {
      params[pagination.offsetParam] = read;
      params[pagination.limitParam] = pagination.pageSize;
    } else if (pagination.type === 'page') {
      params[pagination.pageParam] = pagination.firstPage + pageNumber - 1;
      params[pagination.sizeParam] = pagination.pageSize;
    } else if (pagination.type !== 'none' && pageNumber === 1 && pagination.sizeParam) {
      params[pagination.sizeParam] = pagination.pageSize;
    }
    if (pagination.type === 'cursor' && cursor !== undefined)
      params[pagination.cursorParam] = cursor;

    const { body, headers, resource } = await context.http.getJson<unknown>(nextUrl, {
      searchParams: params,
      headers: request.headers,
    });
    const url = resource.url;
    const records = recordsOf(body, request.recordsPath, url, source);
    const pageTotal = declaredTotal(pagination, body, headers);
    if (declared === undefined) declared = pageTotal;
    else if (pageTotal !== undefined && pageTotal !== declared) {
      throw fail(
        `${url} declares ${pageTotal} records where page 1 declared ${declared}; the data changed during the read`,
        url,
        true,
      );
    }

    const fingerprint = createHash('sha256').update(JSON.stringify(records)).digest('hex');
    if (records.length > 0 && seenPages.has(fingerprint)) {
      throw fail(
        `page ${pageNumber} of ${request.url} repeats an earlier page (${url}); the read stopped instead of looping`,
        url,
        false,
      );
    }
    seenPages.add(fingerprint);
    read += records.length;
    if (declared !== undefined && read > declared) {
      throw fail(
        `${request.url} served ${read} records, more than the ${declared} it declares (long count)`,
        url,
        true,
      );
    }
    context.heartbeat({ page: pageNumber, records: read });
    yield { url, records };

    // Where the next page is, if any.
    nextUrl = undefined;
    if (pagination.type === 'offset' || pagination.type === 'page') {
      const complete =
        declared !== undefined ? read >= declared : records.length < pagination.pageSize;
      if (!complete && records.length > 0) nextUrl = request.url;
    } else if (pagination.type === 'cursor') {
      const next = valueAt(body, pagination.cursorPath);
      if (next !== undefined && next !== null && next !== '') {
        cursor = String(next);
        if (seenLinks.has(cursor)) {
          throw fail(
            `the cursor of ${request.url} came back to "${cursor}"; the read stopped instead of looping`,
            url,
            false,
          );
        }
        seenLinks.add(cursor);
        nextUrl = request.url;
      }
    } else if (pagination.type === 'next-link' || pagination.type === 'link-header') {
      const next =
        pagination.type === 'next-link'
          ? valueAt(body, pagination.nextPath)
          : nextFromLinkHeader(headers.get('link'));
      if (typeof next === 'string' && next !== '') {
        const absolute = new URL(next, url).toString();
        if (seenLinks.has(absolute) || absolute === url) {
          throw fail(
            `the next link of ${request.url} loops back to ${context.http.redact(absolute)}`,
            url,
            false,
          );
        }
        seenLinks.add(absolute);
        nextUrl = absolute;
      }
    }
  }

  if (declared !== undefined && read !== declared) {
    throw fail(
      `${request.url} served ${read} records where it declares ${declared} (${read < declared ? 'short' : 'long'} count); nothing is landed from a partial read`,
      request.url,
      true,
    );
  }
}
