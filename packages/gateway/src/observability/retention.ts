// Data lifecycle: gateway log lines, handled ESPM notifications and the rejections of old billing
// imports are kept GATEWAY_LOG_RETENTION_DAYS (default 400: a benchmarking year and some), then pruned.
// The import rows themselves stay (one small row per import, which billed periods cite as provenance).
// Pruning is idempotent and in batches, so it may run on every instance.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../store/schema.ts';

export interface PruneReport {
  logLines: number;
  notifications: number;
  rejections: number;
}

const BATCH = 5000;

export async function pruneOldData(
  db: Kysely<Database>,
  days: number,
  now = new Date(),
): Promise<PruneReport> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const report: PruneReport = { logLines: 0, notifications: 0, rejections: 0 };
  report.logLines = await inBatches(() =>
    db
      .deleteFrom('gateway_log')
      .where('id', 'in', (eb) =>
        eb.selectFrom('gateway_log').select('id').where('at', '<', cutoff).limit(BATCH),
      )
      .executeTakeFirst(),
  );
  report.notifications = await inBatches(() =>
    db
      .deleteFrom('espm_notification')
      .where('notification_id', 'in', (eb) =>
        eb
          .selectFrom('espm_notification')
          .select('notification_id')
          .where('handled_at', 'is not', null)
          .where('handled_at', '<', cutoff)
          .limit(BATCH),
      )
      .executeTakeFirst(),
  );
  report.rejections = await inBatches(() =>
    db
      .deleteFrom('billing_import_rejection')
      .where(
        sql<boolean>`(import_id, line) in (
        select r.import_id, r.line from billing_import_rejection r join billing_import i on i.id = r.import_id
        where i.status <> 'running' and coalesce(i.finished_at, i.started_at) < ${cutoff} limit ${BATCH})`,
      )
      .executeTakeFirst(),
  );
  return report;
}

async function inBatches(run: () => Promise<{ numDeletedRows: bigint }>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = Number((await run()).numDeletedRows);
    total += n;
    if (n < BATCH) return total;
  }
}

/** Prunes shortly after the start, then every `everyMs` (default 6 h). */
export function startRetention(
  db: Kysely<Database>,
  days: number,
  log: FastifyBaseLogger,
  everyMs = 6 * 3_600_000,
): () => void {
  const run = (): void =>
    void pruneOldData(db, days).then(
      (r) => log.info({ event: 'retention', days, ...r }, 'old data pruned'),
      (e: unknown) => log.error({ event: 'retention', error: (e as Error).message }, 'pruning failed'),
    );
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
