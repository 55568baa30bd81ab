/**
 * The waiting rules of the HTTP client, apart from any socket so that they can be tested with a
 * fake clock: which answers deserve another attempt, how long to wait before it, and the
 * per-source requests-per-second budget.
 */

/** Answers worth another attempt: time-outs, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501);
}

/** The wait a Retry-After header asks for (seconds or an HTTP date), in milliseconds. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const header = headers.get('retry-after');
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait a rate-limit body asks for: Opendatasoft answers 429 with `{"reset_time": ISO date}`
 * and, behind some proxies, without any Retry-After header.
 */
export function resetTimeMs(body: string, now = Date.now()): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const reset = (parsed as Record<string, unknown>).reset_time;
  if (typeof reset !== 'string') return undefined;
  const date = Date.parse(reset);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface BackoffOptions {
  baseMs: number;
  limitMs: number;
  /** A number in [0, 1); `Math.random` outside tests. */
  random: () => number;
}

/**
 * The wait before retry `retry` (1 for the first): exponential from `baseMs`, capped at
 * `limitMs`, with "equal jitter" — half fixed, half random — so that clients retrying together
 * spread out while every wait stays at least half the exponential step.
 */
export function backoffMs(retry: number, options: BackoffOptions): number {
  const step = Math.min(options.limitMs, options.baseMs * 2 ** (retry - 1));
  return step / 2 + (step / 2) * options.random();
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface RequestBudget {
  /** Waits until the next request may leave, and books its slot. */
  take(signal?: AbortSignal): Promise<void>;
}

/**
 * A budget of `requestsPerSecond`: requests leave at least 1/rate seconds apart, in the order
 * they asked. Without a rate, requests leave at once.
 */
export function createRequestBudget(
  requestsPerSecond: number | undefined,
  clock: Clock = systemClock,
): RequestBudget {
  if (requestsPerSecond === undefined) return { take: async () => {} };
  const intervalMs = 1000 / requestsPerSecond;
  let nextSlotMs = Number.NEGATIVE_INFINITY;
  return {
    async take(signal) {
      const now = clock.now();
      const slot = Math.max(now, nextSlotMs);
      nextSlotMs = slot + intervalMs;
      if (slot > now) await clock.sleep(slot - now, signal);
    },
  };
}

/** Replaces every secret in a text (a URL, a message) with `***`. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const values = secrets.filter((secret) => secret.length >= 4);
  if (values.length === 0) return (text) => text;
  return (text) => {
    let redacted = text;
    for (const secret of values) {
      redacted = redacted.replaceAll(secret, '***').replaceAll(encodeURIComponent(secret), '***');
    }
    return redacted;
  };
}
