/**
 * Faults a test switches on to see how clients cope with a provider misbehaving. Each fault is
 * keyed by a path prefix and applies to the next `times` requests whose path starts with it.
 */

export type Fault =
  /**
   * Answer this status instead of the real reply (429 gets the ODS quota body). `retryAfterIn`
   * says where a 429 tells the wait: the Retry-After header (default) or only the body's
   * `reset_time`, as Opendatasoft does behind some proxies. `retryAfterSeconds` may be a
   * fraction: the body's date keeps it to the millisecond, the header rounds it up.
   */
  | {
      kind: 'status';
      status: number;
      retryAfterSeconds?: number;
      retryAfterIn?: 'header' | 'body';
    }
  /** Answer the real reply with every declared total (`total_count`, `nhits`, …) off by delta. */
  | { kind: 'total'; delta: number }
  /** Answer the real reply with a column renamed (`to`) or dropped (no `to`). */
  | { kind: 'schema'; column: string; to?: string }
  /** Answer a paged API's first page again, with a next link or cursor pointing back at it. */
  | { kind: 'loop' }
  /** Answer the real reply after this many milliseconds. */
  | { kind: 'delay'; delayMs: number }
  /** Declare the full Content-Length, send only `sentBytes` of the body, then close the socket. */
  | { kind: 'truncate'; sentBytes?: number };

interface ArmedFault {
  pathPrefix: string;
  fault: Fault;
  remaining: number;
}

export interface FaultController {
  /** Arms `fault` for the next `times` requests (default 1) whose path starts with the prefix. */
  add(pathPrefix: string, fault: Fault, times?: number): void;
  /** The fault for a request path, counting one use; the earliest armed fault wins. */
  take(path: string): Fault | undefined;
  /** How many armed uses are left, all prefixes together. */
  pending(): number;
  clear(): void;
}

/** Creates an empty fault controller; one per simulator, so tests never share state. */
export function createFaultController(): FaultController {
  let armed: ArmedFault[] = [];
  return {
    add(pathPrefix, fault, times = 1) {
      if (!Number.isInteger(times) || times < 1) {
        throw new Error(`a fault applies to at least one request, got times=${times}`);
      }
      armed.push({ pathPrefix, fault, remaining: times });
    },
    take(path) {
      const match = armed.find((item) => path.startsWith(item.pathPrefix));
      if (match === undefined) return undefined;
      match.remaining -= 1;
      if (match.remaining === 0) armed = armed.filter((item) => item !== match);
      return match.fault;
    },
    pending: () => armed.reduce((total, item) => total + item.remaining, 0),
    clear() {
      armed = [];
    },
  };
}
