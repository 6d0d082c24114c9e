// Each month of a building as the operators see it and the sync sends it: the prorated total, how
// many accounts and meters stand behind it, and whether it may leave the utility (complete, and
// passing the privacy rule) or is withheld, with the reason. Pure.
import { roundedCubicMetres } from './decimal-fraction.ts';
import type { BuildingPeriod } from './monthly-totals.ts';
import { monthlyTotals } from './monthly-totals.ts';
import type { PrivacyRule } from './privacy-rule.ts';
import { accountsWithConsumption, checkPrivacy } from './privacy-rule.ts';

/** incomplete: a meter's bill for part of the month has not come (yet); the others: privacy-rule.ts. */
export type WithheldReason = 'incomplete' | 'too-few-accounts' | 'dominant-account';

export interface BuildingMonth {
  month: string;
  end: string;
  /** m³, 3 decimals, rounded half up once from the exact prorated sum. */
  volumeM3: string;
  accounts: number;
  meters: number;
  estimated: boolean;
  withheld: WithheldReason | null;
}

export function buildingMonths(periods: BuildingPeriod[], today: string, rule: PrivacyRule): BuildingMonth[] {
  return monthlyTotals(periods, today).map((t) => ({
    month: t.month,
    end: t.end,
    volumeM3: roundedCubicMetres(t.litres),
    accounts: accountsWithConsumption(t.byAccount),
    meters: t.meters,
    estimated: t.estimated,
    withheld: t.complete ? (checkPrivacy(t.litres, t.byAccount, rule) ?? null) : 'incomplete',
  }));
}
