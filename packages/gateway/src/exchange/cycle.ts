// One pass of every service, in the order that keeps data safe: removals of access are known before
// anything is sent, and decisions are made before consumption is sent for them. Connections, property
// shares and meter shares are answered side by side: none waits for another (a share is decided whether
// its account is connected or not, and an answer that another one made for it is taken as done), and
// each reads its pending pages one after the other, which alone would leave the client idle between
// pages; side by side, one service's answers fill the time another waits for its next page.
import { isEspmError } from '@gaz-espm/espm';
import type { ServiceName } from '../log/gateway-event.ts';
import { errorEvent } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import { observed } from '../observability/service-runs.ts';
import type { ExchangeContext } from './context.ts';
import { acceptPendingConnections, recordContactsOfShares } from './connections.ts';
import { updateConsumption } from './consumption/consumption-updater.ts';
import { exclusive } from './leases.ts';
import { decidePendingMeterShares } from './meter-shares.ts';
import { watchNotifications } from './notifications.ts';
import { acceptPendingPropertyShares } from './property-shares.ts';

export interface CycleReport {
  services: Array<{ service: ServiceName; ok: boolean; summary?: object; error?: string }>;
  /** A failure that stops the whole cycle: ESPM unreachable or refusing the credentials. */
  fatal?: string;
}

type Step = [ServiceName, (ctx: ExchangeContext) => Promise<object>];

/** Stages in order; the steps of one stage run side by side. */
const STAGES: Step[][] = [
  // One process at a time across instances (a service lease, see leases.ts); consumption leases each link.
  [['NotificationWatcher', exclusive('NotificationWatcher', watchNotifications)]],
  [
    ['ConnectionManager', exclusive('ConnectionManager', acceptPendingConnections)],
    ['PropertyShareManager', exclusive('PropertyShareManager', acceptPendingPropertyShares)],
    ['MeterConnectionManager', exclusive('MeterConnectionManager', (ctx) => decidePendingMeterShares(ctx))],
  ],
  [['ConsumptionUpdater', (ctx) => updateConsumption(ctx)]],
];

type StepReport = CycleReport['services'][number] & { fatal?: string };

export async function runCycle(ctx: ExchangeContext, only?: readonly ServiceName[]): Promise<CycleReport> {
  const report: CycleReport = { services: [] };
  for (const stage of STAGES) {
    const steps = stage.filter(([service]) => !only || only.includes(service));
    const reports = await Promise.all(steps.map((step) => runStep(ctx, step)));
    for (const { fatal, ...service } of reports) {
      report.services.push(service);
      report.fatal ??= fatal;
    }
    if (report.fatal !== undefined) break;
    if (steps.some(([service]) => service === 'ConnectionManager')) {
      await recordContactsOfShares(ctx).catch((e: unknown) =>
        writeLog(ctx.db, { service: 'ConnectionManager', event: errorEvent(e) }),
      );
    }
  }
  return report;
}

async function runStep(ctx: ExchangeContext, [service, run]: Step): Promise<StepReport> {
  try {
    return { service, ok: true, summary: await observed(ctx, service, run) };
  } catch (e) {
    const message = (e as Error).message;
    await writeLog(ctx.db, { service, event: errorEvent(e) });
    // ESPM unreachable, refusing the credentials, down or refusing every call: no later stage can do better.
    const fatal = isEspmError(e) && (e.kind === 'unauthorized' || e.kind === 'network' || e.espmDown);
    return { service, ok: false, error: message, ...(fatal ? { fatal: message } : {}) };
  }
}
