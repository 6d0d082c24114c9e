import type { EspmErrorDetail } from '../types.ts';

/**
 * What went wrong with a call, in the terms the gateway acts on:
 * - rejected: ESPM refused the request (400, or an Error envelope under any status): -100 when the body
 *   failed the schema (failedSchema), -200 for an application error;
 * - unauthorized: 401, the provider's credentials are wrong;
 * - access-lost: 403, or 404 on a resource, after the customer removed access;
 * - rate-limited: 429 (retryAfterMs when ESPM said how long to wait);
 * - unavailable: 5xx (ESPM's maintenance answers 502);
 * - timeout: no answer in time. For a POST the outcome is unknown and the caller must reconcile;
 * - network: the connection failed;
 * - malformed: the answer is not the XML document expected.
 */
export type EspmErrorKind =
  | 'rejected'
  | 'unauthorized'
  | 'access-lost'
  | 'rate-limited'
  | 'unavailable'
  | 'timeout'
  | 'network'
  | 'malformed';

export interface EspmErrorInit {
  kind: EspmErrorKind;
  method: string;
  path: string;
  status?: number;
  errors?: EspmErrorDetail[];
  retryAfterMs?: number;
  outcomeUnknown?: boolean;
  detail?: string;
  attempts?: number;
}

/** EPA's error page: -100 = XML that fails the schema; -200 = an application (business) error. */
export const SCHEMA_ERROR = '-100';
export const APPLICATION_ERROR = '-200';

/** Never carries the credentials: only the method, the path relative to the base URL and what ESPM said. */
export class EspmError extends Error {
  override name = 'EspmError';
  readonly kind: EspmErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly errors: EspmErrorDetail[];
  readonly retryAfterMs: number | undefined;
  /** True when a write may have been applied although no answer came (a POST that timed out). */
  readonly outcomeUnknown: boolean;
  readonly attempts: number;

  constructor(init: EspmErrorInit) {
    const said = (init.errors ?? []).map((e) => `${e.errorNumber} ${e.errorDescription}`).join('; ');
    super(
      `ESPM ${init.method} ${init.path}: ${init.kind}` +
        (init.status !== undefined ? ` (HTTP ${init.status})` : '') +
        (said ? `: ${said}` : '') +
        (init.detail ? `: ${init.detail}` : ''),
    );
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.errors = init.errors ?? [];
    this.retryAfterMs = init.retryAfterMs;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.attempts = init.attempts ?? 1;
  }

  /** ESPM's -100: the request body failed its schema (a defect in the body built, not in the data). */
  get failedSchema(): boolean {
    return this.errors.some((e) => e.errorNumber.trim() === SCHEMA_ERROR);
  }

  /**
   * ESPM down or refusing every call, not this request: it answered so (see holdsEveryCall) to every
   * attempt until the call's retries ran out. Every other call would get the same answer now, so a run
   * stops at the first such error instead of failing each of its items. (A POST's single 502, never tried
   * again, may be that request's own.)
   */
  get espmDown(): boolean {
    return this.attempts > 1 && this.status !== undefined && holdsEveryCall(this.status, this.retryAfterMs);
  }
}

/**
 * ESPM itself down or refusing every call rather than failing this one request: its maintenance page
 * (502), a gateway or service error in front of it (503, 504), or its rate limit in the form EPA
 * documents (429 without Retry-After). A 500 belongs to the request; a Retry-After says the wait itself.
 */
export function holdsEveryCall(status: number, retryAfter: number | undefined): boolean {
  return retryAfter === undefined && [429, 502, 503, 504].includes(status);
}

export function isEspmError(e: unknown, kind?: EspmErrorKind): e is EspmError {
  return e instanceof EspmError && (kind === undefined || e.kind === kind);
}
