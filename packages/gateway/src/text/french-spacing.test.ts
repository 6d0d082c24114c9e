import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REJECTION_NOTES, noteText } from '../exchange/notes.ts';
import { frenchSpacing } from './french-spacing.ts';

describe('French spacing', () => {
  it('puts a narrow no-break space before a semicolon and no-break spaces inside guillemets', () => {
    assert.equal(frenchSpacing('ignorées; les autres'), 'ignorées\u202f; les autres');
    assert.equal(frenchSpacing('révoqué ; ESPM'), 'révoqué\u202f; ESPM');
    assert.equal(frenchSpacing('le champ « Code »'), 'le champ «\u00a0Code\u00a0»');
    assert.equal(frenchSpacing(frenchSpacing('a; « b »')), 'a\u202f; «\u00a0b\u00a0»');
  });

  it('applies to the French half of a note to the customer, not the English one', () => {
    const note = noteText(REJECTION_NOTES['missing-field']);
    const [fr, en] = note.split(' / ');
    assert.match(fr!, /chargement initial\u202f; ou/);
    assert.match(en!, /initial load; or/);
    assert.match(noteText(REJECTION_NOTES['not-aggregate-meter']), /«\u00a0compteur agrégé\u00a0»/);
  });
});
