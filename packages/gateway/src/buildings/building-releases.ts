// The values written for a building's months, as the store holds them: the only writer of
// building_release (schema.ts says what a release is; month-release.ts how the next one is decided).
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { fractionText, parseFraction } from './decimal-fraction.ts';
import type { Release } from './month-release.ts';
import type { Contribution } from './privacy-rule.ts';

/** Every value written for each of the building's months, oldest first. */
export async function releasesOf(db: Kysely<Database>, buildingId: string): Promise<Map<string, Release[]>> {
  const rows = await db
    .selectFrom('building_release')
    .select(['month', 'volume_m3', 'estimated', 'contributions'])
    .where('building_id', '=', buildingId)
    .orderBy('month')
    .orderBy('seq')
    .execute();
  const byMonth = new Map<string, Release[]>();
  for (const r of rows) {
    const list = byMonth.get(r.month) ?? [];
    list.push({
      volumeM3: r.volume_m3,
      estimated: r.estimated,
      byCustomer: new Map(
        r.contributions.map((c) => [c.customer, { litres: parseFraction(c.litres), counts: c.counts }]),
      ),
    });
    byMonth.set(r.month, list);
  }
  return byMonth;
}

export async function recordRelease(
  db: Kysely<Database>,
  buildingId: string,
  month: string,
  seq: number,
  release: Release,
  at: Date,
): Promise<void> {
  const contributions = [...release.byCustomer].map(([customer, c]: [string, Contribution]) => ({
    customer,
    litres: fractionText(c.litres),
    counts: c.counts,
  }));
  await db
    .insertInto('building_release')
    .values({
      building_id: buildingId,
      month,
      seq,
      volume_m3: release.volumeM3,
      estimated: release.estimated,
      contributions: JSON.stringify(contributions),
      released_at: at,
    })
    .execute();
}
