// A building's page reads: its months computed once until something that changes them changes, and a
// search that never runs for a building that does not exist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { importBillingRows } from '../../billing/import-billing-rows.ts';
import { addPremises, createBuilding } from '../../buildings/buildings.ts';
import { dayNumber } from '../../buildings/monthly-totals.ts';
import { DEFAULT_PRIVACY_RULE } from '../../buildings/privacy-rule.ts';
import type { Store } from '../../store/database.ts';
import { testStoreKinds, openTestStore } from '../../../test-support/test-store.ts';
import { consoleTestGateway } from '../../../test-support/console-gateway.ts';
import { tenantBill } from '../../../test-support/tenant-bills.ts';
import { createSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { consolePlugin } from '../plugin.ts';
import { BuildingMonthsCache, buildingDetail } from './buildings.ts';
import Fastify from 'fastify';

/** Counts the statements that read billed periods. */
class PeriodReads implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs) {
    if (JSON.stringify(args.node).includes('billing_period')) this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

function billing(today: string, tenants: number, from = 0) {
  const last = dayNumber(today) - 5;
  return Array.from({ length: tenants }, (_, i) => i + from).flatMap((t) =>
    Array.from({ length: 3 }, (_, k) => {
      const end = last - 30 * k;
      return {
        ...tenantBill({ account: 4_200_000_000, invoice: 820_000_000_000, meterPrefix: 'BLD' }, t, k, end),
        volume_m3: String(100 + t),
        premise_id: `PX-${t}`,
        service_address: `${t} rue de la Gauchetière`,
      };
    }),
  );
}

for (const kind of testStoreKinds()) {
  describe(`a building's page reads (${kind})`, () => {
    let store: Store;
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const by = { operator: 'marie' };

    before(async () => {
      store = await openTestStore(kind);
      await importBillingRows(store.db, billing(today, 6));
      await createBuilding(store.db, { buildingId: 'TOUR-1', name: 'Tour 1' }, by);
      await addPremises(
        store.db,
        'TOUR-1',
        [
          { premiseId: 'PX-0', ownerHeld: false },
          { premiseId: 'PX-1', ownerHeld: false },
          { premiseId: 'PX-2', ownerHeld: false },
          { premiseId: 'PX-3', ownerHeld: false },
          { premiseId: 'PX-4', ownerHeld: false },
        ],
        by,
        new Date(),
      );
    });
    after(async () => store?.close());

    it('computes a building’s months once, again after a premise is added or billing is imported', async () => {
      const reads = new PeriodReads();
      const db = store.db.withPlugin(reads);
      const cache = new BuildingMonthsCache();
      const view = async () => (await buildingDetail(db, 'TOUR-1', DEFAULT_PRIVACY_RULE, now, cache))!.months;
      const first = await view();
      const afterFirst = reads.count;
      assert.ok(afterFirst > 0);
      assert.deepEqual(await view(), first);
      assert.equal(reads.count - afterFirst, 1, 'the second view reads the premises’ addresses only');
      await addPremises(store.db, 'TOUR-1', [{ premiseId: 'PX-5', ownerHeld: false }], by, new Date());
      const withSix = await view();
      assert.equal(reads.count - afterFirst, 1 + afterFirst, 'recomputed for the new premise');
      assert.notDeepEqual(withSix, first);
      const beforeImport = reads.count;
      await importBillingRows(
        store.db,
        billing(today, 1, 5).map((r) => ({ ...r, volume_m3: '999' })),
      );
      await view();
      assert.equal(reads.count - beforeImport, afterFirst, 'recomputed after an import');
    });

    it('answers 404 for an unknown building without searching the premises', async () => {
      const reads = new PeriodReads();
      const { gateway } = await consoleTestGateway(store);
      const app = Fastify();
      await app.register(consolePlugin, {
        gateway: { ...gateway, store: { ...store, consoleDb: store.consoleDb.withPlugin(reads) } },
      });
      try {
        const session = await createSession(store.db, 'victor', new Date());
        const get = (url: string) =>
          app.inject({ method: 'GET', url, headers: { cookie: `${SESSION_COOKIE}=${session.id}` } });
        const missing = await get('/batiments/NOPE?q=zzzzzzz');
        assert.equal(missing.statusCode, 404);
        assert.equal(reads.count, 0);
        // A building that exists is searched, by address.
        const found = await get('/batiments/TOUR-1?q=GAUCHET');
        assert.equal(found.statusCode, 200);
        assert.match(found.body, /PX-5/);
      } finally {
        await app.close();
      }
    });
  });
}
