// Prometheus metrics, per process (each instance is scraped on its own /metrics). Counters are fed by
// the channels of events.ts: the ESPM client's attempts, the gateway log's lines and the service runs;
// the gauges that read the store or the job engine are computed at scrape time from the sources set
// by the HTTP server (setMetricSources).
import type { AttemptRecord } from '@gaz-espm/espm';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LogLine } from '../log/gateway-event.ts';
import { eventStatus, outcomeCode } from '../log/gateway-event.ts';
import type { Database } from '../store/schema.ts';
import { LINK_STATUSES } from '../vocabulary/link-statuses.ts';
import type { ConsumptionSent, ServiceRun } from './events.ts';
import { consumptionSent, espmAttempts, logLines, serviceRuns } from './events.ts';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'gateway_' });

const espmRequests = new Counter({
  name: 'gateway_espm_requests_total',
  help: 'HTTP attempts to ESPM, by method, route template and outcome (ok or the error kind)',
  labelNames: ['method', 'route', 'outcome'] as const,
  registers: [registry],
});
const espmDuration = new Histogram({
  name: 'gateway_espm_request_duration_seconds',
  help: 'Time of one HTTP attempt to ESPM, without the wait in the request limiter',
  labelNames: ['method', 'route', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});
const espmRateLimited = new Counter({
  name: 'gateway_espm_rate_limited_total',
  help: 'Answers HTTP 429 (too many requests) received from ESPM',
  registers: [registry],
});
const limiterWait = new Histogram({
  name: 'gateway_espm_limiter_wait_seconds',
  help: 'Time a call waited in the request limiter (rate, concurrency, a 429 pause) before being sent',
  buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});
const espmLastCall = new Gauge({
  name: 'gateway_espm_last_call_timestamp_seconds',
  help: 'When this process last had an answer (or a failure) from ESPM, by outcome ok or error',
  labelNames: ['result'] as const,
  registers: [registry],
});
const logLinesTotal = new Counter({
  name: 'gateway_log_lines_total',
  help: 'Lines written to the gateway log, by service, outcome code and status',
  labelNames: ['service', 'outcome', 'status'] as const,
  registers: [registry],
});
const decisions = new Counter({
  name: 'gateway_share_decisions_total',
  help: 'Meter share decisions answered to ESPM, by outcome (accepted, rejected) and rule of the rejection',
  labelNames: ['outcome', 'rule'] as const,
  registers: [registry],
});
const revocations = new Counter({
  name: 'gateway_link_revocations_total',
  help: 'Meter links revoked, by reason',
  labelNames: ['reason'] as const,
  registers: [registry],
});
const entries = new Counter({
  name: 'gateway_consumption_entries_total',
  help: 'Consumption entries written to ESPM by the ConsumptionUpdater, by operation (created, updated, deleted, adopted)',
  labelNames: ['operation'] as const,
  registers: [registry],
});
const conflicts = new Counter({
  name: 'gateway_consumption_conflicts_total',
  help: 'Periods found in conflict with the customer’s own entries by the ConsumptionUpdater',
  registers: [registry],
});
const serviceRunsTotal = new Counter({
  name: 'gateway_service_runs_total',
  help: 'Service runs, by service and result (ok, error)',
  labelNames: ['service', 'result'] as const,
  registers: [registry],
});
const serviceDuration = new Histogram({
  name: 'gateway_service_run_duration_seconds',
  help: 'Duration of a service run',
  labelNames: ['service'] as const,
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  registers: [registry],
});
const HOUR = 3600;
export const billingLag = new Histogram({
  name: 'gateway_billing_to_espm_lag_seconds',
  help: 'Time from a period being billed (created or last corrected) to its entry being sent to ESPM',
  buckets: [
    60,
    300,
    900,
    HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    24 * HOUR,
    48 * HOUR,
    72 * HOUR,
    168 * HOUR,
    720 * HOUR,
  ],
  registers: [registry],
});

/** What the scrape-time gauges read: set by the HTTP server. */
export interface MetricSources {
  db?: Kysely<Database>;
  queueSizes?: () => Promise<Record<string, number>>;
}
let sources: MetricSources = {};
export function setMetricSources(s: MetricSources): void {
  sources = s;
}

new Gauge({
  name: 'gateway_job_queue_depth',
  help: 'Jobs waiting in each job queue (pg-boss), read at scrape time',
  labelNames: ['queue'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!sources.queueSizes) return;
    try {
      for (const [queue, size] of Object.entries(await sources.queueSizes())) this.set({ queue }, size);
    } catch {
      // the job engine is stopping or unreachable: /readyz says so, the scrape still answers
    }
  },
});

const LINKS_CACHE_MS = 5000;
let linksCache: { at: number; db: Kysely<Database>; counts: Map<string, number> } | undefined;
new Gauge({
  name: 'gateway_meter_links',
  help: 'Meter links by status (a grouped count, cached 5 s)',
  labelNames: ['status'] as const,
  registers: [registry],
  async collect() {
    const db = sources.db;
    if (!db) return;
    if (!linksCache || linksCache.db !== db || Date.now() - linksCache.at > LINKS_CACHE_MS) {
      try {
        const rows = await db
          .selectFrom('meter_link')
          .select(['status', sql<string>`count(*)`.as('n')])
          .groupBy('status')
          .execute();
        linksCache = { at: Date.now(), db, counts: new Map(rows.map((r) => [r.status, Number(r.n)])) };
      } catch {
        return;
      }
    }
    for (const status of LINK_STATUSES) this.set({ status }, linksCache.counts.get(status) ?? 0);
  },
});

export function observeAttempt(a: AttemptRecord): void {
  const labels = { method: a.method, route: a.route, outcome: a.outcome };
  espmRequests.inc(labels);
  const waited = a.waitedMs ?? 0;
  espmDuration.observe(labels, Math.max(0, a.durationMs - waited) / 1000);
  if (a.waitedMs !== undefined) limiterWait.observe(a.waitedMs / 1000);
  if (a.status === 429) espmRateLimited.inc();
  espmLastCall.set({ result: a.outcome === 'ok' ? 'ok' : 'error' }, Date.now() / 1000);
}

export function observeLogLine(line: LogLine): void {
  const { event } = line;
  logLinesTotal.inc({ service: line.service, outcome: outcomeCode(event), status: eventStatus(event) });
  if (line.service === 'MeterConnectionManager') {
    if (event.kind === 'accepted') decisions.inc({ outcome: 'accepted', rule: '' });
    else if (event.kind === 'rejected') decisions.inc({ outcome: 'rejected', rule: event.rule });
  }
  if (event.kind === 'revoked') revocations.inc({ reason: event.reason });
}

export function observeServiceRun(run: ServiceRun): void {
  serviceRunsTotal.inc({ service: run.service, result: run.ok ? 'ok' : 'error' });
  serviceDuration.observe({ service: run.service }, run.durationMs / 1000);
  if (run.service === 'ConsumptionUpdater' && run.summary) {
    const s = run.summary as Partial<Record<string, number>>;
    for (const operation of ['created', 'updated', 'deleted', 'adopted']) {
      const n = s[operation];
      if (typeof n === 'number' && n > 0) entries.inc({ operation }, n);
    }
    if (typeof s.conflicts === 'number' && s.conflicts > 0) conflicts.inc(s.conflicts);
  }
}

/** The lag from billing to ESPM of the entries one link's sync wrote. */
export function observeConsumptionSent(sent: ConsumptionSent): void {
  for (const billed of sent.billedAt) {
    billingLag.observe(Math.max(0, sent.sentAt.getTime() - billed.getTime()) / 1000);
  }
}

espmAttempts.on(observeAttempt);
logLines.on(observeLogLine);
serviceRuns.on(observeServiceRun);
consumptionSent.on(observeConsumptionSent);

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
