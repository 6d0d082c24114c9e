// Whole-building data end to end: a building of seven tenants on different billing cycles (one moving
// out, another moving into the same premise) goes through an aggregation code, the owner's share of
// an aggregate meter with 12 months of history, a correction and a cancellation of one tenant's bill
// (withheld: each would show that bill), a re-billing of the whole building (written in place), and a
// new month; a two-tenant building is refused without a word about its tenants.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCycle } from '../exchange/cycle.ts';
import { pushSettings } from '../exchange/settings.ts';
import { createBuildingOf } from '../../test-support/building.ts';
import { testStoreKinds } from '../../test-support/test-store.ts';
import type { BillingFileRow } from '../billing/billing-row.ts';
import type { Harness } from '../../test-support/harness.ts';
import { aggregateMeterShare, startHarness } from '../../test-support/harness.ts';
import { issueCode } from './aggregation-codes.ts';
import { buildingMonths } from './building-months.ts';
import { BuildingMonthsCache, buildingDetail } from '../console/queries/buildings.ts';
import { addPremises, closeBuilding, removePremise } from './buildings.ts';
import { dateOf, dayNumber } from './monthly-totals.ts';
import { DEFAULT_PRIVACY_RULE } from './privacy-rule.ts';

interface Tenant {
  account: string;
  meter: string;
  premise: string;
  /** Days per billing period. */
  cycle: number;
  from: string;
  /** Last day billed, for a tenant who moved out. */
  until?: string;
}

const TODAY = '2023-04-19';
const NOON = new Date(`${TODAY}T12:00:00Z`);
const TENANTS: Tenant[] = [
  { account: '3000000001', meter: 'BLD1000001', premise: 'PR-701', cycle: 30, from: '2021-01-01' },
  { account: '3000000002', meter: 'BLD1000002', premise: 'PR-702', cycle: 31, from: '2021-01-10' },
  { account: '3000000003', meter: 'BLD1000003', premise: 'PR-703', cycle: 28, from: '2021-01-05' },
  // Billed every two months.
  { account: '3000000004', meter: 'BLD1000004', premise: 'PR-704', cycle: 61, from: '2021-01-01' },
  { account: '3000000005', meter: 'BLD1000005', premise: 'PR-705', cycle: 33, from: '2021-01-20' },
  // Moves out on 2022-09-28; the next tenant moves into the same premise on 2022-10-05.
  {
    account: '3000000006',
    meter: 'BLD1000006',
    premise: 'PR-706',
    cycle: 30,
    from: '2021-01-15',
    until: '2022-09-28',
  },
  { account: '3000000007', meter: 'BLD1000007', premise: 'PR-706', cycle: 29, from: '2022-10-05' },
];
const SMALL: Tenant[] = [
  { account: '3100000001', meter: 'BLD2000001', premise: 'PR-801', cycle: 30, from: '2022-01-01' },
  { account: '3100000002', meter: 'BLD2000002', premise: 'PR-802', cycle: 30, from: '2022-01-01' },
];

/** Each tenant's bills up to `lastDay`, consecutive, invoiced two days after each period. */
function billing(tenants: Tenant[], lastDay: string, invoiceBase = 0): BillingFileRow[] {
  const rows: BillingFileRow[] = [];
  tenants.forEach((t, i) => {
    const stop = Math.min(dayNumber(lastDay), t.until ? dayNumber(t.until) : Infinity);
    for (let start = dayNumber(t.from), k = 0; ; start += t.cycle, k++) {
      const end = Math.min(start + t.cycle - 1, t.until ? dayNumber(t.until) : Infinity);
      if (start > stop || end > stop) break;
      rows.push({
        account_number: t.account,
        invoice_number: String(700_000_000_000 + invoiceBase + i * 10_000 + k),
        invoice_date: dateOf(end + 2),
        meter_number: t.meter,
        period_start: dateOf(start),
        period_end: dateOf(end),
        volume_m3: `${90 + 7 * i + ((k * 13) % 40)}.${String((k * 37) % 1000).padStart(3, '0')}`,
        premise_id: t.premise,
        service_address: `${1000 + i}, rue Sherbrooke Ouest, Montréal`,
      });
    }
  });
  return rows;
}

function periodsOf(rows: BillingFileRow[]) {
  return rows.map((r) => ({
    meterNumber: r.meter_number,
    accountNumber: r.account_number,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    volumeM3: r.status === 'cancelled' ? '0' : String(r.volume_m3),
    estimated: false,
    customerId: null,
    ownerHeld: false,
    fromMonth: null,
    untilMonth: null,
  }));
}

for (const kind of testStoreKinds()) {
  describe(`a multi-tenant building, end to end (${kind})`, () => {
    let h: Harness;
    let owner: Awaited<ReturnType<Harness['customer']>>;
    let meterId = '';
    let rows: BillingFileRow[] = [];
    let code = '';

    before(async () => {
      h = await startHarness({ store: kind });
      await pushSettings(h.ctx);
      rows = billing(TENANTS, '2023-04-12');
      await h.importAccepted([...rows, ...billing(SMALL, '2023-04-12', 500_000)]);
      const tower = { buildingId: 'B-700', name: 'Tour Sherbrooke' };
      await createBuildingOf(h.store.db, tower, [...new Set(TENANTS.map((t) => t.premise))], NOON);
      const duplex = { buildingId: 'B-800', name: 'Duplex' };
      await createBuildingOf(
        h.store.db,
        duplex,
        SMALL.map((t) => t.premise),
        NOON,
      );
      code = await codeFor('B-700');

      owner = await h.customer('proprio700', 'Gestion Sherbrooke');
      ({ meterId } = await h.shareNewMeter(
        owner,
        'Tour Sherbrooke',
        aggregateMeterShare(code.toLowerCase()),
      ));
    });
    after(() => h.close());

    /** A new aggregation code for the building, issued by an operator today. */
    const codeFor = async (building: string) =>
      (await issueCode(h.store.db, building, { operator: 'marie' }, NOON)).code;

    it('accepts the aggregate meter and sends one entry per complete calendar month of the last 12', async () => {
      await h.cleanCycle();
      const link = await h.linkOf(meterId);
      assert.equal(link.status, 'accepted', link.decision_note ?? '');
      assert.equal(link.building_id, 'B-700');
      assert.equal(link.history_from, '2022-04-19');
      // The code is never kept in clear, not even as the customer's answer on the link.
      assert.ok(!JSON.stringify(link.custom_fields).includes(code), 'the code is stored in clear');
      assert.ok(!JSON.stringify(link.custom_fields).toLowerCase().includes(code.toLowerCase()));

      const expected = buildingMonths(periodsOf(rows), TODAY, DEFAULT_PRIVACY_RULE).filter(
        (m) => m.withheld === null && m.end > '2022-04-19',
      );
      const bills = await owner.bills(meterId);
      assert.deepEqual(
        bills.map((b) => [b.startDate, b.endDate, b.usage]),
        expected.map((m) => [m.month, m.end, String(Number(m.volumeM3))]),
      );
      // April 2022 to February 2023; March waits for the bimonthly tenant's next bill.
      assert.equal(bills[0]!.startDate, '2022-04-01');
      assert.equal(bills.at(-1)!.startDate, '2023-02-01');
      const march = await h.store.db
        .selectFrom('building_month')
        .selectAll()
        .where('building_id', '=', 'B-700')
        .where('month', '=', '2023-03-01')
        .executeTakeFirstOrThrow();
      assert.deepEqual([march.state, march.reason], ['withheld', 'incomplete']);
      // The code is now bound to this meter.
      const bound = await h.store.db.selectFrom('aggregation_code').selectAll().executeTakeFirstOrThrow();
      assert.equal(bound.espm_meter_id, meterId);
      assert.ok(bound.used_at);
    });

    it('refuses the same code on another meter, and a wrong code, counting it toward the lockout', async () => {
      const other = await h.customer('autre700');
      const { meterIds } = await h.shareNewProperty(other, 'Ailleurs', [
        aggregateMeterShare(code, '0'),
        aggregateMeterShare('ZZZZZZZZZZZZZZZZ', '0'),
      ]);
      await runCycle(h.ctx);
      const decided = await Promise.all(meterIds.map((m) => h.linkOf(m)));
      assert.deepEqual(
        decided.map((d) => [d.status, d.reason_code]),
        [
          ['rejected', 'invalid-aggregation-code'],
          ['rejected', 'invalid-aggregation-code'],
        ],
      );
      const failures = await h.store.db
        .selectFrom('validation_failure')
        .select('rule')
        .where('espm_account_id', '=', other.accountId)
        .execute();
      assert.equal(failures.length, 2);
    });

    it('refuses a building below the threshold with a note that says nothing of its tenants', async () => {
      const small = await codeFor('B-800');
      const duplex = await h.customer('duplex800');
      const { meterId: meter } = await h.shareNewMeter(duplex, 'Duplex', aggregateMeterShare(small));
      await runCycle(h.ctx);
      const link = await h.linkOf(meter);
      assert.equal(link.reason_code, 'building-below-threshold');
      const note = link.decision_note ?? '';
      assert.doesNotMatch(note, /\d|locataire|tenant|compte|account/i);
      assert.deepEqual(await duplex.bills(meter), []);
    });

    it('accepts a code on a meter the pending list does not flag, then unshares it when GET /meter says it is not aggregate', async () => {
      // ESPM lists no aggregateMeter in pending shares: the flag is read once the share is accepted.
      const fresh = await codeFor('B-700');
      const tenant = await h.customer('plain700');
      const { meterId: plain } = await h.shareNewMeter(tenant, 'Tour Sherbrooke, local 4', {
        meter: { name: 'G plain' },
        answers: { aggregationCode: fresh, initialLoad: '12' },
      });
      await h.cleanCycle();
      const link = await h.linkOf(plain);
      assert.deepEqual([link.status, link.reason_code], ['revoked', 'not-aggregate-meter']);
      assert.deepEqual(await tenant.bills(plain), [], 'nothing sent before ESPM confirmed the meter');
      // GET /meter did not carry the flag for this meter: the aggregation indicator was read.
      const reads = h.sim.requests().provider.byRouteAndStatus['GET /meter/:meterId/aggregateMeter'] ?? {};
      assert.ok((reads[200] ?? 0) >= 1, JSON.stringify(reads));
      // ESPM took the acceptance, then the unsharing, with a note in French and English.
      const state = h.sim.state();
      const accepted = state.decisions.find((d) => d.kind === 'meterShare' && d.id === plain);
      assert.equal(accepted?.action, 'Accept');
      const share = state.meterShares.find((m) => m.resourceId === plain);
      assert.deepEqual([share?.status, share?.removedBy], ['removed', 'provider']);
      const decision = (await h.decisionsOf(link.id)).find((d) => d.decision === 'revoked');
      assert.match(decision?.note ?? '', /compteur agrégé.* \/ .*aggregate meter/);
      // The code is free again for the building's aggregate meter.
      const codes = await h.store.db
        .selectFrom('aggregation_code')
        .select(['espm_meter_id', 'used_at'])
        .where('espm_meter_id', '=', plain)
        .execute();
      assert.deepEqual(codes, []);
    });

    it('withholds a tenant’s correction or cancellation of months written: ESPM keeps what it shows', async () => {
      const before = await owner.bills(meterId);
      // Tenant 3 corrects a bill of October 2022; tenant 2's bill over December–January is cancelled.
      const corrected = rows.map((r) =>
        r.meter_number === 'BLD1000003' && r.period_start <= '2022-10-15' && r.period_end >= '2022-10-15'
          ? { ...r, volume_m3: '480.5' }
          : r.meter_number === 'BLD1000002' && r.period_start <= '2023-01-01' && r.period_end >= '2022-12-31'
            ? { ...r, status: 'cancelled' as const }
            : r,
      );
      const changed = corrected.filter((r, i) => r !== rows[i]);
      assert.equal(changed.length, 2);
      await h.importAccepted(changed);
      await runCycle(h.ctx);

      // Each change is one tenant's: written, it would be that tenant's bill.
      const after = await owner.bills(meterId);
      assert.deepEqual(
        after.map((b) => [b.id, b.startDate, b.usage]),
        before.map((b) => [b.id, b.startDate, b.usage]),
      );
      const held = await h.store.db
        .selectFrom('building_month')
        .select(['month', 'revision_withheld'])
        .where('building_id', '=', 'B-700')
        .where('revision_withheld', 'is not', null)
        .orderBy('month')
        .execute();
      const months = held.map((m) => m.month);
      assert.ok(months.includes('2022-10-01') && months.includes('2023-01-01'), months.join(' '));
      assert.ok(held.every((m) => m.revision_withheld === 'too-few-customers'));
      const logged = (await h.journalOf('B-700')).filter(
        (l) => l.outcome === 'revision-withheld:too-few-customers',
      );
      assert.equal(logged.length, held.length);
      // Once: a second cycle logs nothing more.
      await runCycle(h.ctx);
      const again = (await h.journalOf('B-700')).filter((l) => l.outcome.startsWith('revision-withheld'));
      assert.equal(again.length, held.length);
      rows = corrected;
    });

    it('writes a re-billing of the whole building in place: the same entry, updated (PUT)', async () => {
      const before = await owner.bills(meterId);
      const december = before.find((b) => b.startDate === '2022-12-01')!;
      // Every tenant's bills reaching December are re-billed 10 % higher (a rate error, say).
      const rebilled = rows.map((r) =>
        r.period_start <= '2022-12-31' && r.period_end >= '2022-12-01' && r.status !== 'cancelled'
          ? { ...r, volume_m3: (Number(r.volume_m3) * 1.1).toFixed(3) }
          : r,
      );
      await h.importBilling(rebilled.filter((r, i) => r !== rows[i]));
      await runCycle(h.ctx);
      const after = await owner.bills(meterId);
      const expected = buildingMonths(periodsOf(rebilled), TODAY, DEFAULT_PRIVACY_RULE).find(
        (m) => m.month === '2022-12-01',
      )!;
      const updated = after.find((b) => b.startDate === '2022-12-01')!;
      assert.equal(updated.id, december.id);
      assert.equal(updated.usage, String(Number(expected.volumeM3)));
      assert.notEqual(updated.usage, december.usage);
      assert.equal(after.length, before.length);
      const released = (await h.journalOf('B-700')).filter((l) => l.outcome === 'revision-released');
      assert.ok(released.some((l) => (l.event as { month: string }).month === '2022-12-01'));
      rows = rebilled;
    });

    it('sends March once the bimonthly tenant’s bill covers it', async () => {
      h.setNow('2023-05-20T12:00:00Z');
      const next = billing(TENANTS, '2023-05-15').filter((r) => r.period_end > '2023-04-12');
      assert.ok(next.some((r) => r.meter_number === 'BLD1000004'));
      await h.importBilling(next);
      await runCycle(h.ctx);
      const bills = await owner.bills(meterId);
      const starts = bills.map((b) => b.startDate);
      assert.equal(new Set(starts).size, starts.length);
      assert.ok(starts.includes('2023-03-01'), starts.join(' '));
    });

    it('takes a premise out for the months begun after, and lets it come back for the next ones', async () => {
      const before = await owner.bills(meterId);
      const at = new Date('2023-05-20T12:00:00Z');
      await removePremise(h.store.db, 'B-700', 'PR-705', { operator: 'marie' }, at);
      await addPremises(
        h.store.db,
        'B-700',
        [{ premiseId: 'PR-705', ownerHeld: false }],
        { operator: 'marie' },
        at,
      );
      const stays = await h.store.db
        .selectFrom('building_premise')
        .select(['from_month', 'until_month'])
        .where('premise_id', '=', 'PR-705')
        .orderBy('id')
        .execute();
      assert.deepEqual(stays, [
        { from_month: null, until_month: '2023-05-01' },
        { from_month: '2023-06-01', until_month: null },
      ]);
      await runCycle(h.ctx);
      // Nothing written changes: the premise still counts in every month begun before its removal.
      assert.deepEqual(
        (await owner.bills(meterId)).map((b) => [b.id, b.usage]),
        before.map((b) => [b.id, b.usage]),
      );
      await assert.rejects(
        removePremise(h.store.db, 'B-700', 'PR-999', { operator: 'marie' }, at),
        /premise PR-999 is not in building B-700/,
      );
    });

    it('closes a building: its premises leave it for the months after, and nothing written changes', async () => {
      const before = await owner.bills(meterId);
      const at = new Date('2023-05-20T12:00:00Z');
      // Nothing was ever written for the duplex: its premises are simply forgotten.
      assert.equal(await closeBuilding(h.store.db, 'B-800', { operator: 'marie' }, at), 2);
      assert.equal(await closeBuilding(h.store.db, 'B-700', { operator: 'marie' }, at), 6);
      const left = await h.store.db
        .selectFrom('building_premise')
        .select(['building_id', 'until_month'])
        .where('until_month', 'is', null)
        .where('building_id', 'in', ['B-700', 'B-800'])
        .execute();
      assert.deepEqual(left, []);
      await runCycle(h.ctx);
      assert.deepEqual(
        (await owner.bills(meterId)).map((b) => [b.id, b.usage]),
        before.map((b) => [b.id, b.usage]),
      );
    });

    it('lists on the building page the revisions withheld, beside the value written', async () => {
      const detail = await buildingDetail(
        h.store.db,
        'B-700',
        DEFAULT_PRIVACY_RULE,
        h.ctx.now(),
        new BuildingMonthsCache(),
      );
      const held = detail!.months.filter((m) => m.release.kind === 'revision-withheld');
      assert.ok(
        held.some((m) => m.month === '2022-10-01'),
        held.map((m) => m.month).join(' '),
      );
      assert.ok(held.every((m) => m.written !== null && m.written !== m.volumeM3));
    });
  });
}
