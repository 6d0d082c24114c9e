// Consumption entries already sent: the guide's 23 periods (2023-04-19, as in the guide's screenshots)
// and the conflict meter's first six, sent before the customer entered overlapping bills.
import { GUIDE, GUIDE_PERIODS } from '../guide-example.ts';
import type { SeedContext, SeedLinks } from './context.ts';
import { CONFLICT_PERIODS, GUIDE_SENT_AT, UNIT, hours } from './context.ts';

export async function seedEntries(ctx: SeedContext, links: SeedLinks): Promise<void> {
  const { db, now } = ctx;
  const { guideLink, conflictLink } = links;
  await db
    .insertInto('consumption_entry')
    .values(
      GUIDE_PERIODS.map(([s, en, m3], i) => ({
        link_id: guideLink,
        meter_number: GUIDE.meterNumber,
        period_start: s,
        period_end: en,
        espm_entry_id: String(91000001 + i),
        state: 'sent' as const,
        operation: null,
        usage: String(m3),
        unit_of_measure: UNIT,
        volume_m3: String(m3),
        estimated: i + 1 === 12,
        rng_percent: i >= 20 ? '5.00' : null,
        cost: null,
        billing_revision: 1,
        sent_at: GUIDE_SENT_AT,
        updated_at: GUIDE_SENT_AT,
      })),
    )
    .execute();
  // The conflict meter's first six periods were sent before the customer entered overlapping bills.
  await db
    .insertInto('consumption_entry')
    .values(
      CONFLICT_PERIODS.slice(0, 6).map(([s, en], i) => ({
        link_id: conflictLink,
        meter_number: 'ABC1234567',
        period_start: s,
        period_end: en,
        espm_entry_id: String(92000001 + i),
        state: 'sent' as const,
        operation: null,
        usage: String(410 + i * 17),
        unit_of_measure: UNIT,
        volume_m3: String(410 + i * 17),
        estimated: false,
        rng_percent: null,
        cost: null,
        billing_revision: 1,
        sent_at: hours(now, 20),
        updated_at: hours(now, 20),
      })),
    )
    .execute();
}
