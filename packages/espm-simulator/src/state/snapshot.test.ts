import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildMeterData, parseMeterData } from '../espm.ts';
import { asProvider, monthlyEntries, sharedMeter, testSimulator } from '../../test-support/index.ts';

describe('a snapshot file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'espm-sim-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a demo across a restart: accounts, shares, entries and id counters', async () => {
    const file = join(dir, 'state.json');
    const first = await testSimulator({ snapshotFile: file });
    const { customer, meterId } = await sharedMeter(first, 'persistant');
    await asProvider(first).post(`/meter/${meterId}/consumptionData`, buildMeterData(monthlyEntries(2)));
    await first.close();

    const second = await testSimulator({ snapshotFile: file, provider: { password: 'rotated-password' } });
    try {
      const data = parseMeterData((await asProvider(second).get(`/meter/${meterId}/consumptionData`)).body);
      assert.equal(data.entries.length, 2);
      assert.equal(second.state().accounts.find((a) => a.id === customer.id)?.username, 'persistant');
      const { meterId: next } = await sharedMeter(second, 'apres');
      assert.ok(Number(next) > Number(meterId), 'ids keep increasing');
      assert.equal(second.provider.password, 'rotated-password');
    } finally {
      await second.close();
    }
  });
});
