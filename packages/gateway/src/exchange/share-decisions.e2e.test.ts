// Every way a meter share is decided, and every way access ends, against the ESPM simulator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MeterShareAnswers } from '@gaz-espm/espm-simulator';
import { GUIDE, GUIDE_NEXT_BILL, guideAnswers, guideBillingRows } from '../../test-support/guide-example.ts';
import type { BillingFileRow } from '../billing/billing-row.ts';
import type { Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import { updateConsumption } from './consumption/consumption-updater.ts';
import { runCycle } from './cycle.ts';
import { resolveConflict, unlockAccount } from './operator-actions.ts';

const OTHER_ACCOUNT = '22222222222';
const OTHER_METER = '7777777';
// Two invoices back: the one just before the latest would still be accepted, the latest being recent.
const OLD_INVOICE = '300000000020';

function billing(): BillingFileRow[] {
  const rows: BillingFileRow[] = guideBillingRows();
  rows.push({
    account_number: OTHER_ACCOUNT,
    invoice_number: '555555555555',
    invoice_date: '2023-04-01',
    meter_number: OTHER_METER,
    period_start: '2023-02-01',
    period_end: '2023-03-01',
    volume_m3: 100,
  });
  return rows;
}

type Answers = Partial<MeterShareAnswers>;
const valid = guideAnswers();

describe('meter share decisions and removals of access', () => {
  let h: Harness;
  let n = 0;

  /** A new connected customer with one property, sharing one meter. */
  async function shareOneMeter(
    answers: Partial<Answers>,
    meter: { type?: string; unitOfMeasure?: string; firstBillDate?: string } = {},
    accessLevel: 'Read' | 'Read Write' = 'Read Write',
    username = `customer${++n}`,
  ) {
    const customer = await h.customer(username, `Org ${username}`);
    return {
      customer,
      ...(await h.shareNewMeter(customer, `Immeuble ${username}`, { meter, answers, accessLevel })),
    };
  }

  async function lastFailureOf(accountId: string): Promise<Date> {
    const r = await h.store.db
      .selectFrom('validation_failure')
      .select((eb) => eb.fn.max('failed_at').as('at'))
      .where('espm_account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return new Date(r.at as Date);
  }

  function noteFor(meterId: string): string {
    const d = h.sim
      .state()
      .decisions.filter((x) => x.kind === 'meterShare' && x.id === meterId && !x.automatic);
    return d[d.length - 1]?.note ?? '';
  }

  before(async () => {
    h = await startHarness();
    await h.importAccepted(billing());
  });
  after(() => h.close());

  it('rejects each failing rule with a French and English note the customer can act on', async () => {
    const cases: Array<
      [string, Partial<Answers>, { type?: string; unitOfMeasure?: string }, 'Read' | 'Read Write', RegExp]
    > = [
      ['missing-field', { ...valid, initialLoad: undefined }, {}, 'Read Write', /est vide.*\/ .*is empty/],
      ['invalid-account-number', { ...valid, accountNumber: '12345' }, {}, 'Read Write', /10 ou 11 chiffres/],
      ['invalid-invoice-number', { ...valid, invoiceNumber: '1234' }, {}, 'Read Write', /12 chiffres/],
      ['invalid-meter-number', { ...valid, meterNumber: '12' }, {}, 'Read Write', /de 7 à 18/],
      ['invalid-initial-load', { ...valid, initialLoad: '36' }, {}, 'Read Write', /entre 0 et 24/],
      ['unknown-account', { ...valid, accountNumber: '99999999999' }, {}, 'Read Write', /introuvable/],
      ['meter-not-on-account', { ...valid, meterNumber: OTHER_METER }, {}, 'Read Write', /n’appartient pas/],
      ['invoice-not-latest', { ...valid, invoiceNumber: OLD_INVOICE }, {}, 'Read Write', /dernière facture/],
      [
        'not-natural-gas',
        valid,
        { type: 'Electric', unitOfMeasure: 'kWh (thousand Watt-hours)' },
        'Read Write',
        /gaz naturel/,
      ],
      ['read-only-access', valid, {}, 'Read', /accès complet/],
    ];
    // As EPA recommends for tests, the provider declares other meter types too, so that a customer
    // can share an electricity meter and the gateway's own rule is what refuses it.
    await h.espm.putDataExchangeSettings({
      termsOfUse: { kind: 'none' },
      supportedMeterTypes: ['Natural Gas', 'Electric'],
    });
    const shares = [];
    for (const [rule, answers, meter, access, note] of cases) {
      shares.push({ rule, note, ...(await shareOneMeter(answers, meter, access)) });
    }
    await runCycle(h.ctx);
    for (const s of shares) {
      const link = await h.linkOf(s.meterId);
      assert.equal(link.status, 'rejected', s.rule);
      assert.equal(link.reason_code, s.rule);
      assert.match(noteFor(s.meterId), s.note, s.rule);
      assert.match(noteFor(s.meterId), / \/ Share rejected: /, s.rule);
      assert.deepEqual(await s.customer.bills(s.meterId), [], s.rule);
    }
    // What a malformed share names is recorded too, for the helpdesk's search by number.
    const malformed = await h.linkOf(shares.find((s) => s.rule === 'invalid-account-number')!.meterId);
    assert.deepEqual(
      [malformed.account_number, malformed.invoice_number, malformed.meter_number, malformed.initial_load],
      ['12345', GUIDE.invoiceNumber, GUIDE.meterNumber, 24],
    );
    assert.equal(JSON.parse(JSON.stringify(malformed.custom_fields))['Numéro du compte'], '12345');
  });

  it('ignores the spaces and hyphens a customer types', async () => {
    const s = await shareOneMeter({
      accountNumber: '111-1111 1111',
      invoiceNumber: '3333 3333 3333',
      meterNumber: '22-22-222',
      initialLoad: ' 3 ',
    });
    await runCycle(h.ctx);
    const link = await h.linkOf(s.meterId);
    assert.equal(link.status, 'accepted');
    assert.equal(link.account_number, GUIDE.accountNumber);
    assert.equal(link.meter_number, GUIDE.meterNumber);
    assert.equal((await s.customer.bills(s.meterId)).length, 3);
  });

  it('locks an account out after 5 failures in 24 hours, until an operator unlocks it', async () => {
    const customer = await h.customer('brute', 'Force');
    const propertyId = await h.sharedProperty(customer, 'Cible');
    const meters: string[] = [];
    for (let i = 0; i < 6; i++) {
      // five wrong invoice numbers, then the right one
      const answers = i < 5 ? { ...valid, invoiceNumber: String(100000000000 + i) } : valid;
      meters.push(await h.addSharedMeter(customer, propertyId, { meter: { name: `Gaz ${i}` }, answers }));
    }
    h.ctx.customerContact = {
      fr: 'le service à la clientèle au 1 800 555-0199',
      en: 'customer service at 1-800-555-0199',
    };
    await runCycle(h.ctx);
    h.ctx.customerContact = undefined;
    const reasons = await Promise.all(meters.map(async (m) => (await h.linkOf(m)).reason_code));
    assert.deepEqual(reasons, [
      'invoice-not-latest',
      'invoice-not-latest',
      'invoice-not-latest',
      'invoice-not-latest',
      'invoice-not-latest',
      'locked-out',
    ]);
    // Until when, how to reach the utility (as configured, in both languages), and to share again.
    const note = noteFor(meters[5]!).replace(/[\u00a0\u202f]/g, ' ');
    const until = new Date((await lastFailureOf(customer.accountId)).getTime() + 24 * 3600_000);
    const day = new Intl.DateTimeFormat('fr-CA', { dateStyle: 'long', timeZone: 'America/Montreal' })
      .format(until)
      .replace(/[\u00a0\u202f]/g, ' ');
    assert.ok(note.includes(`verrouillé jusqu’au ${day} à `), note);
    assert.match(note, /communiquez avec le service à la clientèle au 1 800 555-0199\./);
    assert.match(note, /contact customer service at 1-800-555-0199\./);
    assert.match(note, /Une fois le compte déverrouillé, partagez le compteur de nouveau\./);
    assert.match(note, /Once your account is unlocked, share the meter again\./);
    const locked = await h.linkOf(meters[5]!);
    assert.deepEqual(
      [locked.account_number, locked.invoice_number, locked.meter_number],
      [GUIDE.accountNumber, GUIDE.invoiceNumber, GUIDE.meterNumber],
    );

    await unlockAccount(h.ctx, customer.accountId, 'opérateur');
    const again = await h.addSharedMeter(customer, propertyId, { meter: { name: 'Gaz 7' }, answers: valid });
    await runCycle(h.ctx);
    assert.equal((await h.linkOf(again)).status, 'accepted');
  });

  it('reads every page of 45 pending shares and sends each ESPM meter of one billing meter its data once', async () => {
    const customer = await h.customer('gestionnaire', 'Gestion');
    const propertyId = await h.sharedProperty(customer, 'Tour');
    const meters: string[] = [];
    for (let i = 0; i < 45; i++)
      meters.push(
        await h.addSharedMeter(customer, propertyId, {
          meter: { name: `Gaz ${i}` },
          answers: guideAnswers(2),
        }),
      );
    h.sim.resetRequests();
    await runCycle(h.ctx);
    const pages = h.sim.requests().provider.byRoute['GET /share/meter/pending/list'];
    assert.equal(pages, 3);
    for (const m of meters) {
      assert.equal((await h.linkOf(m)).status, 'accepted');
      assert.equal((await customer.bills(m)).length, 2);
    }
    const answers = h.sim.state().decisions.filter((d) => d.kind === 'meterShare' && meters.includes(d.id));
    assert.equal(answers.length, 45);
  });

  it('sends usage in the meter’s own unit', async () => {
    const s = await shareOneMeter(guideAnswers(1), { unitOfMeasure: 'therms' });
    await runCycle(h.ctx);
    const [bill] = await s.customer.bills(s.meterId);
    assert.equal(Number(bill!.usage), 99.4266); // 273 m³ × 36.42 kBtu/m³ ÷ 100 kBtu/therm
  });

  it('holds back periods overlapping the customer’s own bills, until an operator decides', async () => {
    const keep = await shareOneMeter(guideAnswers(6));
    const replace = await shareOneMeter(guideAnswers(6));
    for (const s of [keep, replace])
      await s.customer.enterBill(s.meterId, { startDate: '2023-01-01', endDate: '2023-01-31', usage: '999' });
    await runCycle(h.ctx);
    for (const s of [keep, replace]) {
      const link = await h.linkOf(s.meterId);
      assert.equal(link.status, 'conflict');
      const bills = await s.customer.bills(s.meterId);
      // 6 periods in the window, 2 of them overlap January: 4 sent beside the customer's bill
      assert.equal(bills.length, 5);
    }
    await resolveConflict(h.ctx, (await h.linkOf(keep.meterId)).id, 'keep-customer', 'opératrice');
    await resolveConflict(h.ctx, (await h.linkOf(replace.meterId)).id, 'replace', 'opératrice');
    await updateConsumption(h.ctx);
    await updateConsumption(h.ctx);
    const kept = await keep.customer.bills(keep.meterId);
    assert.equal(kept.length, 5);
    assert.ok(kept.some((b) => b.usage === '999'));
    assert.equal((await h.linkOf(keep.meterId)).status, 'accepted');
    const replaced = await replace.customer.bills(replace.meterId);
    assert.equal(replaced.length, 6);
    assert.ok(!replaced.some((b) => b.usage === '999'));
  });

  it('stops sending after each of the guide’s four removals and a disconnection', async () => {
    const ways = {
      'remove-contact': async (s: Awaited<ReturnType<typeof shareOneMeter>>) =>
        s.customer.removeContactFromAllProperties(),
      'remove-all-access': async (s: Awaited<ReturnType<typeof shareOneMeter>>) =>
        s.customer.removeAllAccessToProperty(s.propertyId),
      'remove-provider': async (s: Awaited<ReturnType<typeof shareOneMeter>>) =>
        s.customer.removeProviderFromProperty(s.propertyId),
      'no-access': async (s: Awaited<ReturnType<typeof shareOneMeter>>) =>
        s.customer.setMeterNoAccess(s.meterId),
      disconnect: async (s: Awaited<ReturnType<typeof shareOneMeter>>) => s.customer.disconnect(),
    };
    type Shared = Awaited<ReturnType<typeof shareOneMeter>> & {
      way: string;
      remove: (s: Awaited<ReturnType<typeof shareOneMeter>>) => Promise<unknown>;
    };
    const shared: Shared[] = [];
    for (const [way, remove] of Object.entries(ways))
      shared.push({ way, remove, ...(await shareOneMeter(guideAnswers(1))) });
    await runCycle(h.ctx);
    for (const s of shared) assert.equal((await h.linkOf(s.meterId)).status, 'accepted', s.way);
    for (const s of shared) await s.remove(s);
    await runCycle(h.ctx);
    for (const s of shared) {
      const link = await h.linkOf(s.meterId);
      assert.equal(link.status, 'revoked', s.way);
    }
    // a new billing period reaches none of them
    h.sim.resetRequests();
    await h.importBilling([GUIDE_NEXT_BILL]);
    await runCycle(h.ctx);
    const writes = h.sim
      .state()
      .consumption.filter((e) => shared.some((s) => s.meterId === e.meterId) && e.startDate === '2023-04-09');
    assert.deepEqual(writes, []);
    const refused =
      h.sim.requests().provider.byRouteAndStatus['POST /meter/:meterId/consumptionData']?.['403'];
    assert.equal(refused, undefined);
  });
});
