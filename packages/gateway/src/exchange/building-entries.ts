// A building link's entries: the consumption side reads what buildings/ released for each month and
// sends it as consumption entries of calendar months (consumption/plan.ts compares them by content,
// having no revision). Buildings are a source of periods and import nothing from exchange/.
import type { PlannedPeriod } from './consumption/plan.ts';
import type { ExchangeContext } from './context.ts';
import { privacyRuleOf, refreshBuildingMonths } from '../buildings/building-periods.ts';
import type { MeterLink } from '../store/schema.ts';

/**
 * What a building link sends: the value released for each month ever written, and nothing else. A
 * month is never taken back: a DELETE, then a later POST, would show the difference all the same.
 */
export async function monthsOfBuildingLink(
  ctx: ExchangeContext,
  link: Pick<MeterLink, 'building_id'>,
): Promise<PlannedPeriod[]> {
  const at = ctx.now();
  const standings = await refreshBuildingMonths(ctx.db, link.building_id!, privacyRuleOf(ctx), at, {
    release: true,
  });
  return standings.flatMap(({ month, written }) =>
    written
      ? [
          {
            meterNumber: null,
            periodStart: month.month,
            periodEnd: month.end,
            volumeM3: written.volumeM3,
            cost: null,
            estimated: written.estimated,
            rngPercent: null,
            status: 'billed' as const,
            revision: 0,
            billedAt: at,
          },
        ]
      : [],
  );
}

/** Whether some month of the last twelve passes the rule: a building below the threshold is not accepted. */
export async function buildingPassesPrivacy(ctx: ExchangeContext, buildingId: string): Promise<boolean> {
  const standings = await refreshBuildingMonths(ctx.db, buildingId, privacyRuleOf(ctx), ctx.now(), {
    release: false,
  });
  return standings.slice(-12).some(({ month }) => month.withheld === null || month.withheld === 'unsettled');
}
