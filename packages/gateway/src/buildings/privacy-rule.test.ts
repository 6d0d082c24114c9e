import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fraction } from './decimal-fraction.ts';
import type { Fraction } from './decimal-fraction.ts';
import { DEFAULT_PRIVACY_RULE, checkPrivacy } from './privacy-rule.ts';

function month(shares: number[]): [Fraction, Map<string, Fraction>] {
  const byAccount = new Map(shares.map((s, i) => [`acc${i}`, fraction(BigInt(s), 1n)]));
  return [fraction(BigInt(shares.reduce((a, b) => a + b, 0)), 1n), byAccount];
}

describe('the privacy rule (defaults: 5 accounts, none above 80 %)', () => {
  it('passes a month of five accounts none of which dominates', () => {
    assert.equal(checkPrivacy(...month([10, 10, 10, 10, 60]), DEFAULT_PRIVACY_RULE), undefined);
  });

  it('withholds a month of four accounts, counting only those with consumption', () => {
    assert.equal(checkPrivacy(...month([10, 10, 10, 10]), DEFAULT_PRIVACY_RULE), 'too-few-accounts');
    assert.equal(checkPrivacy(...month([10, 10, 10, 10, 0]), DEFAULT_PRIVACY_RULE), 'too-few-accounts');
  });

  it('withholds a month where one account is above 80 %, and passes one at exactly 80 %', () => {
    assert.equal(
      checkPrivacy(...month([1, 1, 1, 1, 81]), { minAccounts: 5, maxAccountPercent: 96 }),
      undefined,
    );
    assert.equal(checkPrivacy(...month([5, 5, 5, 5, 81]), DEFAULT_PRIVACY_RULE), 'dominant-account');
    assert.equal(checkPrivacy(...month([5, 5, 5, 5, 80]), DEFAULT_PRIVACY_RULE), undefined);
  });
});
