// Health, readiness and metrics endpoints:
// - GET /healthz: the process answers (no auth, no I/O);
// - GET /readyz: the store answers `select 1` and the job engine runs; 503 when not ready. Open to
//   anyone, it says nothing more (not the store's kind, not ESPM's calls: /metrics, behind its token,
//   has gateway_espm_last_call_timestamp_seconds);
// - GET /metrics: Prometheus text, per process, behind the bearer token GATEWAY_METRICS_TOKEN; without
//   one configured, /metrics refuses every request (403) and the start says so in the log.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Scheduler } from '../jobs/scheduler.ts';
import { metricsText, setMetricSources } from '../observability/metrics.ts';
import type { Store } from '../store/database.ts';

export interface OperabilityRoutesOptions {
  store: Store;
  scheduler: Scheduler;
  metricsToken: string | undefined;
}

export function operabilityRoutes(app: FastifyInstance, opts: OperabilityRoutesOptions): void {
  const queueSizes = opts.scheduler.queueSizes?.bind(opts.scheduler);
  setMetricSources({ db: opts.store.db, ...(queueSizes ? { queueSizes } : {}) });

  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn' }, async (req, reply) => {
    let store = 'ok';
    try {
      await sql`select 1`.execute(opts.store.db);
    } catch (e) {
      // the reason goes to the log, not to an unauthenticated answer
      req.log.error({ event: 'readyz', error: (e as Error).message }, 'store not usable');
      store = 'unavailable';
    }
    const running = opts.scheduler.isReady?.();
    const jobs = running === undefined ? 'unknown' : running ? 'running' : 'stopped';
    const ready = store === 'ok' && jobs !== 'stopped';
    const body = { status: ready ? 'ready' : 'not-ready', store, jobs };
    return reply.code(ready ? 200 : 503).send(body);
  });

  const expected = opts.metricsToken ? sha256(opts.metricsToken) : undefined;
  if (!expected) {
    app.log.warn(
      { event: 'metrics-disabled' },
      'GATEWAY_METRICS_TOKEN is not set: GET /metrics refuses every request',
    );
  }
  app.get('/metrics', { logLevel: 'warn' }, async (req, reply) => {
    if (!expected) {
      return reply.code(403).send({
        error: 'metrics-disabled',
        message: 'set GATEWAY_METRICS_TOKEN to scrape /metrics with Authorization: Bearer <token>',
      });
    }
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!m || !timingSafeEqual(sha256(m[1]!.trim()), expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
    }
    const { contentType, body } = await metricsText();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
