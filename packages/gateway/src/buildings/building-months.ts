// Each month of a building as the operators see it and the sync considers it: the prorated total, how
// many customers and meters stand behind it, and whether it may be written for the first time
// (settled, and passing the privacy rule) or is withheld, with the reason. Pure.
import { roundedCubicMetres } from './decimal-fraction.ts';
import type { BuildingPeriod } from './monthly-totals.ts';
import { dayNumber, monthlyTotals } from './monthly-totals.ts';
import type { Contribution, PrivacyFailure, PrivacyRule } from './privacy-rule.ts';
import { checkPrivacy, countingCustomers } from './privacy-rule.ts';

/**
 * incomplete: a meter's bill for part of the month has not come (yet); unsettled: complete, but the
 * settlement delay since its end has not passed; the others: privacy-rule.ts.
 */
export type WithheldReason = 'incomplete' | 'unsettled' | PrivacyFailure;

export interface BuildingMonth {
  month: string;
  end: string;
  /** m³, 3 decimals, rounded half up once from the exact prorated sum. */
  volumeM3: string;
  /** Customers that count toward the rule and had consumption in the month. */
  customers: number;
  meters: number;
  estimated: boolean;
  /** Whether every meter known in the building is billed through the month's end. */
  complete: boolean;
  withheld: WithheldReason | null;
  /** Each customer's part: what a release records and a revision is judged by; never sent. */
  byCustomer: Map<string, Contribution>;
}

export function buildingMonths(periods: BuildingPeriod[], today: string, rule: PrivacyRule): BuildingMonth[] {
  return monthlyTotals(periods, today).map((t) => {
    const settled = dayNumber(today) - dayNumber(t.end) > rule.settlementDays;
    return {
      month: t.month,
      end: t.end,
      volumeM3: roundedCubicMetres(t.litres),
      customers: countingCustomers(t.byCustomer),
      meters: t.meters,
      estimated: t.estimated,
      complete: t.complete,
      withheld: !t.complete
        ? 'incomplete'
        : (checkPrivacy(t.byCustomer, rule) ?? (settled ? null : 'unsettled')),
      byCustomer: t.byCustomer,
    };
  });
}
