// The one hook runCycle calls around each service: times the run and reports it (events.ts) to the
// metrics, the structured log and the alerts; after a ConsumptionUpdater run, observes the billing lag
// of the entries this run sent (the meters it logged as sent, found through the run's async context,
// so that runs on other instances or overlapping runs in this one are not counted twice).
import { AsyncLocalStorage } from 'node:async_hooks';
import { isEspmError } from '@gaz-espm/espm';
import type { ExchangeContext } from '../exchange/context.ts';
import type { ServiceRun } from './events.ts';
import { logLines, serviceRuns } from './events.ts';
import { observeBillingLag } from './metrics.ts';

const sentMeters = new AsyncLocalStorage<Set<string>>();
logLines.on((line) => {
  if (line.service === 'ConsumptionUpdater' && line.outcome === 'sent' && line.subject) {
    sentMeters.getStore()?.add(line.subject);
  }
});

export async function observed<T extends object>(
  ctx: ExchangeContext,
  service: string,
  run: (ctx: ExchangeContext) => Promise<T>,
): Promise<T> {
  const startedAt = new Date();
  const clockFrom = ctx.now();
  const meters = new Set<string>();
  let summary: T;
  try {
    summary = await sentMeters.run(meters, () => run(ctx));
  } catch (e) {
    serviceRuns.emit(
      runEvent(service, startedAt, {
        ok: false,
        error: (e as Error).message,
        ...(isEspmError(e) ? { espmKind: e.kind } : {}),
      }),
    );
    throw e;
  }
  if (meters.size > 0) {
    await observeBillingLag(ctx.db, [...meters], clockFrom, ctx.now()).catch(() => undefined);
  }
  serviceRuns.emit(runEvent(service, startedAt, { ok: true, summary }));
  return summary;
}

function runEvent(
  service: string,
  startedAt: Date,
  outcome: Pick<ServiceRun, 'ok' | 'summary' | 'error' | 'espmKind'>,
): ServiceRun {
  const finishedAt = new Date();
  return {
    service,
    ...outcome,
    startedAt,
    finishedAt,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
  };
}
