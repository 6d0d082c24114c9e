// Counts the ESPM calls, so a benchmark can compare the requests a client made with the minimum it
// needed. The provider's calls are counted apart from the customer side's seeding traffic.
export interface RequestCounts {
  total: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  byRouteAndStatus: Record<string, Record<string, number>>;
  /** Requests the fault injector misanswered, by kind (see FaultKind). */
  byFault: Record<string, number>;
}

/**
 * error: a 5xx without effect; maintenance: a 503 of the maintenance window; rate-limited: a 429;
 * timeout-before / timeout-after: never answered, without or with effect; malformed: cut-off XML.
 */
export type FaultKind =
  'error' | 'maintenance' | 'rate-limited' | 'timeout-before' | 'timeout-after' | 'malformed';

export type CallerKind = 'provider' | 'others';

const empty = (): RequestCounts => ({
  total: 0,
  byRoute: {},
  byStatus: {},
  byRouteAndStatus: {},
  byFault: {},
});

export class RequestCounter {
  private counts: Record<CallerKind, RequestCounts> = { provider: empty(), others: empty() };

  /** One finished (or abandoned: status "timeout") request. */
  record(who: CallerKind, routeKey: string, status: number | 'timeout', fault?: FaultKind): void {
    const c = this.counts[who];
    const s = String(status);
    c.total++;
    c.byRoute[routeKey] = (c.byRoute[routeKey] ?? 0) + 1;
    c.byStatus[s] = (c.byStatus[s] ?? 0) + 1;
    const r = (c.byRouteAndStatus[routeKey] ??= {});
    r[s] = (r[s] ?? 0) + 1;
    if (fault) c.byFault[fault] = (c.byFault[fault] ?? 0) + 1;
  }

  snapshot(): Record<CallerKind, RequestCounts> {
    return structuredClone(this.counts);
  }

  reset(): void {
    this.counts = { provider: empty(), others: empty() };
  }
}
