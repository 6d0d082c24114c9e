// The one hook runCycle calls around each service: times the run and reports it (events.ts) to the
// metrics, the structured log and the alerts.
import { isEspmError } from '@gaz-espm/espm';
import type { ExchangeContext } from '../exchange/context.ts';
import type { ServiceRun } from './events.ts';
import { serviceRuns } from './events.ts';

export async function observed<T extends object>(
  ctx: ExchangeContext,
  service: string,
  run: (ctx: ExchangeContext) => Promise<T>,
): Promise<T> {
  const startedAt = new Date();
  let summary: T;
  try {
    summary = await run(ctx);
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
