import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildingError, checkName } from '../buildings/buildings.ts';
import { isPlainText } from './plain-text.ts';

describe('plain text (names and addresses the console shows)', () => {
  it('accepts one line of letters in any script, accents and punctuation', () => {
    for (const ok of ['Tour Sherbrooke', 'Édifice « Le Phénix » – 2ᵉ', 'מגדל תל אביב', 'برج', 'A&B, 1200 #3'])
      assert.equal(isPlainText(ok), true, ok);
  });

  it('refuses control characters and every bidirectional control', () => {
    for (const bad of [
      'a\nb',
      'a\u0007',
      'a\u0085b',
      'a\u202eb',
      'a\u202ab',
      'a\u2066b',
      'a\u2069',
      'a\u200f',
      'a\u061c',
    ])
      assert.equal(isPlainText(bad), false, JSON.stringify(bad));
  });

  it('keeps a right-to-left override out of a building’s name', () => {
    // "Tour 1" that reads "Tour 1" but sorts and searches as something else.
    assert.throws(
      () => checkName('Tour \u202e1 ruoT'),
      (e) => e instanceof BuildingError && e.code === 'invalid-name',
    );
    assert.throws(() => checkName('\u2067Tour\u2069'), BuildingError);
    assert.equal(checkName('  Tour Sherbrooke '), 'Tour Sherbrooke');
  });
});
