// One HTTP exchange with ESPM, with the limiter, retries and the mapping of every failure to an EspmError.
import { Agent, errors as undiciErrors, request } from 'undici';
import { MAX_DOCUMENT_BYTES, XmlDocumentError, rootName } from '../xml/codec.ts';
import { parseResponse } from '../xml/response.ts';
import type { EspmErrorKind } from './errors.ts';
import { EspmError, holdsEveryCall } from './errors.ts';
import { RequestLimiter, sleep } from './limiter.ts';

export interface EspmConnection {
  /** e.g. https://portfoliomanager.energystar.gov/ws/ or …/wstest/ */
  baseUrl: string;
  username: string;
  password: string;
}

export interface TransportOptions extends EspmConnection {
  maxRps: number;
  maxConcurrency: number;
  /** How long to wait for an answer before calling it a timeout. */
  timeoutMs: number;
  /** Retries after the first attempt, for the failures that may be retried. */
  maxRetries: number;
  /** First backoff step; each retry doubles it, with full jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /**
   * Longest hold of every call while ESPM answers that it is down or limits every call without saying
   * for how long: it doubles from retryBaseMs with each such answer, so a maintenance of days costs one
   * request per hold.
   */
  outageHoldMaxMs: number;
  onAttempt?: (attempt: AttemptRecord) => void;
}

/** What every attempt reports, for metrics: the path is a template with ids replaced by {id}. */
export interface AttemptRecord {
  method: string;
  route: string;
  status?: number;
  outcome: 'ok' | EspmErrorKind;
  /** ESPM answered that it is down or limits every call (each call is held, not only this one). */
  holdsEveryCall: boolean;
  durationMs: number;
  /** Of durationMs, the time spent waiting for the limiter (rate, concurrency, a 429's pause). */
  waitedMs?: number;
  attempt: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface CallOptions<T> {
  body?: string;
  query?: Record<string, string | number | boolean | undefined>;
  parse: (xml: string) => T;
}

const RETRYABLE_ALWAYS: ReadonlySet<EspmErrorKind> = new Set(['rate-limited']);
// Idempotent calls may also be retried when the answer was lost or broken: repeating them is harmless.
const RETRYABLE_IDEMPOTENT: ReadonlySet<EspmErrorKind> = new Set([
  'unavailable',
  'timeout',
  'network',
  'malformed',
]);

export class EspmTransport {
  private readonly base: URL;
  private readonly authorization: string;
  private readonly agent: Agent;
  readonly limiter: RequestLimiter;

  constructor(private readonly options: TransportOptions) {
    const base = new URL(options.baseUrl);
    if (base.username || base.password) throw new Error('ESPM base URL must not carry credentials');
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.base = base;
    this.authorization = 'Basic ' + Buffer.from(`${options.username}:${options.password}`).toString('base64');
    this.agent = new Agent({
      connections: options.maxConcurrency,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 10_000,
    });
    this.limiter = new RequestLimiter({ maxRps: options.maxRps, maxConcurrency: options.maxConcurrency });
  }

  /** Resolves an ESPM path (as in a "next page" link) against the base URL, keeping the base's prefix. */
  url(path: string, query?: CallOptions<unknown>['query']): URL {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  async call<T>(method: HttpMethod, path: string, options: CallOptions<T>): Promise<T> {
    const url = this.url(path, options.query);
    const shownPath = url.pathname.slice(this.base.pathname.length - 1) + url.search;
    const idempotent = method !== 'POST';
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let failure: EspmError;
      let status: number | undefined;
      let sentAt: number | undefined;
      let outageHold: number | undefined;
      try {
        const answer = await this.limiter.run(async () => {
          sentAt = Date.now();
          const a = await this.exchange(method, url, options.body);
          // Settled before the limiter lets the next caller go: ESPM's Retry-After, and ESPM down, hold
          // every call, also when this one is not tried again (a POST's 503).
          outageHold = this.holdEveryCall(a);
          return a;
        });
        status = answer.status;
        const result = this.interpret(answer, options.parse, method, shownPath, attempt);
        this.report(method, path, status, 'ok', started, attempt, sentAt);
        return result;
      } catch (e) {
        failure = this.toEspmError(e, method, shownPath, attempt);
        this.report(method, path, failure.status ?? status, failure.kind, started, attempt, sentAt, failure);
      }
      const retryable =
        RETRYABLE_ALWAYS.has(failure.kind) || (idempotent && RETRYABLE_IDEMPOTENT.has(failure.kind));
      const safeNetworkRetry = failure.kind === 'network' && !failure.outcomeUnknown;
      if (!(retryable || safeNetworkRetry) || attempt > this.options.maxRetries) throw failure;
      await sleep(outageHold ?? Math.max(this.backoff(attempt), failure.retryAfterMs ?? 0));
    }
  }

  /** Pauses or holds every call as ESPM's answer says; returns the hold when ESPM is down. */
  private holdEveryCall(answer: {
    status: number;
    headers: Record<string, string | string[] | undefined>;
  }): number | undefined {
    const { status } = answer;
    if (status !== 429 && status < 500) {
      this.limiter.succeeded();
      return undefined;
    }
    const retryAfter = retryAfterMs(answer.headers);
    if (retryAfter !== undefined) {
      this.limiter.pauseUntil(Date.now() + retryAfter);
      return undefined;
    }
    if (!holdsEveryCall(status, retryAfter)) return undefined;
    return this.limiter.holdForOutage(this.options.retryBaseMs, this.options.outageHoldMaxMs);
  }

  /** This call's own wait before its next attempt: full jitter, doubling up to retryMaxMs. */
  private backoff(attempt: number): number {
    return Math.random() * Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (attempt - 1));
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async exchange(
    method: HttpMethod,
    url: URL,
    body: string | undefined,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
    const res = await request(url, {
      method,
      dispatcher: this.agent,
      headers: {
        authorization: this.authorization,
        accept: 'application/xml',
        // The only request type EPA documents; the XML declaration says UTF-8.
        ...(body !== undefined ? { 'content-type': 'application/xml' } : {}),
      },
      body,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_DOCUMENT_BYTES) {
        res.body.destroy();
        throw new XmlDocumentError(`answer larger than ${MAX_DOCUMENT_BYTES} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return { status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
  }

  private interpret<T>(
    answer: { status: number; headers: Record<string, string | string[] | undefined>; text: string },
    parse: (xml: string) => T,
    method: string,
    path: string,
    attempt: number,
  ): T {
    const { status, text } = answer;
    const envelope = rootName(text) === 'response' ? safeParseResponse(text) : undefined;
    if (status >= 200 && status < 300) {
      // ESPM may report an error in the body under HTTP 200: the body wins.
      if (envelope?.status === 'Error') {
        throw new EspmError({
          kind: 'rejected',
          method,
          path,
          status,
          errors: envelope.errors,
          attempts: attempt,
        });
      }
      try {
        return parse(text);
      } catch (e) {
        if (e instanceof XmlDocumentError) {
          throw new EspmError({
            kind: 'malformed',
            method,
            path,
            status,
            detail: e.message,
            outcomeUnknown: method === 'POST',
            attempts: attempt,
          });
        }
        throw e;
      }
    }
    const errors = envelope?.errors ?? [];
    const init = { method, path, status, errors, attempts: attempt };
    const detail = envelope ? undefined : snippet(text);
    if (status === 401) throw new EspmError({ ...init, kind: 'unauthorized', detail });
    if (status === 403 || status === 404) throw new EspmError({ ...init, kind: 'access-lost', detail });
    if (status === 429) {
      throw new EspmError({
        ...init,
        kind: 'rate-limited',
        retryAfterMs: retryAfterMs(answer.headers),
        detail,
      });
    }
    if (status >= 500) {
      throw new EspmError({
        ...init,
        kind: 'unavailable',
        retryAfterMs: retryAfterMs(answer.headers),
        detail,
        outcomeUnknown: method === 'POST',
      });
    }
    throw new EspmError({ ...init, kind: 'rejected', detail });
  }

  private toEspmError(e: unknown, method: string, path: string, attempt: number): EspmError {
    if (e instanceof EspmError) return e;
    const base = { method, path, attempts: attempt };
    if (e instanceof XmlDocumentError) {
      return new EspmError({
        ...base,
        kind: 'malformed',
        detail: e.message,
        outcomeUnknown: method === 'POST',
      });
    }
    if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError) {
      return new EspmError({
        ...base,
        kind: 'timeout',
        outcomeUnknown: method !== 'GET',
        detail: 'no answer in time',
      });
    }
    const code = (e as { code?: string }).code ?? '';
    // A refused or unresolved connection never carried the request: retrying it is always safe.
    const neverSent = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'].includes(code);
    return new EspmError({
      ...base,
      kind: 'network',
      outcomeUnknown: !neverSent && method !== 'GET',
      detail: code || (e as Error).message,
    });
  }

  private report(
    method: string,
    path: string,
    status: number | undefined,
    outcome: AttemptRecord['outcome'],
    started: number,
    attempt: number,
    sentAt: number | undefined,
    failure?: EspmError,
  ): void {
    this.options.onAttempt?.({
      method,
      route: path.split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/{id}'),
      status,
      outcome,
      holdsEveryCall:
        failure !== undefined &&
        failure.status !== undefined &&
        holdsEveryCall(failure.status, failure.retryAfterMs),
      durationMs: Date.now() - started,
      waitedMs: (sentAt ?? Date.now()) - started,
      attempt,
    });
  }
}

function safeParseResponse(text: string): ReturnType<typeof parseResponse> | undefined {
  try {
    return parseResponse(text);
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? flat.slice(0, 200) + '…' : flat || 'empty body';
}

function retryAfterMs(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
