// A link in conflict holds back only the periods the customer's own bills overlap: every new period,
// correction and cancellation of the others reaches ESPM exactly as for an accepted link, on both stores,
// with one gateway instance or two syncing at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GUIDE_NEXT_BILL, guideAnswers, guideBillingRows } from '../../../test-support/guide-example.ts';
import { testStoreKinds } from '../../../test-support/test-store.ts';
import type { BillingFileRow } from '../../billing/billing-row.ts';
import type { Harness } from '../../../test-support/harness.ts';
import { startHarness } from '../../../test-support/harness.ts';
import type { ExchangeContext } from '../context.ts';
import { runCycle } from '../cycle.ts';
import { Leases } from '../leases.ts';
import { updateConsumption } from './consumption-updater.ts';
import { markChangedMetersDue } from './billing-reader.ts';

// Six months accepted on 2023-04-19: the guide's last six periods. The customer's own January bill
// overlaps 2022-12-05..2023-01-05 and 2023-01-06..2023-02-06, which are held back; four are sent.
const CUSTOMER_BILL = { startDate: '2023-01-01', endDate: '2023-01-31', usage: '999' };
const HELD = ['2022-12-05', '2023-01-06'];
const SENT = ['2022-10-03', '2022-11-04', '2023-02-07', '2023-03-08'];

/** The guide's row for the period starting on `start`, changed by `change`. */
function guideRow(start: string, change: Partial<BillingFileRow>): BillingFileRow {
  const row = guideBillingRows().find((r) => r.period_start === start);
  if (!row) throw new Error(`no guide period starts on ${start}`);
  return { ...row, ...change };
}

for (const kind of testStoreKinds()) {
  for (const instances of [1, 2]) {
    describe(`a link in conflict keeps receiving its other periods (${kind}, ${instances} instance${instances > 1 ? 's' : ''})`, () => {
      let h: Harness;
      before(async () => {
        h = await startHarness({ store: kind });
        await h.importAccepted(guideBillingRows());
      });
      after(async () => h?.close());

      it('sends new periods, corrections and cancellations, never the held-back ones', async () => {
        // Three customers with the same conflict, so that two instances share the links between them.
        const shared: Array<{ meterId: string; customer: Awaited<ReturnType<Harness['customer']>> }> = [];
        for (let i = 1; i <= 3; i++) {
          const customer = await h.customer(`conflict${i}`, `Immeuble ${i}`);
          const { meterId } = await h.shareNewMeter(customer, `Immeuble ${i}`, { answers: guideAnswers(6) });
          await customer.enterBill(meterId, CUSTOMER_BILL);
          shared.push({ meterId, customer });
        }
        await runCycle(h.ctx);
        for (const { meterId, customer } of shared) {
          assert.equal((await h.linkOf(meterId)).status, 'conflict');
          assert.deepEqual(
            startsOf(await customer.bills(meterId)),
            [...SENT, CUSTOMER_BILL.startDate].sort(),
          );
        }
        const idsBefore = new Map(
          await Promise.all(shared.map(async (s) => [s.meterId, await s.customer.bills(s.meterId)] as const)),
        );

        h.setNow('2023-05-12T10:00:00Z');
        await h.importBilling([
          GUIDE_NEXT_BILL,
          guideRow('2023-02-07', { volume_m3: 240 }), // corrected
          guideRow('2022-11-04', { status: 'cancelled' }), // cancelled
          guideRow('2023-01-06', { volume_m3: 300 }), // corrected, but held back
        ]);
        await markChangedMetersDue(h.store.db); // as each run begins
        for (const { meterId } of shared) assert.equal((await h.linkOf(meterId)).sync_due, true);

        h.sim.resetRequests();
        const contexts: ExchangeContext[] = [h.ctx];
        if (instances === 2) contexts.push({ ...h.ctx, leases: new Leases(h.store.db) });
        const summaries = await Promise.all(contexts.map((ctx) => updateConsumption(ctx)));
        assert.equal(
          summaries.reduce((n, s) => n + s.links, 0),
          3,
          'each link synced once, by one instance',
        );

        for (const { meterId, customer } of shared) {
          const bills = await customer.bills(meterId);
          assert.deepEqual(startsOf(bills), [
            '2022-10-03',
            CUSTOMER_BILL.startDate,
            '2023-02-07',
            '2023-03-08',
            '2023-04-09',
          ]);
          assert.equal(bills.find((b) => b.startDate === '2023-02-07')!.usage, '240');
          assert.equal(bills.find((b) => b.startDate === '2023-04-09')!.usage, '222');
          // The correction went to the entry already there, not to a new one.
          const before = idsBefore.get(meterId)!.find((b) => b.startDate === '2023-02-07')!;
          assert.equal(bills.find((b) => b.startDate === '2023-02-07')!.id, before.id);
          for (const start of HELD) assert.ok(!bills.some((b) => b.startDate === start));
          const link = await h.linkOf(meterId);
          assert.equal(link.status, 'conflict');
          assert.equal(link.last_period_end, '2023-05-09');
        }
        // One POST of the new period, one PUT and one DELETE per meter, none refused (never an overlap).
        const { byRoute, byRouteAndStatus } = h.sim.requests().provider;
        for (const route of [
          'POST /meter/:meterId/consumptionData',
          'PUT /consumptionData/:consumptionDataId',
          'DELETE /consumptionData/:consumptionDataId',
        ]) {
          assert.equal(byRoute[route], 3, route);
          assert.ok(Object.keys(byRouteAndStatus[route] ?? {}).every((status) => status.startsWith('2')));
        }

        // Nothing more to send on the next run.
        h.sim.resetRequests();
        await runCycle(h.ctx);
        assert.equal(h.sim.requests().provider.byRoute['POST /meter/:meterId/consumptionData'], undefined);
      });
    });
  }
}

function startsOf(bills: Array<{ startDate: string }>): string[] {
  return bills.map((b) => b.startDate).sort();
}
