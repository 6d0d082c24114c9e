import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { METER_TYPES, UNITS_OF_MEASURE } from '@gaz-espm/espm';
import { accessLevelText, meterTypeText, unitText } from './espm-values.ts';

describe('ESPM’s values in the console', () => {
  it('are in French on French pages and as ESPM sends them on English pages', () => {
    assert.equal(meterTypeText('fr', 'Natural Gas'), 'Gaz naturel');
    assert.equal(unitText('fr', 'cm (Cubic meters)'), 'm³ (mètres cubes)');
    assert.equal(unitText('fr', 'therms'), 'Thermies');
    assert.equal(accessLevelText('fr', 'Read Write'), 'Lecture et écriture');
    assert.equal(accessLevelText('fr', 'Read'), 'Lecture seule');
    assert.equal(meterTypeText('en', 'Natural Gas'), 'Natural Gas');
    assert.equal(unitText('en', 'cm (Cubic meters)'), 'cm (Cubic meters)');
    assert.equal(accessLevelText('en', 'Read Write'), 'Read Write');
  });

  it('name every meter type and unit of ESPM’s schema in French, each its own', () => {
    for (const values of [METER_TYPES, UNITS_OF_MEASURE]) {
      const text = values === METER_TYPES ? meterTypeText : unitText;
      const french = values.map((value) => text('fr', value));
      assert.equal(new Set(french).size, values.length);
      // A few words are the same in both languages (Coke, Diesel, Propane); no English phrase is left.
      for (const f of french) assert.doesNotMatch(f, /\b(Water|Meters|feet|Other|thousand|million)\b/, f);
    }
  });

  it('show a value ESPM added later as it was sent', () => {
    assert.equal(meterTypeText('fr', 'Hydrogen'), 'Hydrogen');
  });
});
