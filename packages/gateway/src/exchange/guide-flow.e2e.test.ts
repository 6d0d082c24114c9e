// The customer guide, end to end: a customer connects, shares a property and a natural-gas meter with
// the four custom fields, and the gateway decides, sends the history and then each new period. Run against
// the simulator answering as EPA's examples do (ids only in link paths) and in its friendly shapes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GUIDE_NEXT_BILL,
  GUIDE_PERIODS,
  guideAnswers,
  guideBillingRows,
} from '../../test-support/guide-example.ts';
import type { BillingFileRow } from '../billing/billing-row.ts';
import type { Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import { runCycle } from './cycle.ts';

const guideRows = (): BillingFileRow[] => guideBillingRows({ withPeriodBeforeWindow: true });

for (const shape of ['epa', 'friendly'] as const)
  describe(`the guide’s example, end to end (${shape} shape)`, () => {
    let h: Harness;
    let meterId = '';
    let customer: Awaited<ReturnType<Harness['customer']>>;

    before(async () => {
      h = await startHarness({ simulator: { shape } });
      await h.importAccepted(guideRows());
      customer = await h.customer('code201', 'Code');
      ({ meterId } = await h.shareNewMeter(customer, 'Bureau', {
        meter: { name: 'Gaz naturel1' },
        answers: guideAnswers(),
      }));
    });
    after(() => h.close());

    it('accepts the connection, the property and the meter, and sends the 23 periods of the guide', async () => {
      h.sim.resetRequests();
      const report = await h.cleanCycle();
      assert.equal(report.fatal, undefined);

      const bills = await customer.bills(meterId);
      assert.equal(bills.length, 23);
      assert.deepEqual(
        bills.map((b) => [b.startDate, b.endDate, Number(b.usage)]),
        GUIDE_PERIODS.map(([s, e, v]) => [s, e, v]),
      );
      assert.ok(bills.every((b) => b.createdBy === h.sim.provider.username));
      // The meter is read before its first data (the customer may have entered bills), and once after
      // the POST, whose answer names the new entries without their periods, to pair ids and periods.
      const byRoute = h.sim.requests().provider.byRoute;
      assert.equal(byRoute['POST /meter/:meterId/consumptionData'], 1);
      assert.equal(byRoute['GET /meter/:meterId/consumptionData'], 2);
      const espmPeriods = new Map(bills.map((b) => [b.id, b.startDate]));
      const sent = await h.store.db
        .selectFrom('consumption_entry')
        .select(['period_start', 'espm_entry_id'])
        .where('state', '=', 'sent')
        .execute();
      assert.equal(sent.length, 23);
      for (const row of sent) assert.equal(espmPeriods.get(row.espm_entry_id!), row.period_start);

      const link = await h.linkOf(meterId);
      assert.equal(link.status, 'accepted');
      assert.equal(link.history_from, '2021-04-19');
      assert.equal(link.last_period_end, '2023-04-08');
      assert.ok(link.answered_at);

      const decisions = h.sim.state().decisions.filter((d) => d.kind === 'meterShare' && d.id === meterId);
      assert.equal(decisions.length, 1);
      assert.equal(decisions[0]!.action, 'Accept');
      assert.match(
        decisions[0]!.note ?? '',
        /Votre demande de partage a été acceptée.*\/ Your request for sharing has been accepted/,
      );
    });

    it('writes the gateway log as the guide shows it', async () => {
      const lines = await h.journalOf(meterId);
      assert.deepEqual(
        lines.map((l) => [l.service, l.outcome, l.status]),
        [
          ['MeterConnectionManager', 'accepted', 'done'],
          ['ConsumptionUpdater', 'sent', 'done'],
        ],
      );
    });

    it('changes nothing when run again', async () => {
      h.sim.resetRequests();
      await runCycle(h.ctx);
      assert.equal((await customer.bills(meterId)).length, 23);
      const posts = Object.entries(h.sim.requests().provider.byRoute).filter(([k]) => k.startsWith('POST'));
      assert.deepEqual(posts, []);
    });

    it('sends the next billing period once, after the next billing cycle', async () => {
      h.setNow('2023-05-20T12:00:00Z');
      await h.importAccepted([
        {
          ...GUIDE_NEXT_BILL,
          volume_m3: '240.5',
          estimated: true,
          rng_percent: '5',
        },
      ]);
      await runCycle(h.ctx);
      await runCycle(h.ctx);
      const bills = await customer.bills(meterId);
      assert.equal(bills.length, 24);
      const last = bills.find((b) => b.startDate === '2023-04-09')!;
      assert.equal(Number(last.usage), 240.5);
      assert.equal(last.estimatedValue, true);
    });

    it('corrects a re-billed period in place and withdraws a cancelled one', async () => {
      const before = await customer.bills(meterId);
      const corrected = before.find((b) => b.startDate === '2022-01-25')!;
      await h.importBilling([
        { ...guideRows().find((r) => r.period_start === '2022-01-25')!, volume_m3: '300' },
        { ...guideRows().find((r) => r.period_start === '2022-02-26')!, status: 'cancelled' },
      ]);
      await runCycle(h.ctx);
      const after = await customer.bills(meterId);
      assert.equal(after.length, 23);
      const now = after.find((b) => b.startDate === '2022-01-25')!;
      assert.equal(now.id, corrected.id);
      assert.equal(Number(now.usage), 300);
      assert.equal(
        after.find((b) => b.startDate === '2022-02-26'),
        undefined,
      );
    });
  });
