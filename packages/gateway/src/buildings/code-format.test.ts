import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CODE_LENGTH, canonicalCode, codeHash, newAggregationCode } from './code-format.ts';

describe('aggregation codes', () => {
  it('are 16 characters of Crockford base32, 80 random bits, never the same twice', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newAggregationCode()));
    assert.equal(codes.size, 2000);
    for (const code of codes) {
      assert.match(code, /^[0-9A-HJKMNP-TV-Z]{16}$/);
      assert.equal(canonicalCode(code), code);
    }
    assert.equal(CODE_LENGTH * 5, 80);
  });

  it('are read as typed: any case, spaces and hyphens, I and L as 1, O as 0', () => {
    assert.equal(canonicalCode(' 7k3m-9qrt-ilo0 ab12 '), '7K3M9QRT1100AB12');
    assert.equal(canonicalCode('7K3M9QRT1100AB1'), undefined);
    assert.equal(canonicalCode('7K3M9QRT1100AB1U'), undefined);
  });

  it('are stored as a hash that does not show the code', () => {
    const hash = codeHash('7K3M9QRT1100AB12');
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.ok(!hash.toUpperCase().includes('7K3M'));
  });
});
