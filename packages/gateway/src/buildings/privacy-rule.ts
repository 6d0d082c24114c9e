// Whether a building's month may leave the utility: a pure rule over the month's total and each
// account's share of it. The defaults and where they come from are in docs/buildings.md.
import type { Fraction } from './decimal-fraction.ts';
import { fraction, greater, isPositive } from './decimal-fraction.ts';

export interface PrivacyRule {
  /** At least this many distinct billing accounts had consumption in the month. */
  minAccounts: number;
  /** No single account made more than this share (percent) of the month's volume. */
  maxAccountPercent: number;
}

export const DEFAULT_PRIVACY_RULE: PrivacyRule = { minAccounts: 5, maxAccountPercent: 80 };

export type PrivacyFailure = 'too-few-accounts' | 'dominant-account';

/** Accounts with consumption in the month. */
export function accountsWithConsumption(byAccount: ReadonlyMap<string, Fraction>): number {
  let n = 0;
  for (const share of byAccount.values()) if (isPositive(share)) n++;
  return n;
}

export function checkPrivacy(
  total: Fraction,
  byAccount: ReadonlyMap<string, Fraction>,
  rule: PrivacyRule,
): PrivacyFailure | undefined {
  if (accountsWithConsumption(byAccount) < rule.minAccounts) return 'too-few-accounts';
  // share > P/100 × total, in exact fractions.
  const limit = fraction(total.num * BigInt(rule.maxAccountPercent), total.den * 100n);
  for (const share of byAccount.values()) if (greater(share, limit)) return 'dominant-account';
  return undefined;
}
