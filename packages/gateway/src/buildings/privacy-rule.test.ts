import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fraction } from './decimal-fraction.ts';
import type { Contribution } from './privacy-rule.ts';
import { DEFAULT_PRIVACY_RULE, checkChange, checkPrivacy } from './privacy-rule.ts';

function month(shares: number[], counts = shares.map(() => true)): Map<string, Contribution> {
  return new Map(shares.map((s, i) => [`c${i}`, { litres: fraction(BigInt(s), 1n), counts: counts[i]! }]));
}

describe('the privacy rule (defaults: 5 customers, none above 80 %)', () => {
  it('passes a month of five customers none of which dominates', () => {
    assert.equal(checkPrivacy(month([10, 10, 10, 10, 60]), DEFAULT_PRIVACY_RULE), undefined);
  });

  it('withholds a month of four customers, counting only those with consumption that count', () => {
    assert.equal(checkPrivacy(month([10, 10, 10, 10]), DEFAULT_PRIVACY_RULE), 'too-few-customers');
    assert.equal(checkPrivacy(month([10, 10, 10, 10, 0]), DEFAULT_PRIVACY_RULE), 'too-few-customers');
    // The owner's own account (or a one-day move-in) is no cover.
    assert.equal(
      checkPrivacy(month([10, 10, 10, 10, 90], [true, true, true, true, false]), DEFAULT_PRIVACY_RULE),
      'too-few-customers',
    );
  });

  it('withholds a month where one customer is above 80 %, and passes one at exactly 80 %', () => {
    assert.equal(
      checkPrivacy(month([1, 1, 1, 1, 81]), { ...DEFAULT_PRIVACY_RULE, maxCustomerPercent: 96 }),
      undefined,
    );
    assert.equal(checkPrivacy(month([5, 5, 5, 5, 81]), DEFAULT_PRIVACY_RULE), 'dominant-customer');
    assert.equal(checkPrivacy(month([5, 5, 5, 5, 80]), DEFAULT_PRIVACY_RULE), undefined);
  });

  it('judges a change by the customers whose part moved, as it would a month', () => {
    const before = month([10, 20, 30, 40, 50, 60]);
    assert.equal(
      checkChange(before, month([10, 20, 30, 40, 50, 99]), DEFAULT_PRIVACY_RULE),
      'too-few-customers',
    );
    assert.equal(checkChange(before, month([11, 21, 31, 41, 51, 60]), DEFAULT_PRIVACY_RULE), undefined);
    // Five moved, but one of them by far the most.
    assert.equal(
      checkChange(before, month([11, 21, 31, 41, 90, 60]), DEFAULT_PRIVACY_RULE),
      'dominant-customer',
    );
  });
});
