// Whether a building's month, or a change to a month already written, may leave the utility: a pure
// rule over each customer's contribution. The defaults and where they come from are in
// docs/buildings.md.
//
// Only customers that count stand behind a value: the owner's own accounts (owner_held) and accounts
// billed for less than half of the month are known to, or guessable by, whoever holds the aggregate
// meter, so they give no cover and are left out of both the count and the shares.
import type { Fraction } from './decimal-fraction.ts';
import { ZERO, add, fraction, greater, isPositive, subtract } from './decimal-fraction.ts';
import type { PrivacyFailure } from '../vocabulary/gateway-events.ts';
export type { PrivacyFailure } from '../vocabulary/gateway-events.ts';

export interface PrivacyRule {
  /** At least this many customers that count stand behind a value (or a change). */
  minCustomers: number;
  /** No single customer made more than this share (percent) of it. */
  maxCustomerPercent: number;
  /**
   * Days after a month's end before it is first written, its bills complete: bills arrive up to about
   * a month after their period, corrections soon after (docs/buildings.md).
   */
  settlementDays: number;
}

export const DEFAULT_PRIVACY_RULE: PrivacyRule = {
  minCustomers: 5,
  maxCustomerPercent: 80,
  settlementDays: 45,
};

/** One customer's part of a month: its prorated litres, and whether it counts toward the rule. */
export interface Contribution {
  litres: Fraction;
  counts: boolean;
}

function abs(a: Fraction): Fraction {
  return a.num < 0n ? { num: -a.num, den: a.den } : a;
}

/** The rule over magnitudes: enough of them positive, none above the share of their sum. */
function checkMagnitudes(magnitudes: Fraction[], rule: PrivacyRule): PrivacyFailure | undefined {
  const positive = magnitudes.filter(isPositive);
  if (positive.length < rule.minCustomers) return 'too-few-customers';
  const total = positive.reduce(add, ZERO);
  // share > P/100 × total, in exact fractions.
  const limit = fraction(total.num * BigInt(rule.maxCustomerPercent), total.den * 100n);
  return positive.some((m) => greater(m, limit)) ? 'dominant-customer' : undefined;
}

/** Customers that count and had consumption in the month. */
export function countingCustomers(byCustomer: ReadonlyMap<string, Contribution>): number {
  let n = 0;
  for (const c of byCustomer.values()) if (c.counts && isPositive(c.litres)) n++;
  return n;
}

/** Whether a month's value may be written: the customers that count pass on their own. */
export function checkPrivacy(
  byCustomer: ReadonlyMap<string, Contribution>,
  rule: PrivacyRule,
): PrivacyFailure | undefined {
  return checkMagnitudes(
    [...byCustomer.values()].filter((c) => c.counts).map((c) => c.litres),
    rule,
  );
}

/**
 * Whether going from one written value of a month to another may be seen: the difference of the two
 * is the sum of the changes of the customers whose contribution moved, so those changes (in absolute
 * value, among customers counting in either) must pass the rule as a month would.
 */
export function checkChange(
  before: ReadonlyMap<string, Contribution>,
  after: ReadonlyMap<string, Contribution>,
  rule: PrivacyRule,
): PrivacyFailure | undefined {
  const changes: Fraction[] = [];
  for (const customer of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(customer);
    const is = after.get(customer);
    if (!was?.counts && !is?.counts) continue;
    changes.push(abs(subtract(is?.litres ?? ZERO, was?.litres ?? ZERO)));
  }
  return checkMagnitudes(changes, rule);
}
