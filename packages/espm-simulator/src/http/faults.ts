// Misbehaviour on demand, for the gateway's retry, timeout and idempotency paths: latency, a rate
// limit (429), 5xx answers, requests never answered (before or after they took effect),
// cut-off XML, and a maintenance window. Draws come from a seeded PRNG so a test sees the same faults
// on every run.
import { MESSAGES, SimError } from '../errors.ts';
import type { Random } from '../prng.ts';
import { seededRandom } from '../prng.ts';

export interface FaultSettings {
  /** Added to every faulted request. */
  latencyMs: number;
  /** Plus a uniform random 0..latencyJitterMs. */
  latencyJitterMs: number;
  /** Token bucket refill rate; 0 turns the rate limit off. */
  rateLimitPerSecond: number;
  /** Bucket size; 0 means max(1, rateLimitPerSecond). */
  rateLimitBurst: number;
  /** Share (0..1) of requests answered with one of errorStatuses, without effect. */
  errorRate: number;
  /** 5xx codes, or 429: ESPM's rate limit in the form EPA documents, without Retry-After. */
  errorStatuses: number[];
  /** Share (0..1) of requests that are never answered. */
  timeoutRate: number;
  /** When true a timed-out request takes effect first (e.g. its consumption entries are created). */
  timeoutAfterProcessing: boolean;
  /** Share (0..1) of answers cut in half, so their XML is malformed (the request took effect). */
  malformedRate: number;
  /**
   * ISO date-time; until then every faulted request gets 502, as EPA's error page says of maintenance
   * (with Retry-After only in the friendly shape: EPA documents none).
   */
  maintenanceUntil: string | null;
  /** Share (0..1) of "Access Denied" refusals answered 404 instead of 403, as ESPM sometimes does. */
  forbiddenAs404Rate: number;
  /**
   * An empty pending, notification or consumption list answered 404 instead of an empty document (EPA
   * does not say which ESPM does).
   */
  emptyListsAs404: boolean;
  /** "METHOD /path/template" keys (e.g. "POST /meter/:meterId/consumptionData"); empty = all provider routes. */
  routes: string[];
}

export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  latencyJitterMs: 0,
  rateLimitPerSecond: 0,
  rateLimitBurst: 0,
  errorRate: 0,
  errorStatuses: [500, 502, 503],
  timeoutRate: 0,
  timeoutAfterProcessing: false,
  malformedRate: 0,
  maintenanceUntil: null,
  forbiddenAs404Rate: 0,
  emptyListsAs404: false,
  routes: [],
};

export type FaultDecision =
  | { kind: 'pass'; latencyMs: number; malformed: boolean; timeoutAfter: boolean }
  | { kind: 'reject'; latencyMs: number; error: SimError; fault?: 'error' | 'maintenance' | 'rate-limited' }
  | { kind: 'timeout'; latencyMs: number };

const RATES = ['errorRate', 'timeoutRate', 'malformedRate', 'forbiddenAs404Rate'] as const;
const AMOUNTS = ['latencyMs', 'latencyJitterMs', 'rateLimitPerSecond', 'rateLimitBurst'] as const;

/** Checks a settings patch from JSON or the CLI; throws a 400 naming the first bad value. */
export function checkFaultPatch(patch: Record<string, unknown>): Partial<FaultSettings> & { seed?: number } {
  const bad = (msg: string): never => {
    throw new SimError(400, `faults: ${msg}`);
  };
  for (const key of Object.keys(patch)) {
    if (!(key in NO_FAULTS) && key !== 'seed') bad(`unknown setting "${key}"`);
  }
  for (const key of RATES) {
    const v = patch[key];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0 && v <= 1)))
      bad(`${key} must be a number from 0 to 1`);
  }
  for (const key of AMOUNTS) {
    const v = patch[key];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))) {
      bad(`${key} must be a number ≥ 0`);
    }
  }
  const statuses = patch.errorStatuses;
  if (
    statuses !== undefined &&
    (!Array.isArray(statuses) ||
      statuses.length === 0 ||
      !statuses.every(
        (s) => s === 429 || (Number.isInteger(s) && (s as number) >= 500 && (s as number) <= 599),
      ))
  ) {
    bad('errorStatuses must be a non-empty list of 5xx codes or 429');
  }
  for (const key of ['timeoutAfterProcessing', 'emptyListsAs404'] as const) {
    if (patch[key] !== undefined && typeof patch[key] !== 'boolean') bad(`${key} must be true or false`);
  }
  const until = patch.maintenanceUntil;
  if (
    until !== undefined &&
    until !== null &&
    (typeof until !== 'string' || Number.isNaN(Date.parse(until)))
  ) {
    bad('maintenanceUntil must be an ISO date-time or null');
  }
  if (
    patch.routes !== undefined &&
    (!Array.isArray(patch.routes) || !patch.routes.every((r) => typeof r === 'string'))
  ) {
    bad('routes must be a list of "METHOD /path" strings');
  }
  if (patch.seed !== undefined && !Number.isInteger(patch.seed)) bad('seed must be an integer');
  return patch as Partial<FaultSettings> & { seed?: number };
}

export class FaultInjector {
  private current: FaultSettings;
  private random: Random;
  private seed: number;
  private tokens = 0;
  private refilledAt = 0;

  constructor(
    settings: Partial<FaultSettings>,
    seed: number,
    private readonly clock: () => number = Date.now,
    /** Retry-After on 429 and 502 (the friendly shape): EPA's error page documents none. */
    private readonly retryAfter = false,
  ) {
    const { seed: patchSeed, ...rest } = settings as Partial<FaultSettings> & { seed?: number };
    this.current = { ...NO_FAULTS, ...rest };
    this.seed = patchSeed ?? seed;
    this.random = seededRandom(seed);
    this.fillBucket();
  }

  get settings(): FaultSettings & { seed: number } {
    return { ...structuredClone(this.current), seed: this.seed };
  }

  /** Applies a patch; a seed restarts the PRNG, so the same settings give the same faults again. */
  update(patch: Partial<FaultSettings> & { seed?: number }): FaultSettings & { seed: number } {
    const { seed, ...rest } = patch;
    this.current = { ...this.current, ...rest };
    if (seed !== undefined) this.seed = seed;
    if (seed !== undefined || rest.rateLimitPerSecond !== undefined || rest.rateLimitBurst !== undefined) {
      this.random = seededRandom(this.seed);
      this.fillBucket();
    }
    return this.settings;
  }

  clear(): FaultSettings & { seed: number } {
    this.current = structuredClone(NO_FAULTS);
    this.random = seededRandom(this.seed);
    this.fillBucket();
    return this.settings;
  }

  applies(routeKey: string): boolean {
    return this.current.routes.length === 0 || this.current.routes.includes(routeKey);
  }

  private burst(): number {
    const s = this.current;
    return s.rateLimitBurst > 0 ? s.rateLimitBurst : Math.max(1, s.rateLimitPerSecond);
  }

  private fillBucket(): void {
    this.tokens = this.burst();
    this.refilledAt = this.clock();
  }

  /** Takes a token, or returns the whole seconds until one is available. */
  private takeToken(): number | undefined {
    const rate = this.current.rateLimitPerSecond;
    if (rate <= 0) return undefined;
    const now = this.clock();
    this.tokens = Math.min(this.burst(), this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / rate));
  }

  decide(): FaultDecision {
    const s = this.current;
    // A fixed number of draws per request keeps the sequence independent of which faults fire.
    const [errorDraw, timeoutDraw, malformedDraw, jitterDraw, statusDraw] = [1, 2, 3, 4, 5].map(() =>
      this.random(),
    ) as [number, number, number, number, number];
    const latencyMs = s.latencyMs + Math.floor(jitterDraw * s.latencyJitterMs);
    if (s.maintenanceUntil) {
      const left = Date.parse(s.maintenanceUntil) - this.clock();
      if (left > 0) {
        const retry = String(Math.ceil(left / 1000));
        const headers: Record<string, string> = this.retryAfter ? { 'Retry-After': retry } : {};
        return {
          kind: 'reject',
          latencyMs,
          error: new SimError(502, MESSAGES.maintenance, headers),
          fault: 'maintenance',
        };
      }
    }
    const wait = this.takeToken();
    if (wait !== undefined) {
      return {
        kind: 'reject',
        latencyMs,
        error: new SimError(
          429,
          MESSAGES.rateLimited,
          this.retryAfter ? { 'Retry-After': String(wait) } : {},
        ),
        fault: 'rate-limited',
      };
    }
    if (errorDraw < s.errorRate) {
      const status = s.errorStatuses[Math.floor(statusDraw * s.errorStatuses.length)] ?? 500;
      const message = status === 429 ? MESSAGES.rateLimited : MESSAGES.serverError;
      return { kind: 'reject', latencyMs, error: new SimError(status, message), fault: 'error' };
    }
    if (timeoutDraw < s.timeoutRate && !s.timeoutAfterProcessing) return { kind: 'timeout', latencyMs };
    return {
      kind: 'pass',
      latencyMs,
      malformed: malformedDraw < s.malformedRate,
      timeoutAfter: timeoutDraw < s.timeoutRate && s.timeoutAfterProcessing,
    };
  }

  /** Throws the 404 that answers an empty list, when emptyListsAs404 says so. */
  checkEmptyList(items: number, what: string): void {
    if (items === 0 && this.current.emptyListsAs404) throw new SimError(404, MESSAGES.notFound(what));
  }

  forbiddenAsNotFound(): boolean {
    return this.current.forbiddenAs404Rate > 0 && this.random() < this.current.forbiddenAs404Rate;
  }
}
