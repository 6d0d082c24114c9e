// A building's billing and months as the store holds them: reads the billed periods of its premises,
// computes its months (building-months.ts) and records them for the operators, the only writer of
// building_month. A building link's sync sends the months found sendable here, as consumption entries
// of calendar months (exchange/consumption/plan.ts compares them by content, having no revision).
import type { Kysely } from 'kysely';
import type { ExchangeContext } from '../exchange/context.ts';
import { isoDate } from '../exchange/context.ts';
import type { PlannedPeriod } from '../exchange/consumption/plan.ts';
import type { Database, MeterLink } from '../store/schema.ts';
import { inTransaction } from '../store/transaction.ts';
import type { BuildingMonth } from './building-months.ts';
import { buildingMonths } from './building-months.ts';
import type { BuildingPeriod } from './monthly-totals.ts';
import { DEFAULT_PRIVACY_RULE } from './privacy-rule.ts';
import type { PrivacyRule } from './privacy-rule.ts';

/**
 * The periods whose premise is in the building. A cancelled period counts as billed with no
 * consumption: its days are accounted for, so cancelling a tenant's bill recomputes the month (an
 * update in place) instead of leaving it waiting for a bill that will not come.
 */
export async function buildingPeriods(db: Kysely<Database>, buildingId: string): Promise<BuildingPeriod[]> {
  const rows = await db
    .selectFrom('billing_period as p')
    .innerJoin('building_premise as b', 'b.premise_id', 'p.premise_id')
    .select([
      'p.meter_number',
      'p.account_number',
      'p.period_start',
      'p.period_end',
      'p.volume_m3',
      'p.estimated',
      'p.status',
    ])
    .where('b.building_id', '=', buildingId)
    .orderBy('p.meter_number')
    .orderBy('p.period_start')
    .execute();
  return rows.map((r) => ({
    meterNumber: r.meter_number,
    accountNumber: r.account_number,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    volumeM3: r.status === 'billed' ? r.volume_m3 : '0',
    estimated: r.status === 'billed' && r.estimated,
  }));
}

export function privacyRuleOf(ctx: Pick<ExchangeContext, 'privacy'>): PrivacyRule {
  return ctx.privacy ?? DEFAULT_PRIVACY_RULE;
}

/** Computes the building's months as of `at` and records them, replacing what was recorded before. */
export async function refreshBuildingMonths(
  db: Kysely<Database>,
  buildingId: string,
  rule: PrivacyRule,
  at: Date,
): Promise<BuildingMonth[]> {
  const months = buildingMonths(await buildingPeriods(db, buildingId), isoDate(at), rule);
  await inTransaction(db, async (tx) => {
    await tx.deleteFrom('building_month').where('building_id', '=', buildingId).execute();
    if (months.length === 0) return;
    await tx
      .insertInto('building_month')
      .values(
        months.map((m) => ({
          building_id: buildingId,
          month: m.month,
          state: m.withheld ? ('withheld' as const) : ('sendable' as const),
          reason: m.withheld,
          volume_m3: m.volumeM3,
          accounts: m.accounts,
          meters: m.meters,
          computed_at: at,
        })),
      )
      .execute();
  });
  return months;
}

/**
 * What a building link sends: each sendable month as a billed period, each withheld one as a cancelled
 * period, so that a month sent before and withheld now (a correction took it below the threshold) is
 * taken back from ESPM.
 */
export async function monthsOfBuildingLink(
  ctx: ExchangeContext,
  link: Pick<MeterLink, 'building_id'>,
): Promise<PlannedPeriod[]> {
  const at = ctx.now();
  const months = await refreshBuildingMonths(ctx.db, link.building_id!, privacyRuleOf(ctx), at);
  return months.map((m) => ({
    meterNumber: null,
    periodStart: m.month,
    periodEnd: m.end,
    volumeM3: m.volumeM3,
    cost: null,
    estimated: m.estimated,
    rngPercent: null,
    status: m.withheld ? 'cancelled' : 'billed',
    revision: 0,
    billedAt: at,
  }));
}

/** Whether some month of the last twelve may be sent: a building below the threshold is not accepted. */
export async function buildingPassesPrivacy(ctx: ExchangeContext, buildingId: string): Promise<boolean> {
  const at = ctx.now();
  const months = await refreshBuildingMonths(ctx.db, buildingId, privacyRuleOf(ctx), at);
  return months.slice(-12).some((m) => m.withheld === null);
}
