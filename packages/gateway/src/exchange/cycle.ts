// One pass of every service, in the order that keeps data safe: removals of access are known before
// anything is sent, and decisions are made before consumption is sent for them.
import { isEspmError } from '@gaz-espm/espm';
import type { ServiceName } from '../log/gateway-event.ts';
import { errorEvent } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import { observed } from '../observability/service-runs.ts';
import type { ExchangeContext } from './context.ts';
import { acceptPendingConnections } from './connections.ts';
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

const STEPS: Array<[ServiceName, (ctx: ExchangeContext) => Promise<object>]> = [
  // One process at a time across instances (a service lease, see leases.ts); consumption leases each link.
  ['NotificationWatcher', exclusive('NotificationWatcher', watchNotifications)],
  ['ConnectionManager', exclusive('ConnectionManager', acceptPendingConnections)],
  ['PropertyShareManager', exclusive('PropertyShareManager', acceptPendingPropertyShares)],
  ['MeterConnectionManager', exclusive('MeterConnectionManager', (ctx) => decidePendingMeterShares(ctx))],
  ['ConsumptionUpdater', (ctx) => updateConsumption(ctx)],
];

export async function runCycle(ctx: ExchangeContext, only?: readonly ServiceName[]): Promise<CycleReport> {
  const report: CycleReport = { services: [] };
  for (const [service, run] of STEPS) {
    if (only && !only.includes(service)) continue;
    try {
      report.services.push({ service, ok: true, summary: await observed(ctx, service, run) });
    } catch (e) {
      const message = (e as Error).message;
      report.services.push({ service, ok: false, error: message });
      await writeLog(ctx.db, { service, event: errorEvent(e) });
      if (isEspmError(e) && (e.kind === 'unauthorized' || e.kind === 'network')) {
        report.fatal = message;
        break;
      }
    }
  }
  return report;
}
