// The home page's reads: what each service did last and what needs an operator's eye this week.
import { CURRENT_STATUSES } from '../../exchange/link-state.ts';
import { lockedOutAccounts } from '../../exchange/lockout.ts';
import { SERVICES } from '../../log/gateway-event.ts';
import type { GatewayEvent, ServiceName } from '../../log/gateway-event.ts';
import type { StatusCountCache } from './meters.ts';
import type { Db } from './paging.ts';

export interface ServiceActivity {
  service: ServiceName;
  at: Date | null;
  status: string | null;
  event: GatewayEvent | null;
  subject: string | null;
}

/** The latest log line of each service (one index lookup per service). */
export async function lastServiceActivity(db: Db): Promise<ServiceActivity[]> {
  return Promise.all(
    SERVICES.map(async (service) => {
      const row = await db
        .selectFrom('gateway_log')
        .select(['at', 'status', 'event', 'subject'])
        .where('service', '=', service)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return {
        service,
        at: row?.at ?? null,
        status: row?.status ?? null,
        event: row?.event ?? null,
        subject: row?.subject ?? null,
      };
    }),
  );
}

function lastImportWith(db: Db, statuses: Array<'done' | 'running' | 'failed'>) {
  return db
    .selectFrom('billing_import')
    .selectAll()
    .where('status', 'in', statuses)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function homeData(db: Db, now: Date, cache: StatusCountCache) {
  const weekAgo = new Date(now.getTime() - 7 * 24 * 3600_000);
  const [connected, counts, lockouts, services, errors, conflicts, notices, lastImport, lastFailure, latest] =
    await Promise.all([
      db
        .selectFrom('espm_customer')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('connection_status', '=', 'connected')
        .executeTakeFirstOrThrow(),
      cache.get(db),
      lockedOutAccounts(db, now),
      lastServiceActivity(db),
      db
        .selectFrom('gateway_log')
        .selectAll()
        .where('status', '=', 'error')
        .where('at', '>', weekAgo)
        .orderBy('id', 'desc')
        .limit(8)
        .execute(),
      db
        .selectFrom('meter_link')
        .select(['id', 'espm_meter_id', 'espm_username', 'account_number', 'meter_number'])
        .where('status', '=', 'conflict')
        .orderBy('id', 'desc')
        .limit(8)
        .execute(),
      db
        .selectFrom('meter_link')
        .select(['id', 'espm_meter_id', 'espm_username', 'notice', 'status'])
        .where('notice', 'is not', null)
        .where('status', 'in', CURRENT_STATUSES)
        .orderBy('id', 'desc')
        .limit(8)
        .execute(),
      lastImportWith(db, ['done', 'running']),
      lastImportWith(db, ['failed']),
      db
        .selectFrom('billing_period')
        .select((eb) => eb.fn.max('period_end').as('end'))
        .where('status', '=', 'billed')
        .executeTakeFirst(),
    ]);
  return {
    now,
    connectedCustomers: Number(connected.n),
    statusCounts: counts,
    lockedOut: lockouts.length,
    services,
    recentErrors: errors,
    conflicts,
    notices,
    /** The latest import that stored its rows (or is storing them). */
    lastImport,
    lastFailure,
    latestPeriodEnd: (latest?.end as string | null | undefined) ?? null,
  };
}
