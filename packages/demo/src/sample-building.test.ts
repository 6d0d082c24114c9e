import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleBuildingCorrectionCsv, sampleBuildingCsv } from './sample-building.ts';

describe('the demo building’s correction', () => {
  const today = '2026-12-07';

  it('re-bills one tenant’s settled bill, same invoice and period, with another volume', () => {
    const [header, ...rows] = sampleBuildingCsv(today).trimEnd().split('\n');
    const [correctionHeader, correction, ...more] = sampleBuildingCorrectionCsv(today).trimEnd().split('\n');
    assert.equal(correctionHeader, header);
    assert.equal(more.length, 0);
    const cells = correction!.split(',');
    const original = rows.find((r) => r.startsWith(`${cells.slice(0, 6).join(',')},`));
    assert.ok(original, 'the corrected bill is one the building’s file holds');
    assert.notEqual(original.split(',')[6], cells[6]);
    // Settled (GATEWAY_BUILDING_SETTLEMENT_DAYS, 45 by default) and so written before it is corrected.
    assert.ok(Date.parse(today) - Date.parse(cells[5]!) > 45 * 86_400_000);
  });
});
