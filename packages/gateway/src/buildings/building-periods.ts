// A building's billing and months as the store holds them: reads the billed periods of its premises,
// computes its months (building-months.ts), decides what the aggregate meter may show of each against
// the values already written (month-release.ts, building-releases.ts) and records the months for the
// operators, the only writer of building_month. It knows no destination: the consumption side reads
// the values released here (exchange/building-entries.ts).
import type { Kysely } from 'kysely';
import { writeLog } from '../log/gateway-log.ts';
import type { Database } from '../store/schema.ts';
import { inTransaction } from '../store/transaction.ts';
import type { BuildingMonth } from './building-months.ts';
import { buildingMonths } from './building-months.ts';
import { recordRelease, releasesOf } from './building-releases.ts';
import type { MonthRelease, Release } from './month-release.ts';
import { decideRelease } from './month-release.ts';
import type { BuildingPeriod } from './monthly-totals.ts';
import { DEFAULT_PRIVACY_RULE } from './privacy-rule.ts';
import type { PrivacyRule } from './privacy-rule.ts';

/**
 * The periods whose premise is in the building. A cancelled period counts as billed with no
 * consumption: its days are accounted for, so cancelling a tenant's bill changes the month's total
 * (judged as a revision, month-release.ts) instead of leaving it waiting for a bill that will not come.
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
      'p.customer_id',
      'b.owner_held',
      'b.from_month',
      'b.until_month',
    ])
    .where('b.building_id', '=', buildingId)
    .orderBy('p.meter_number')
    .orderBy('p.period_start')
    .execute();
  return rows.map((r) => ({
    meterNumber: r.meter_number,
    accountNumber: r.account_number,
    customerId: r.customer_id,
    ownerHeld: r.owner_held,
    fromMonth: r.from_month,
    untilMonth: r.until_month,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    volumeM3: r.status === 'billed' ? r.volume_m3 : '0',
    estimated: r.status === 'billed' && r.estimated,
  }));
}

/** The rule configured (GATEWAY_PRIVACY_*), else the default. */
export function privacyRuleOf(ctx: { privacy?: PrivacyRule | undefined }): PrivacyRule {
  return ctx.privacy ?? DEFAULT_PRIVACY_RULE;
}

/** A month as computed now, what may be shown of it, and the value ESPM is to hold after this. */
export interface MonthStanding {
  month: BuildingMonth;
  release: MonthRelease;
  /** The last value released, this one included; undefined while the month was never written. */
  written: Release | undefined;
}

/**
 * Computes the building's months as of `at`, decides each against the values written before and
 * records them for the operators. With `release`, the values decided are recorded as written (the
 * sync writes them next); without, nothing is released (a preview: the console, a share's decision).
 * Serialized per building, so two links of one building never decide the same month twice.
 */
export async function refreshBuildingMonths(
  db: Kysely<Database>,
  buildingId: string,
  rule: PrivacyRule,
  at: Date,
  { release }: { release: boolean },
): Promise<MonthStanding[]> {
  return inTransaction(db, async (tx) => {
    await tx
      .selectFrom('building')
      .select('building_id')
      .where('building_id', '=', buildingId)
      .forUpdate()
      .executeTakeFirst();
    const months = buildingMonths(await buildingPeriods(tx, buildingId), at.toISOString().slice(0, 10), rule);
    const releases = await releasesOf(tx, buildingId);
    const before = new Map(
      (
        await tx
          .selectFrom('building_month')
          .select(['month', 'revision_withheld'])
          .where('building_id', '=', buildingId)
          .execute()
      ).map((r) => [r.month, r.revision_withheld]),
    );
    const standings: MonthStanding[] = [];
    for (const month of months) {
      const written = releases.get(month.month) ?? [];
      const decision = decideRelease(month, written, rule);
      const fresh = decision.kind === 'first' || decision.kind === 'revised';
      const value: Release | undefined = fresh
        ? { volumeM3: month.volumeM3, estimated: month.estimated, byCustomer: month.byCustomer }
        : written.at(-1);
      if (release && fresh) {
        await recordRelease(tx, buildingId, month.month, written.length, value!, at);
        if (decision.kind === 'revised') {
          await writeLog(tx, {
            service: 'ConsumptionUpdater',
            subject: buildingId,
            event: { kind: 'revision-released', month: month.month },
          });
        }
      }
      if (decision.kind === 'revision-withheld' && before.get(month.month) !== decision.reason) {
        await writeLog(tx, {
          service: 'ConsumptionUpdater',
          subject: buildingId,
          event: { kind: 'revision-withheld', month: month.month, reason: decision.reason },
        });
      }
      standings.push({ month, release: decision, written: value });
    }
    await tx.deleteFrom('building_month').where('building_id', '=', buildingId).execute();
    if (standings.length > 0) {
      await tx
        .insertInto('building_month')
        .values(
          standings.map(({ month: m, release: r, written: w }) => ({
            building_id: buildingId,
            month: m.month,
            state: m.withheld ? ('withheld' as const) : ('sendable' as const),
            reason: m.withheld,
            volume_m3: m.volumeM3,
            customers: m.customers,
            meters: m.meters,
            computed_at: at,
            written_m3: w?.volumeM3 ?? null,
            revision_withheld: r.kind === 'revision-withheld' ? r.reason : null,
          })),
        )
        .execute();
    }
    return standings;
  });
}
