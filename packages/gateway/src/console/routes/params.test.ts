// The integer patterns of the console's URL parameters take exactly 1 to max, as a URL writes them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INT4_MAX, upTo } from './params.ts';

describe('console URL parameters', () => {
  it('take every integer from 1 to max and nothing else', () => {
    for (const max of [1, 7, 9, 10, 19, 20, 99, 100, 101, 205, 1000, 2147, 30303, 100_000]) {
      const pattern = new RegExp(upTo(max));
      for (let n = -5; n <= max * 2 + 20; n++) {
        assert.equal(pattern.test(String(n)), n >= 1 && n <= max, `${n} against 1..${max}`);
      }
      for (const written of ['01', '1e2', '+1', ' 1', '1.0', '', '0x1', 'Infinity']) {
        assert.equal(pattern.test(written), false, `${JSON.stringify(written)} against 1..${max}`);
      }
    }
  });

  it('bound ids to PostgreSQL int4', () => {
    const id = new RegExp(upTo(INT4_MAX));
    assert.ok(id.test('2147483647'));
    for (const past of ['2147483648', '2147483650', '9999999999', '10000000000', '9223372036854775808']) {
      assert.equal(id.test(past), false, past);
    }
  });
});
