// Sync throughput: N meter shares waiting in the ESPM simulator, which answers every request after
// LATENCY_MS and refuses (429 + Retry-After) beyond RATE requests/s; the gateway's ESPM client is
// configured with the same rate. Measures one initial sync (decisions + 24 months of history per meter)
// and one monthly cycle (one new billing period per meter), as wall time against the floor
// minimum requests / RATE.
//
//   npx tsx bench/sync-throughput.ts [--full]       N=200 quick, 2,000 full (SYNC_N=… overrides)
//   Options: SYNC_N, SYNC_RATE=20, SYNC_LATENCY_MS=200, SYNC_SERIAL_N (the one-at-a-time client's
//   smaller run), SYNC_WORKERS (the service concurrency of the "tuned" variant; default 2 × the
//   client's concurrency), SYNC_VARIANTS=gateway,tuned,serial (also: ahead = tuned + the pending
//   meter-share pages read ahead, the second recommendation in BENCHMARKS.md, done here in the bench).
//
// The simulator's store is seeded directly (customers already connected, one pending meter share each
// with the four custom fields right), the billing data goes through the gateway's CSV import, and the
// connections are recorded in the gateway's store as accepted, so the sync starts where a real one
// would after the customers connected. DATABASE_URL set: PostgreSQL (a throwaway database).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EspmClient } from '@gaz-espm/espm';
import type { PendingList, PendingMeterShare } from '@gaz-espm/espm';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { startSimulator } from '@gaz-espm/espm-simulator';
import { parsePendingList } from '@gaz-espm/espm/xml';
import { acceptPendingConnections } from '@gaz-espm/gateway/exchange/connections';
import { updateConsumption } from '@gaz-espm/gateway/exchange/consumption-updater';
import type { ExchangeContext } from '@gaz-espm/gateway/exchange/context';
import { runCycle } from '@gaz-espm/gateway/exchange/cycle';
import { decidePendingMeterShares } from '@gaz-espm/gateway/exchange/meter-shares';
import { watchNotifications } from '@gaz-espm/gateway/exchange/notifications';
import { acceptPendingPropertyShares } from '@gaz-espm/gateway/exchange/property-shares';
import { openTestStore } from '@gaz-espm/gateway/testing/test-store';
import { FULL, fmt, machine, numberFromEnv, out, saveJson, seconds } from './lib.ts';
import { importBilling, seedCustomers, seedSimulator } from './seed-shares.ts';

const N = numberFromEnv('SYNC_N', FULL ? 2000 : 200);
const RATE = numberFromEnv('SYNC_RATE', 20);
const LATENCY_MS = numberFromEnv('SYNC_LATENCY_MS', 200);
const CONCURRENCY = Math.ceil(RATE * (LATENCY_MS / 1000) * 1.5);
const WORKERS = numberFromEnv('SYNC_WORKERS', 2 * CONCURRENCY);
const SERIAL_N = numberFromEnv('SYNC_SERIAL_N', FULL ? 100 : 20);
const VARIANTS = (process.env.SYNC_VARIANTS ?? 'gateway,tuned,serial').split(',');
const PAGE = 20;

// The clock of both sides: the 25 months billed run from 2024-10 to 2026-10, each invoiced on the 5th
// of the next month; the monthly cycle adds 2026-11.
const FIRST_SYNC_AT = new Date('2026-11-20T14:00:00Z');
const MONTHLY_AT = new Date('2026-12-10T14:00:00Z');
const FIRST_MONTH = { year: 2024, month0: 9 };

type Variant = 'gateway' | 'tuned' | 'ahead' | 'serial';

interface PhaseResult {
  wallMs: number;
  requests: number;
  minimum: number;
  tooMany: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  summary: unknown;
  /** Wall time of each service. */
  times: Record<string, number>;
}

const SERVICES = [
  'NotificationWatcher',
  'ConnectionManager',
  'PropertyShareManager',
  'MeterConnectionManager',
  'ConsumptionUpdater',
] as const;

/** One cycle, timed service by service (runCycle with one service at a time, in runCycle's order). */
async function cycle(
  ctx: ExchangeContext,
  variant: Variant,
  times: Record<string, number>,
): Promise<unknown> {
  const summaries: Record<string, unknown> = {};
  for (const service of SERVICES) {
    const t = Date.now();
    if (variant !== 'tuned' && variant !== 'ahead') {
      const r = await runCycle(ctx, [service]);
      summaries[service] = r.services[0]?.summary ?? r.services[0]?.error;
    } else {
      // The same services with their worker pools sized to fill the client's pipe instead of the fixed
      // 4 (the options exist; runCycle does not pass them).
      summaries[service] = await tunedService(ctx, service);
    }
    times[service] = Date.now() - t;
  }
  return summaries;
}

/**
 * The pending meter shares, reading `k` pages at a time once the first page says there is a next one
 * (ESPM's `?page=n`), until a page without a next link: at most k − 1 pages past the end.
 */
async function pendingMeterSharesAhead(espm: EspmClient, k: number): Promise<PendingMeterShare[]> {
  const path = '/share/meter/pending/list';
  const get = (p: string): Promise<PendingList> => espm.transport.call('GET', p, { parse: parsePendingList });
  const pages = [await get(path)];
  for (let next = 2, done = !pages[0]!.nextPage; !done; next += k) {
    const batch = await Promise.all(Array.from({ length: k }, (_, j) => get(`${path}?page=${next + j}`)));
    for (const page of batch) {
      pages.push(page);
      if (!page.nextPage) {
        done = true;
        break;
      }
    }
  }
  return pages.flatMap((p) => p.meters);
}

function tunedService(ctx: ExchangeContext, service: (typeof SERVICES)[number]): Promise<unknown> {
  switch (service) {
    case 'NotificationWatcher':
      return watchNotifications(ctx);
    case 'ConnectionManager':
      return acceptPendingConnections(ctx);
    case 'PropertyShareManager':
      return acceptPendingPropertyShares(ctx);
    case 'MeterConnectionManager':
      return decidePendingMeterShares(ctx, { concurrency: WORKERS });
    case 'ConsumptionUpdater':
      return updateConsumption(ctx, { concurrency: WORKERS });
  }
}

async function phase(
  sim: Simulator,
  ctx: ExchangeContext,
  variant: Variant,
  minimum: number,
): Promise<PhaseResult> {
  sim.resetRequests();
  const t = Date.now();
  const times: Record<string, number> = {};
  const summary = await cycle(ctx, variant, times);
  const wallMs = Date.now() - t;
  const counts = sim.requests().provider;
  return {
    wallMs,
    requests: counts.total,
    minimum,
    tooMany: counts.byStatus['429'] ?? 0,
    byRoute: counts.byRoute,
    byStatus: counts.byStatus,
    summary,
    times,
  };
}

async function scenario(
  variant: Variant,
  n: number,
  monthly: boolean,
): Promise<{ initial: PhaseResult; monthly?: PhaseResult }> {
  let now = FIRST_SYNC_AT;
  const sim = await startSimulator({ port: 0, validateRequests: false, now: () => now, seed: 1 });
  const store = await openTestStore();
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
  const concurrency = variant === 'serial' ? 1 : CONCURRENCY;
  const espm = new EspmClient({
    baseUrl: sim.url,
    username: sim.provider.username,
    password: sim.provider.password,
    maxRps: RATE,
    maxConcurrency: concurrency,
  });
  if (variant === 'ahead') espm.pendingMeterShares = () => pendingMeterSharesAhead(espm, concurrency);
  const ctx: ExchangeContext = {
    db: store.db,
    espm,
    providerUsername: sim.provider.username,
    sendCost: false,
    now: () => now,
  };
  try {
    const t = Date.now();
    await seedSimulator(sim, n);
    await seedCustomers(store, n);
    await importBilling(
      store,
      dir,
      n,
      Array.from({ length: 25 }, (_, m) => m),
      FIRST_MONTH,
    );
    out(
      `  [${variant}] seeded ${fmt(n)} shares and ${fmt(n * 25)} billing rows in ${seconds(Date.now() - t)}`,
    );
    sim.setFaults({ latencyMs: LATENCY_MS, rateLimitPerSecond: RATE, rateLimitBurst: RATE });
    // Minimum: one page each of notifications, pending connections and pending property shares, every
    // page of pending meter shares, one answer per share, one read and one POST per meter.
    const pages = Math.max(1, Math.ceil(n / PAGE));
    const initial = await phase(sim, ctx, variant, 3 + pages + 3 * n);
    if (!monthly) return { initial };
    sim.clearFaults();
    now = MONTHLY_AT;
    await importBilling(store, dir, n, [25], FIRST_MONTH);
    sim.setFaults({ latencyMs: LATENCY_MS, rateLimitPerSecond: RATE, rateLimitBurst: RATE });
    // Minimum: the four polls (notifications, three empty pending lists) and one POST per meter.
    return { initial, monthly: await phase(sim, ctx, variant, 4 + n) };
  } finally {
    await espm.close();
    await sim.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(label: string, r: PhaseResult): Record<string, unknown> {
  const floorMs = (r.minimum / RATE) * 1000;
  const ratio = r.wallMs / floorMs;
  const extra = (r.requests - r.minimum) / r.minimum;
  out(
    `  ${label.padEnd(34)} wall ${seconds(r.wallMs).padStart(8)}  floor ${seconds(floorMs).padStart(8)}  ratio ${ratio.toFixed(2)}` +
      `  requests ${fmt(r.requests)} / min ${fmt(r.minimum)} (${(extra * 100).toFixed(1)}% extra)  429s ${r.tooMany}`,
  );
  out(`    by route: ${JSON.stringify(r.byRoute)}`);
  out(`    by status: ${JSON.stringify(r.byStatus)}`);
  out(`    service wall times (ms): ${JSON.stringify(r.times)}`);
  out(`    summary: ${JSON.stringify(r.summary)}`);
  return {
    label,
    wallMs: r.wallMs,
    floorMs,
    ratio,
    requests: r.requests,
    minimum: r.minimum,
    extraPercent: extra * 100,
    tooMany: r.tooMany,
    byRoute: r.byRoute,
    times: r.times,
  };
}

out(
  `sync throughput: N=${fmt(N)} shares, rate ${RATE}/s, latency ${LATENCY_MS} ms, client concurrency ${CONCURRENCY}, ` +
    `store ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'}; ${machine()}`,
);
const results: Record<string, unknown>[] = [];
if (VARIANTS.includes('gateway')) {
  const r = await scenario('gateway', N, true);
  results.push(report(`gateway as shipped, initial sync`, r.initial));
  results.push(report(`gateway as shipped, monthly cycle`, r.monthly!));
}
if (VARIANTS.includes('tuned')) {
  const r = await scenario('tuned', N, true);
  results.push(report(`services with ${WORKERS} workers, initial`, r.initial));
  results.push(report(`services with ${WORKERS} workers, monthly`, r.monthly!));
}
if (VARIANTS.includes('ahead')) {
  const r = await scenario('ahead', N, true);
  results.push(report(`${WORKERS} workers + pages ahead, initial`, r.initial));
  results.push(report(`${WORKERS} workers + pages ahead, monthly`, r.monthly!));
}
if (VARIANTS.includes('serial')) {
  const r = await scenario('serial', SERIAL_N, true);
  results.push(report(`maxConcurrency 1, N=${SERIAL_N}, initial`, r.initial));
  results.push(report(`maxConcurrency 1, N=${SERIAL_N}, monthly`, r.monthly!));
  // The polls (notifications, pending connections and property shares) do not grow with N; the rest is
  // scaled linearly from SERIAL_N to N.
  const scaled = (p: PhaseResult): number => {
    const fixed = p.times.NotificationWatcher! + p.times.ConnectionManager! + p.times.PropertyShareManager!;
    return fixed + ((p.wallMs - fixed) / SERIAL_N) * N;
  };
  const [initial, monthly] = [scaled(r.initial), scaled(r.monthly!)];
  const floor = (minimum: number): number => (minimum / RATE) * 1000;
  out(
    `  maxConcurrency 1 extrapolated to N=${fmt(N)} (polls as measured, the rest linear in N from N=${SERIAL_N}): ` +
      `initial ≈ ${seconds(initial)} (ratio ${(initial / floor(3 + Math.ceil(N / PAGE) + 3 * N)).toFixed(2)}), ` +
      `monthly ≈ ${seconds(monthly)} (ratio ${(monthly / floor(4 + N)).toFixed(2)})`,
  );
  results.push({ label: `maxConcurrency 1 extrapolated to N=${N}`, initialMs: initial, monthlyMs: monthly });
}
saveJson({ n: N, rate: RATE, latencyMs: LATENCY_MS, concurrency: CONCURRENCY, workers: WORKERS, results });
