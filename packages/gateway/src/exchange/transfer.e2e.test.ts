// A property transferred to another ESPM account, end to end against the simulator on both stores.
// EPA: the provider "will continue to retain uninterrupted access" and the new holder is not connected
// automatically; if it removes access, separate UNSHARE notifications follow. So the feed goes on with
// what the validated billing account is billed, the new holder is recorded and shown on the meter's
// page, a new billing account on the meter holds the link for an operator, and the new holder
// removing access ends it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { guideAnswers, guideBillAfter, guideBillingRows } from '../../test-support/guide-example.ts';
import type { Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import { testStoreKinds } from '../../test-support/test-store.ts';
import { toString } from '../console/html.ts';
import { makeView } from '../console/layout.ts';
import { meterPage } from '../console/pages/meter.ts';
import { meterPageData } from '../console/queries/meters.ts';
import { runCycle } from './cycle.ts';
import { resyncLink } from './operator-actions.ts';

const NEW_ACCOUNT = '99999999999';

for (const kind of testStoreKinds()) {
  describe(`a property transferred to another ESPM account (${kind})`, () => {
    let h: Harness;
    let owner: Awaited<ReturnType<Harness['customer']>>;
    let buyer: Awaited<ReturnType<Harness['customer']>>;
    let propertyId = '';
    let meterId = '';

    before(async () => {
      h = await startHarness({ store: kind });
      await h.importAccepted(guideBillingRows());
      owner = await h.customer('vendeur', 'Immeuble vendu');
      buyer = await h.customer('acheteur', 'Nouveaux propriétaires');
      ({ propertyId, meterId } = await h.shareNewMeter(owner, 'Immeuble vendu', {
        answers: guideAnswers(3),
      }));
      await runCycle(h.ctx);
    });
    after(async () => h?.close());

    const link = () => h.linkOf(meterId);
    const starts = async () => (await buyer.bills(meterId)).map((b) => b.startDate).sort();

    it('keeps the link after TRANSFERPROPERTY, records the new holder and sends the next bill to the meter', async () => {
      assert.equal((await link()).status, 'accepted');
      await owner.transferProperty(propertyId, buyer.username);
      await h.cleanCycle();
      const l = await link();
      assert.equal(l.status, 'accepted', 'a transfer ends nothing');
      assert.deepEqual([l.holder_account_id, l.holder_username], [buyer.accountId, buyer.username]);
      assert.ok(l.transferred_at);
      // The new holder is not connected: the gateway does not record it as a contact.
      const contact = await h.store.db
        .selectFrom('espm_customer')
        .select('account_id')
        .where('account_id', '=', buyer.accountId)
        .executeTakeFirst();
      assert.equal(contact, undefined);

      const before = await starts();
      await h.importAccepted([guideBillAfter(0)]);
      await h.cleanCycle();
      assert.deepEqual(await starts(), [...before, guideBillAfter(0).period_start].sort());
    });

    it('shows the transfer on the meter page, in French and in English', async () => {
      const data = await meterPageData(h.store.db, (await link()).id);
      assert.ok(data);
      const fr = toString(meterPage(makeView('fr', '/compteurs/1'), data));
      const en = toString(meterPage(makeView('en', '/compteurs/1'), data));
      for (const [page, label] of [
        [fr, 'Propriété transférée à'],
        [en, 'Property transferred to'],
      ] as const) {
        assert.ok(page.includes(label), label);
        assert.ok(page.includes(buyer.username));
        assert.ok(page.includes(buyer.accountId));
      }
    });

    it('holds new periods for an operator when billing shows another account on the meter', async () => {
      const sentBefore = await starts();
      // The new owners open their own gas account; the former account still has a last bill.
      await h.importAccepted([guideBillAfter(1), guideBillAfter(2, NEW_ACCOUNT)]);
      await h.cleanCycle();
      const l = await link();
      assert.deepEqual([l.status, l.reason_code], ['paused', 'billing-account-changed']);
      assert.deepEqual(await starts(), sentBefore, 'nothing sent while held');
      // The hourly check of paused links, which reads the meter's access level, does not release it.
      await h.cleanCycle();
      assert.equal((await link()).status, 'paused');

      const data = await meterPageData(h.store.db, l.id);
      assert.equal(data?.otherAccount, NEW_ACCOUNT);
      const en = toString(meterPage(makeView('en', '/compteurs/1'), data!));
      const fr = toString(meterPage(makeView('fr', '/compteurs/1'), data!));
      assert.ok(en.includes('Sending held: another billing account'));
      assert.ok(fr.includes('Envoi suspendu : autre compte de facturation'));
      assert.ok(en.includes(NEW_ACCOUNT));
    });

    it('resumes when an operator lets the other account pass: the validated account’s bills only', async () => {
      const sentBefore = await starts();
      const r = await resyncLink(h.ctx, (await link()).id, 'marie');
      assert.equal(r.outcome, 'synced');
      const l = await link();
      assert.equal(l.status, 'accepted');
      assert.equal(l.billing_account_ack, NEW_ACCOUNT);
      assert.deepEqual(await starts(), [...sentBefore, guideBillAfter(1).period_start].sort());
      // The new account's bills keep coming: they are never sent on this share, and hold nothing again.
      await h.importAccepted([guideBillAfter(3, NEW_ACCOUNT)]);
      await h.cleanCycle();
      assert.equal((await link()).status, 'accepted');
      assert.ok(!(await starts()).includes(guideBillAfter(3).period_start));
    });

    it('keeps the link when the former owner disconnects: the property is no longer its own', async () => {
      await owner.disconnect();
      await h.cleanCycle();
      const types = await h.store.db.selectFrom('espm_notification').select('type_code').execute();
      assert.ok(types.some((t) => t.type_code === 'DISCONNECT'));
      assert.equal((await link()).status, 'accepted');
    });

    it('ends the link when the new holder removes the provider’s access', async () => {
      await buyer.removeAllAccessToProperty(propertyId);
      await h.cleanCycle();
      const l = await link();
      assert.equal(l.status, 'revoked');
      assert.ok(['property-unshared', 'meter-unshared'].includes(l.reason_code ?? ''), l.reason_code ?? '');
    });
  });
}
