// Three `serve` instances and two `sync --once` runs on one PostgreSQL database, against the simulator,
// one instance killed with SIGKILL mid-run: every connection and share is answered once, every billed
// period reaches ESPM once, and nothing is left half-done. Counted from the simulator's own records.
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
import type { Store } from '../store/database.ts';
import { openStore } from '../store/database.ts';
import { createTestDatabase } from '../../test-support/test-store.ts';
import type { GatewayProcess } from '../../test-support/gateway-process.ts';
import { killLeftOver, spawnGateway } from '../../test-support/gateway-process.ts';
import { startLocalSimulator } from '../../test-support/local-simulator.ts';
import { workLeft } from '../../test-support/work-left.ts';

const CUSTOMERS = 20;
const PERIODS = guideBillingRows().length; // the guide's 23 periods, all inside its 24 months

interface Instance extends GatewayProcess {
  name: string;
}

async function until(
  what: string,
  deadline: number,
  check: () => Promise<boolean> | boolean,
  progress: () => string = () => '',
): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what} ${progress()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe(
  'several gateway instances on one database',
  { skip: !process.env.DATABASE_URL && 'needs DATABASE_URL (PostgreSQL)' },
  () => {
    let sim: Simulator;
    let database: { url: string; drop: () => Promise<void> };
    let store: Store;
    const instances: Instance[] = [];

    before(async () => {
      sim = await startLocalSimulator();
      // A little latency per provider call, so that the instance killed below is caught mid-work.
      sim.setFaults({ latencyMs: 15 });
      database = await createTestDatabase();
      store = await openStore({ databaseUrl: database.url });
    });

    after(async () => {
      await killLeftOver(instances);
      await store?.close();
      await database?.drop();
      await sim?.close();
    });

    function start(name: string, args: string[]): Instance {
      // The same object: its output goes on growing.
      const instance: Instance = Object.assign(
        spawnGateway(sim, args, { DATABASE_URL: database.url, GATEWAY_LEASE_SECONDS: '3' }),
        { name },
      );
      instances.push(instance);
      return instance;
    }

    it('answers every request once and sends every period once, though one instance is killed', async (t) => {
      const deadline = Date.now() + 55_000;
      const report = await importBillingRows(store.db, guideRowsShiftedToToday(CUSTOMERS), {
        source: 'http',
      });
      assert.equal(report.rowsRejected, 0, JSON.stringify(report));
      assert.equal(report.rowsImported, CUSTOMERS * PERIODS);

      const customers = await Promise.all(
        Array.from({ length: CUSTOMERS }, (_, i) =>
          SimulatedCustomer.create(sim.origin, { username: `multi${i}` }),
        ),
      );
      for (const c of customers) await c.connect();

      const serving = [start('serve-a', ['serve']), start('serve-b', ['serve']), start('serve-c', ['serve'])];
      for (const s of serving) {
        await until(
          `${s.name} listening (GATEWAY_PORT=0)`,
          deadline,
          () => {
            if (s.child.exitCode !== null)
              throw new Error(`${s.name} exited ${s.child.exitCode}:\n${s.output}`);
            return /listening on http:\/\/\S+:\d+/.test(s.output);
          },
          () => `\n${s.output.slice(-3000)}`,
        );
      }

      // ESPM takes a meter share only once the connection is accepted.
      await until('every connection accepted', deadline, async () =>
        (await Promise.all(customers.map((c) => c.connectionStatus()))).every((s) => s === 'accepted'),
      );
      const meterIds: string[] = [];
      await Promise.all(
        customers.map(async (c, i) => {
          const propertyId = await c.createProperty(`Immeuble ${i}`);
          const meterId = await c.createMeter(propertyId, {
            name: `Gaz ${i}`,
            firstBillDate: shiftedToToday('2019-01-01'),
          });
          meterIds[i] = meterId;
          await c.shareProperty(propertyId);
          await c.shareMeter(meterId, { ...guideNumbersOf(i), initialLoad: '24' });
        }),
      );
      const syncs = [start('sync-1', ['sync', '--once']), start('sync-2', ['sync', '--once'])];

      // Kill one instance as soon as consumption starts reaching ESPM.
      await until('the first consumption sent', deadline, () => sim.state().consumption.length > 0);
      serving[0]!.child.kill('SIGKILL');
      const sentWhenKilled = sim.state().consumption.length;

      const expectedEntries = CUSTOMERS * PERIODS;
      // Settled: every share answered, every period in ESPM, no link with work waiting nor a write in doubt.
      let progress = '';
      await until(
        'every share answered and every period sent',
        deadline,
        async () => {
          const state = sim.state();
          const pending = state.meterShares.filter((s) => s.status === 'pending').length;
          const { open, sending } = await workLeft(store.db);
          progress = `shares pending ${pending}, entries ${state.consumption.length}/${expectedEntries}, links open ${open}, sending ${sending}`;
          return (
            state.meterShares.length === CUSTOMERS &&
            pending === 0 &&
            state.consumption.length >= expectedEntries &&
            open === 0 &&
            sending === 0
          );
        },
        () => progress,
      );

      for (const s of syncs) {
        assert.equal(await s.exited, 0, `${s.name} failed:\n${s.output}`);
      }
      // Graceful stop of the survivors: SIGTERM, the job in hand finishes, exit 0.
      for (const s of serving.slice(1)) s.child.kill('SIGTERM');
      for (const s of serving.slice(1))
        assert.equal(await s.exited, 0, `${s.name} did not stop cleanly:\n${s.output}`);

      const state = sim.state();
      // Each meter share got exactly one decision, an acceptance; each connection one too.
      const meterDecisions = state.decisions.filter((d) => d.kind === 'meterShare');
      assert.deepEqual(meterDecisions.map((d) => d.id).sort(), [...meterIds].sort());
      assert.ok(meterDecisions.every((d) => d.action === 'Accept'));
      const connectionDecisions = state.decisions.filter((d) => d.kind === 'connection');
      assert.equal(new Set(connectionDecisions.map((d) => d.accountId)).size, CUSTOMERS);
      assert.equal(connectionDecisions.length, CUSTOMERS);

      // Each (meter, period) exactly once, every period of every meter.
      const perPeriod = new Map<string, number>();
      for (const e of state.consumption) {
        const key = `${e.meterId} ${e.startDate} ${e.endDate}`;
        perPeriod.set(key, (perPeriod.get(key) ?? 0) + 1);
      }
      const duplicates = [...perPeriod].filter(([, n]) => n > 1);
      assert.deepEqual(duplicates, []);
      assert.equal(state.consumption.length, expectedEntries);
      for (const meterId of meterIds) {
        assert.equal(
          state.consumption.filter((e) => e.meterId === meterId).length,
          PERIODS,
          `meter ${meterId}`,
        );
      }

      // The store agrees: every period recorded sent, once, nothing left 'sending'.
      const entries = await store.db.selectFrom('consumption_entry').select(['state']).execute();
      assert.equal(entries.length, expectedEntries);
      assert.ok(entries.every((e) => e.state === 'sent'));
      const links = await store.db.selectFrom('meter_link').select(['status']).execute();
      assert.deepEqual(
        links.map((l) => l.status),
        Array(CUSTOMERS).fill('accepted'),
      );
      t.diagnostic(`${sentWhenKilled} of ${expectedEntries} entries were in ESPM when serve-a was killed`);
    });
  },
);
