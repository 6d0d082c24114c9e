// What the aggregate meter may show of a building's month, given every value already written for it:
// a pure decision (docs/buildings.md, "The guarantee").
//
// Whoever holds the aggregate meter sees every value written, in order, forever. A month is written
// once, when settled and passing the rule. A later change is written (in place) only if, against every
// value written before, the customers whose part moved pass the rule themselves: then no difference of
// two values isolates anyone. With three values of a month, every combination of them is a multiple of
// the sum or reduces to such a difference; a fourth could combine alternating changes (a, b, a, b)
// into one customer's, even with each pair passing, so a month is written three times at most.
import type { BuildingMonth, WithheldReason } from './building-months.ts';
import type { RevisionWithheldReason } from '../vocabulary/gateway-events.ts';
import type { Contribution, PrivacyRule } from './privacy-rule.ts';
import { checkChange, checkPrivacy } from './privacy-rule.ts';

/** The first value and two revisions; see above for why not more. */
export const MAX_VALUES_PER_MONTH = 3;

/** A value written for a month, with each customer's part of it. */
export interface Release {
  volumeM3: string;
  estimated: boolean;
  byCustomer: ReadonlyMap<string, Contribution>;
}

/** revision-limit: the month has been written MAX_VALUES_PER_MONTH times already. */
export type { RevisionWithheldReason } from '../vocabulary/gateway-events.ts';

export type MonthRelease =
  /** Never written, and not now: nothing of it reaches ESPM. */
  | { kind: 'withheld'; reason: WithheldReason }
  /** Written now for the first time. */
  | { kind: 'first' }
  /** Written before; what ESPM holds stands (unchanged, or the month is incomplete for now). */
  | { kind: 'written' }
  /** Written before; its new value is written in place. */
  | { kind: 'revised' }
  /** Written before; its total has changed, but the change may not be seen: ESPM keeps the old value. */
  | { kind: 'revision-withheld'; reason: RevisionWithheldReason };

export function decideRelease(
  month: BuildingMonth,
  written: readonly Release[],
  rule: PrivacyRule,
): MonthRelease {
  const last = written.at(-1);
  if (!last) return month.withheld ? { kind: 'withheld', reason: month.withheld } : { kind: 'first' };
  // A month that became incomplete (a meter's bill missing, a cancellation not yet re-billed) keeps its
  // value: taking it back, then writing it again, would show the difference all the same.
  if (!month.complete) return { kind: 'written' };
  if (month.volumeM3 === last.volumeM3 && month.estimated === last.estimated) return { kind: 'written' };
  if (written.length >= MAX_VALUES_PER_MONTH) return { kind: 'revision-withheld', reason: 'revision-limit' };
  const failure =
    checkPrivacy(month.byCustomer, rule) ??
    written
      .filter((r) => r.volumeM3 !== month.volumeM3)
      .map((r) => checkChange(r.byCustomer, month.byCustomer, rule))
      .find((f) => f !== undefined);
  return failure ? { kind: 'revision-withheld', reason: failure } : { kind: 'revised' };
}
