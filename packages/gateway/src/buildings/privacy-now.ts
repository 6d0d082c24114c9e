// Whether a building could pass the privacy rule with its premises now, asked before a code is issued
// (console and CLI warn when it cannot: a share with the code would be refused). Reads only: the
// months a sync records are building-periods.ts's.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { buildingMonths } from './building-months.ts';
import { buildingPeriods } from './building-periods.ts';
import type { PrivacyRule } from './privacy-rule.ts';

/** Some month of the last twelve passes the rule, as the share's decision asks. */
export async function buildingPassesNow(
  db: Kysely<Database>,
  buildingId: string,
  rule: PrivacyRule,
  now: Date,
): Promise<boolean> {
  const months = buildingMonths(await buildingPeriods(db, buildingId), now.toISOString().slice(0, 10), rule);
  return months.slice(-12).some((m) => m.withheld === null);
}
