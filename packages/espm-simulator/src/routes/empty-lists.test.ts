// Whether ESPM answers an empty list with 200 and an empty document or with 404 is settled by no EPA
// document (API.md): the simulator answers 200 by default and 404 when told, so the gateway is tried
// against both.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseMeterData, parseNotificationList, parsePendingList, parseResponse } from '../espm.ts';
import type { Simulator } from '../index.ts';
import {
  asProvider,
  newCustomer,
  newMeter,
  newProperty,
  share,
  sharedMeter,
  testSimulator,
} from '../../test-support/index.ts';

const LISTS = ['/connect/account/pending/list', '/share/property/pending/list', '/share/meter/pending/list'];

for (const emptyListsAs404 of [false, true]) {
  describe(`empty lists ${emptyListsAs404 ? 'answered 404 (--empty-lists-404)' : 'answered 200, the default'}`, () => {
    let sim: Simulator;
    let meterId = '';
    before(async () => {
      sim = await testSimulator({ faults: { emptyListsAs404 } });
      ({ meterId } = await sharedMeter(sim, 'vide'));
      await asProvider(sim).get('/notification/list'); // the acceptance's feed, cleared
    });
    after(() => sim.close());

    it('answers the pending lists, the notification list and a meter without entries alike', async () => {
      for (const path of [...LISTS, '/notification/list', `/meter/${meterId}/consumptionData`]) {
        const r = await asProvider(sim).get(path);
        if (emptyListsAs404) {
          assert.equal(r.status, 404, path);
          assert.equal(parseResponse(r.body).errors[0]?.errorNumber, '-200', path);
          continue;
        }
        assert.equal(r.status, 200, path);
        if (path.startsWith('/notification')) assert.deepEqual(parseNotificationList(r.body), []);
        else if (path.startsWith('/meter')) assert.deepEqual(parseMeterData(r.body).entries, []);
        else assert.equal(Object.values(parsePendingList(r.body)).flat().length, 0, path);
      }
    });

    it('answers a list that holds something with 200 either way', async () => {
      const c = await newCustomer(sim, 'plein');
      const m = await newMeter(sim, c, await newProperty(sim, c));
      await share(sim, c, 'meter', m);
      const r = await asProvider(sim).get('/share/meter/pending/list');
      assert.equal(r.status, 200);
      assert.deepEqual(
        parsePendingList(r.body).meters.map((x) => x.meterId),
        [m],
      );
    });
  });
}
