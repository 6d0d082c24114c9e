// ESPM may answer an empty list 404 (EPA does not say): an empty consumption list, pending list or
// notification list answered so is not access lost. The meter itself (GET /meter/{id}) says when it is.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { guideAnswers, guideBillingRows } from '../../test-support/guide-example.ts';
import type { Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import { PAUSED_CHECK_INTERVAL_MS } from './access-level.ts';
import { runCycle } from './cycle.ts';

describe('ESPM answering its empty lists 404', () => {
  let h: Harness;
  let n = 0;

  before(async () => {
    h = await startHarness();
    await h.importAccepted(guideBillingRows());
    h.sim.setFaults({ emptyListsAs404: true });
  });
  after(() => h.close());

  /** A customer's meter shared with the guide's answers, its connection only requested. */
  async function sharedMeter() {
    const customer = await h.customer(`vide${++n}`);
    const { meterId } = await h.shareNewMeter(customer, 'Bureau', { answers: guideAnswers() }, 'requested');
    return { customer, meterId };
  }

  it('sends the history of a meter whose empty consumption list ESPM answered 404, every service running', async () => {
    const { customer, meterId } = await sharedMeter();
    await h.cleanCycle();
    assert.equal((await h.linkOf(meterId)).status, 'accepted');
    assert.equal((await customer.bills(meterId)).length, 23);
    // Every list is empty now: a cycle runs every service without an error.
    await h.cleanCycle();
    assert.equal(h.sim.requests().provider.byStatus['404'] !== undefined, true, 'ESPM did answer 404');
  });

  it('still reads a paused meter’s access level every hour while the notification list is answered 404', async () => {
    const { customer, meterId } = await sharedMeter();
    await runCycle(h.ctx);
    await customer.changeMeterAccess(meterId, 'Read');
    await runCycle(h.ctx);
    assert.equal((await h.linkOf(meterId)).status, 'paused');
    await customer.changeMeterAccess(meterId, 'Read Write');
    await runCycle(h.ctx); // the SHAREUPDATE notification resumes it; none is left after
    assert.equal((await h.linkOf(meterId)).status, 'accepted');

    // Read Only again, its notification lost: only the hourly check can see Read Write come back.
    await customer.changeMeterAccess(meterId, 'Read');
    await runCycle(h.ctx);
    assert.equal((await h.linkOf(meterId)).status, 'paused');
    await customer.changeMeterAccess(meterId, 'Read Write');
    await h.ctx.espm.notifications({ clear: true }); // lost
    const later = new Date(h.ctx.now().getTime() + PAUSED_CHECK_INTERVAL_MS + 60_000);
    h.setNow(later.toISOString());
    const report = await runCycle(h.ctx, ['NotificationWatcher']);
    assert.ok(report.services[0]!.ok, JSON.stringify(report.services));
    assert.deepEqual(report.services[0]!.summary, { received: 0, handled: 0, pausedChecked: 1, resumed: 1 });
    assert.equal((await h.linkOf(meterId)).status, 'accepted');
  });

  it('still ends the link when the meter itself says access is lost', async () => {
    const { customer, meterId } = await sharedMeter();
    await runCycle(h.ctx);
    assert.equal((await h.linkOf(meterId)).status, 'accepted');
    await customer.setMeterNoAccess(meterId);
    await h.ctx.espm.notifications({ clear: true }); // the UNSHARE notice lost
    await h.importBilling([
      {
        ...guideBillingRows().at(-1)!,
        invoice_number: '555555555555',
        invoice_date: '2023-05-10',
        period_start: '2023-04-09',
        period_end: '2023-05-09',
        volume_m3: '240',
      },
    ]);
    await runCycle(h.ctx, ['ConsumptionUpdater']);
    assert.equal((await h.linkOf(meterId)).status, 'revoked');
  });
});
