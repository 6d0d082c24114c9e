// `sync --once` after one killed with SIGKILL during an initial load takes its work over at once (its
// process is gone), and never exits 0 having skipped work a live process holds: it names the links,
// who holds them and until when, and exits 3. On both stores.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { SimulatedCustomer } from '@gaz-espm/espm-simulator';
import { importBillingRows } from '../billing/import-billing-rows.ts';
import {
  guideBillingRows,
  guideNumbersOf,
  guideRowsShiftedToToday,
  shiftedToToday,
} from '../../test-support/guide-example.ts';
import { spawnGateway, storeForProcesses } from '../../test-support/gateway-process.ts';
import { startLocalSimulator } from '../../test-support/local-simulator.ts';
import type { Store } from '../store/database.ts';
import { openStore } from '../store/database.ts';
import { Leases } from '../exchange/leases.ts';

const PERIODS = guideBillingRows().length;

describe('sync --once after a sync killed during an initial load', () => {
  let sim: Simulator;
  let store: Store;
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  const meterIds: string[] = [];
  const propertyIds: string[] = [];
  const customers: SimulatedCustomer[] = [];

  before(async () => {
    sim = await startLocalSimulator();
    ({ env, drop } = await storeForProcesses('sync-takeover-'));
    // The billing goes in through the processes' store; an embedded one, opened here first.
    store = await openStore(
      env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.GATEWAY_DATA_DIR! },
    );
    const report = await importBillingRows(store.db, guideRowsShiftedToToday(2), { source: 'http' });
    assert.equal(report.rowsRejected, 0);
    for (const i of [0, 1]) {
      const c = await SimulatedCustomer.create(sim.origin, { username: `killed${i}` });
      await c.connect();
      customers.push(c);
      propertyIds.push(await c.createProperty(`Immeuble ${i}`));
      meterIds.push(
        await c.createMeter(propertyIds[i]!, { name: 'Gaz', firstBillDate: shiftedToToday('2019-01-01') }),
      );
    }
  });
  after(async () => {
    await store?.close();
    await drop?.();
    await sim.close();
  });

  const run = async (extra: Record<string, string> = {}) => {
    const p = spawnGateway(sim, ['sync', '--once'], { ...env, ...extra });
    return { code: await p.exited, output: p.output };
  };

  it('sends every period once, on the first run after the kill', async () => {
    // The connections are accepted first; the shares come after, as ESPM requires.
    assert.equal((await run()).code, 0);
    for (const [i, c] of customers.entries()) {
      await c.shareProperty(propertyIds[i]!);
      await c.shareMeter(meterIds[i]!, { ...guideNumbersOf(i), initialLoad: '24' });
    }
    // Slow enough for the kill to land in the initial load.
    sim.setFaults({ latencyMs: 300, routes: ['POST /meter/:meterId/consumptionData'] });
    const killed = spawnGateway(sim, ['sync', '--once'], env);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const leased = await store.db
        .selectFrom('meter_link')
        .select('id')
        .where('sync_lease_owner', 'is not', null)
        .execute();
      if (leased.length > 0) break;
      assert.ok(Date.now() < deadline, `no link leased: ${killed.output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    killed.child.kill('SIGKILL');
    await killed.exited;
    sim.clearFaults();

    const started = Date.now();
    const next = await run();
    assert.equal(next.code, 0, next.output);
    assert.ok(Date.now() - started < 30_000, 'not waiting for the dead run’s leases to run out');
    for (const meterId of meterIds) {
      const entries = sim.state().consumption.filter((e) => e.meterId === meterId);
      assert.equal(entries.length, PERIODS, `meter ${meterId}: ${next.output}`);
    }
  });

  it('exits 3 naming the link another live process holds, and until when', async () => {
    const link = await store.db
      .selectFrom('meter_link')
      .select(['id', 'espm_meter_id'])
      .where('espm_meter_id', '=', meterIds[0]!)
      .executeTakeFirstOrThrow();
    await store.db.updateTable('meter_link').set({ sync_due: true }).where('id', '=', link.id).execute();
    const alive = new Leases(store.db, { instance: 'alive-elsewhere', seconds: 600 });
    const lease = await alive.claimLink(link.id);
    assert.ok(lease);
    try {
      const r = await run({ GATEWAY_LEASE_SECONDS: '1' });
      assert.equal(r.code, 3, r.output);
      assert.match(
        r.output,
        new RegExp(
          `meter link ${link.id} \\(ESPM meter ${link.espm_meter_id}\\) held by alive-elsewhere#\\d+ until \\d{4}-`,
        ),
      );
    } finally {
      await lease.release();
    }
    assert.equal((await run()).code, 0);
  });
});
