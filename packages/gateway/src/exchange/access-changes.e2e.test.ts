// EPA's connection guide against the gateway, end to end on both stores: shares that arrive before (or
// without) a connection request, a connection rejected with its shares, and a meter the customer
// leaves Read Only (paused, nothing written, nothing lost) then gives Read Write back (resumed, what
// was billed meanwhile sent once). A late UNSHARE about an earlier share never ends a new one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listContacts } from '../console/queries/contacts.ts';
import { guideAnswers, guideBillAfter, guideBillingRows } from '../../test-support/guide-example.ts';
import { testStoreKinds } from '../../test-support/test-store.ts';
import type { Connection, Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import { PAUSED_CHECK_INTERVAL_MS } from './access-level.ts';
import { runCycle } from './cycle.ts';
import { decidePendingMeterShares } from './meter-shares.ts';
import { ActionRefused, resyncLink } from './operator-actions.ts';

const ANSWERS = guideAnswers(3);

for (const kind of testStoreKinds()) {
  describe(`sharing cascades and access changes (${kind})`, () => {
    let h: Harness;
    let bills = 0;
    let n = 0;

    before(async () => {
      h = await startHarness({ store: kind });
      await h.importAccepted(guideBillingRows());
    });
    after(async () => h?.close());

    async function newMeter(prefix: string) {
      const customer = await h.customer(`${prefix}${++n}`, `Immeuble ${prefix}`);
      const propertyId = await customer.createProperty(`Immeuble ${prefix} ${n}`);
      const meterId = await customer.createMeter(propertyId, {
        name: 'Gaz naturel',
        firstBillDate: '2020-01-01',
      });
      return { customer, propertyId, meterId };
    }
    /** A new customer's meter, shared with `answers` once the customer has connected as said. */
    async function sharedMeter(prefix: string, answers = ANSWERS, connection?: Connection) {
      const customer = await h.customer(`${prefix}${++n}`, `Immeuble ${prefix}`);
      return {
        customer,
        ...(await h.shareNewMeter(customer, `Immeuble ${prefix} ${n}`, { answers }, connection)),
      };
    }
    /** The answers naming the invoice of the guide's meter last billed. */
    const answersForLastBill = () => ({
      ...ANSWERS,
      invoiceNumber: guideBillAfter(bills - 1).invoice_number,
    });
    async function contact(accountId: string) {
      return h.store.db
        .selectFrom('espm_customer')
        .selectAll()
        .where('account_id', '=', accountId)
        .executeTakeFirst();
    }
    /** Every period is in ESPM once: no two entries of the meter share a start date. */
    async function periodsIn(customer: Awaited<ReturnType<Harness['customer']>>, meterId: string) {
      const starts = (await customer.bills(meterId)).map((b) => b.startDate).sort();
      assert.equal(new Set(starts).size, starts.length, `duplicates in ${starts.join(', ')}`);
      return starts;
    }
    async function importNextBill() {
      await h.importAccepted([guideBillAfter(bills++)]);
    }

    it('decides shares sent before any connection request, and records their accounts as contacts', async () => {
      // One customer shares its property and meter, another only its meter; neither asked to connect.
      const both = await newMeter('sans_demande');
      await both.customer.shareProperty(both.propertyId);
      await both.customer.shareMeter(both.meterId, ANSWERS);
      const meterOnly = await newMeter('compteur_seul');
      await meterOnly.customer.shareMeter(meterOnly.meterId, ANSWERS);
      // Share forward (EPA's Appendix A): each account's connection request is listed beside its shares.
      assert.deepEqual(
        (await h.espm.pendingConnections()).map((c) => c.accountId).sort(),
        [both.customer.accountId, meterOnly.customer.accountId].sort(),
      );
      const customerReads = (): Record<string, number> =>
        h.sim.requests().provider.byRouteAndStatus['GET /customer/:customerId'] ?? {};
      const readsBefore = customerReads();

      await h.cleanCycle();
      // An account is read (if its request did not describe it) only once connected: never while ESPM
      // refuses. Which of the request and a share is accepted first is a race ESPM settles either way.
      const readsAfter = customerReads();
      const refused = Object.entries(readsAfter).filter(
        ([status, n]) => status !== '200' && n > (readsBefore[status] ?? 0),
      );
      assert.deepEqual(refused, []);
      assert.ok((readsAfter['200'] ?? 0) - (readsBefore['200'] ?? 0) <= 2);
      for (const s of [both, meterOnly]) {
        const link = await h.linkOf(s.meterId);
        assert.equal(link.status, 'accepted');
        assert.ok(link.answered_at);
        assert.equal((await periodsIn(s.customer, s.meterId)).length, 3);
        const c = await contact(s.customer.accountId);
        assert.equal(c?.connection_status, 'connected', 'recorded as a contact');
        assert.equal(c?.username, s.customer.username);
        assert.equal(c?.first_name !== '', true, 'described by ESPM once connected');
        const connection = h.sim.state().connections.find((x) => x.accountId === s.customer.accountId);
        assert.equal(connection?.status, 'accepted');
      }
      // The meter shared without its property brought a Read property share, accepted with it.
      const readProperty = h.sim.state().propertyShares.find((p) => p.resourceId === meterOnly.propertyId);
      assert.deepEqual([readProperty?.status, readProperty?.accessLevel], ['accepted', 'Read']);
      const property = await h.store.db
        .selectFrom('espm_property')
        .selectAll()
        .where('property_id', '=', both.propertyId)
        .executeTakeFirst();
      assert.equal(property?.share_status, 'accepted');
      // The console lists them like any other contact.
      for (const s of [both, meterOnly]) {
        const found = await listContacts(h.store.db, { q: s.customer.username });
        assert.deepEqual(
          found.rows.map((r) => [r.account_id, r.connection_status, Number(r.meters)]),
          [[s.customer.accountId, 'connected', 1]],
        );
      }
      assert.deepEqual(await h.espm.pendingConnections(), [], 'no request is left');
    });

    it('records the property that accepting its meter share accepted, when the meter is decided first', async () => {
      const s = await newMeter('propriete_en_cascade');
      await s.customer.shareProperty(s.propertyId);
      await s.customer.shareMeter(s.meterId, ANSWERS);
      // The meter decided before the property share is read: ESPM accepts the property with it, so the
      // PropertyShareManager never sees it listed.
      await runCycle(h.ctx, ['MeterConnectionManager']);
      assert.deepEqual(await h.espm.pendingPropertyShares(), []);
      await h.cleanCycle();
      const property = await h.store.db
        .selectFrom('espm_property')
        .selectAll()
        .where('property_id', '=', s.propertyId)
        .executeTakeFirst();
      assert.deepEqual([property?.share_status, property?.account_id], ['accepted', s.customer.accountId]);
      assert.ok(property?.name, 'named as ESPM describes it');
    });

    it('a connection rejected in ESPM takes its pending shares with it, including one the gateway had decided', async () => {
      const s = await sharedMeter('rejet', ANSWERS, 'requested');
      // The gateway decides the meter share, but ESPM never takes its answer…
      h.sim.setFaults({ errorRate: 1, routes: ['POST /share/meter/:meterId'] });
      const first = await decidePendingMeterShares(h.ctx);
      h.sim.clearFaults();
      assert.equal(first.failed, 1);
      const decided = await h.linkOf(s.meterId);
      assert.equal(decided.status, 'accepted');
      assert.equal(decided.answered_at, null);
      // …and someone rejects the connection in ESPM meanwhile: its pending shares are rejected with it.
      await h.espm.answerConnection(s.customer.accountId, 'Reject', 'Refus manuel');
      assert.deepEqual(await h.espm.pendingPropertyShares(), []);
      assert.deepEqual(
        (await h.espm.pendingMeterShares()).filter((m) => m.meterId === s.meterId),
        [],
      );

      await h.cleanCycle();
      const link = await h.linkOf(s.meterId);
      assert.equal(link.status, 'revoked');
      assert.equal(link.reason_code, 'share-withdrawn');
      assert.deepEqual(await s.customer.bills(s.meterId), []);
      assert.equal(await contact(s.customer.accountId), undefined, 'never a contact');
    });

    it('pauses a meter left Read Only, sends nothing to it, and catches up once when Read Write is back', async () => {
      const s = await sharedMeter('lecture');
      await runCycle(h.ctx);
      assert.equal((await h.linkOf(s.meterId)).status, 'accepted');
      const before = await periodsIn(s.customer, s.meterId);

      await s.customer.changeMeterAccess(s.meterId, 'Read');
      await runCycle(h.ctx);
      let link = await h.linkOf(s.meterId);
      assert.equal(link.status, 'paused');
      assert.equal(link.reason_code, 'access-read-only');
      const decision = (await h.decisionsOf(link.id)).find((d) => d.decision === 'paused');
      assert.match(decision?.note ?? '', /Accès complet.* \/ .*Full Access/);
      const logged = (await h.journalOf(s.meterId))
        .filter((l) => l.outcome.startsWith('paused:'))
        .map(({ outcome, service }) => ({ outcome, service }));
      assert.deepEqual(logged, [{ outcome: 'paused:access-read-only', service: 'NotificationWatcher' }]);

      // Billing goes on: the period is kept, the link marked due, nothing is written to the meter.
      h.sim.resetRequests();
      await importNextBill();
      await runCycle(h.ctx);
      link = await h.linkOf(s.meterId);
      assert.equal(link.status, 'paused');
      assert.equal(link.sync_due, true);
      assert.deepEqual(await periodsIn(s.customer, s.meterId), before);
      const writes = h.sim.requests().provider.byRouteAndStatus['POST /meter/:meterId/consumptionData'] ?? {};
      assert.equal(writes['403'], undefined, 'no write tried on the paused meter');
      // An operator's sync reads the level and refuses while it is still Read Only.
      await assert.rejects(resyncLink(h.ctx, link.id, 'opératrice'), (e: unknown) => {
        return e instanceof ActionRefused && e.code === 'still-read-only';
      });

      await s.customer.changeMeterAccess(s.meterId, 'Read Write');
      await runCycle(h.ctx);
      link = await h.linkOf(s.meterId);
      assert.equal(link.status, 'accepted');
      assert.equal(link.reason_code, null);
      const after = await periodsIn(s.customer, s.meterId);
      assert.equal(after.length, before.length + 1, 'the period billed meanwhile, once');
      assert.ok(after.includes(guideBillAfter(bills - 1).period_start));
      await runCycle(h.ctx);
      assert.deepEqual(await periodsIn(s.customer, s.meterId), after, 'nothing sent twice');
      assert.deepEqual(
        (await h.decisionsOf(link.id)).map((d) => d.decision),
        ['accepted', 'paused', 'resumed'],
      );
    });

    it('pauses on a write ESPM refuses (403), and resumes by the hourly check when no notification comes', async () => {
      const s = await sharedMeter('refus', answersForLastBill());
      await runCycle(h.ctx);
      assert.equal((await h.linkOf(s.meterId)).status, 'accepted');
      const before = await periodsIn(s.customer, s.meterId);

      await s.customer.changeMeterAccess(s.meterId, 'Read');
      await importNextBill();
      // The consumption run meets the Read Only meter before the notification is read.
      await runCycle(h.ctx, ['ConsumptionUpdater']);
      let link = await h.linkOf(s.meterId);
      assert.equal(link.status, 'paused');
      assert.equal(link.reason_code, 'write-refused');
      assert.deepEqual(await periodsIn(s.customer, s.meterId), before);

      // Full access comes back, and ESPM's notifications are lost (read elsewhere with clear=true).
      await s.customer.changeMeterAccess(s.meterId, 'Read Write');
      await h.espm.notifications({ clear: true });
      await runCycle(h.ctx);
      assert.equal((await h.linkOf(s.meterId)).status, 'paused', 'checked less than an hour ago');
      const now = h.ctx.now();
      h.setNow(new Date(now.getTime() + PAUSED_CHECK_INTERVAL_MS + 1000).toISOString());
      try {
        await runCycle(h.ctx);
      } finally {
        h.setNow(now.toISOString());
      }
      link = await h.linkOf(s.meterId);
      assert.equal(link.status, 'accepted');
      const after = await periodsIn(s.customer, s.meterId);
      assert.equal(after.length, before.length + 1);
    });

    it('an operator’s sync resumes a paused meter whose full access is back', async () => {
      const s = await sharedMeter('operateur', answersForLastBill());
      await runCycle(h.ctx);
      await s.customer.changeMeterAccess(s.meterId, 'Read');
      await runCycle(h.ctx);
      const link = await h.linkOf(s.meterId);
      assert.equal(link.status, 'paused');
      await s.customer.changeMeterAccess(s.meterId, 'Read Write');
      const r = await resyncLink(h.ctx, link.id, 'opératrice');
      assert.equal(r.outcome, 'nothing-to-send');
      assert.equal((await h.linkOf(s.meterId)).status, 'accepted');
      const resumed = (await h.decisionsOf(link.id)).filter((d) => d.decision === 'resumed');
      assert.deepEqual(
        resumed.map(({ decision, operator }) => ({ decision, operator })),
        [{ decision: 'resumed', operator: 'opératrice' }],
      );
    });

    it('a late UNSHARE about an earlier share does not end the meter’s new share', async () => {
      const s = await sharedMeter('partage_neuf', answersForLastBill());
      await runCycle(h.ctx);
      const first = await h.linkOf(s.meterId);
      assert.equal(first.status, 'accepted');

      const now = h.ctx.now();
      await s.customer.setMeterNoAccess(s.meterId); // UNSHARE, dated now
      h.setNow(new Date(now.getTime() + 60_000).toISOString());
      try {
        await s.customer.shareMeter(s.meterId, answersForLastBill());
        // The new share is decided before the UNSHARE is read (another instance, or ESPM's delay).
        await runCycle(h.ctx, ['MeterConnectionManager']);
        const second = await h.linkOf(s.meterId);
        assert.notEqual(second.id, first.id);
        assert.equal(second.status, 'accepted');
        await runCycle(h.ctx);
        assert.equal((await h.linkOf(s.meterId)).status, 'accepted', 'the new share stays');
        const notifications = await h.store.db
          .selectFrom('espm_notification')
          .select(['type_code', 'handled_at'])
          .where('meter_id', '=', s.meterId)
          .execute();
        assert.deepEqual(
          notifications.map((x) => [x.type_code, x.handled_at !== null]),
          [['UNSHARE', true]],
        );
        // A removal after the new share still ends it.
        await s.customer.setMeterNoAccess(s.meterId);
        await runCycle(h.ctx);
        const ended = await h.linkOf(s.meterId);
        assert.equal(ended.status, 'revoked');
        assert.equal(ended.reason_code, 'meter-unshared');
      } finally {
        h.setNow(now.toISOString());
      }
    });
  });
}
