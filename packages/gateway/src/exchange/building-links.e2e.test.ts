// A building's aggregate meter over time, end to end on both stores: time alone makes its link due (a
// tenant's meter reaching the "ended" age completes a month with no billing import), a link that no
// operator renews within the renewal period pauses with a note and sends again once renewed, and
// revoking the building's codes ends the link: nothing more is written, not even by a run under way,
// and the meter is unshared in ESPM with the bilingual note.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isEspmError } from '@gaz-espm/espm';
import type { BillingFileRow } from '../billing/billing-row.ts';
import { codeState, issueCode } from '../buildings/aggregation-codes.ts';
import { createBuildingOf } from '../../test-support/building.ts';
import { testStoreKinds } from '../../test-support/test-store.ts';
import type { Harness } from '../../test-support/harness.ts';
import { aggregateMeterShare, startHarness } from '../../test-support/harness.ts';
import { renewBuildingLinks, revokeBuildingCodes } from './building-links.ts';
import { LinkStopped, leaseCheckedWriter } from './consumption/consumption-writer.ts';
import { runCycle } from './cycle.ts';
import { leasesOf } from './leases.ts';
import { CODE_REVOKED_UNSHARE_NOTE, RENEWAL_LAPSED, noteText } from './notes.ts';
import { pushSettings } from './settings.ts';

const TENANTS = 7;

/** Calendar-month bills of tenant `t` (0-based) for the months `from`..`to` (YYYY-MM). */
function bills(t: number, from: string, to: string): BillingFileRow[] {
  const rows: BillingFileRow[] = [];
  for (let m = new Date(`${from}-01T00:00:00Z`); m.toISOString().slice(0, 7) <= to;) {
    const start = m.toISOString().slice(0, 10);
    const next = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
    const end = new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
    const k = rows.length;
    rows.push({
      account_number: String(5_200_000_000 + t),
      invoice_number: String(920_000_000_000 + t * 1000 + Number(start.slice(2, 4)) * 12 + m.getUTCMonth()),
      invoice_date: new Date(next.getTime() + 2 * 86_400_000).toISOString().slice(0, 10),
      meter_number: `BLK${1_000_000 + t}`,
      period_start: start,
      period_end: end,
      volume_m3: `${100 + t * 9 + ((k * 7) % 20)}.${String((t * 131 + k * 17) % 1000).padStart(3, '0')}`,
      premise_id: `PR-52${t}`,
      service_address: `${52 + t}, rue Saint-Denis, Montréal`,
    });
    m = next;
  }
  return rows;
}

for (const kind of testStoreKinds()) {
  describe(`a building's aggregate meter over time (${kind})`, () => {
    let h: Harness;
    let owner: Awaited<ReturnType<Harness['customer']>>;
    let meterId = '';
    const linkOf = () => h.linkOf(meterId);
    const months = async () => (await owner.bills(meterId)).map((b) => b.startDate.slice(0, 7));

    before(async () => {
      h = await startHarness({ store: kind });
      await pushSettings(h.ctx);
      // Tenant 6 moved out at the end of February 2023; the others are billed through March.
      const rows = Array.from({ length: TENANTS }, (_, t) =>
        bills(t, '2022-01', t === 6 ? '2023-02' : '2023-03'),
      ).flat();
      await h.importAccepted(rows);
      const premises = Array.from({ length: TENANTS }, (_, t) => `PR-52${t}`);
      await createBuildingOf(
        h.store.db,
        { buildingId: 'B-52', name: 'Plex Saint-Denis' },
        premises,
        h.ctx.now(),
      );
      const { code } = await issueCode(h.store.db, 'B-52', { operator: 'marie' }, h.ctx.now(), {
        name: 'Gestion Saint-Denis',
        contact: 'proprio@example.com',
      });
      owner = await h.customer('proprio52', 'Gestion Saint-Denis');
      ({ meterId } = await h.shareNewMeter(owner, 'Plex Saint-Denis', aggregateMeterShare(code)));
      await runCycle(h.ctx);
      assert.equal((await linkOf()).status, 'accepted');
    });
    after(() => h.close());

    it('sends a month that time alone completed (a moved-out tenant’s meter reaching the ended age), with no billing import', async () => {
      // Tenant 6's last bill ended 2023-02-28, 50 days ago: March may still get a bill from it.
      assert.equal((await months()).at(-1), '2023-02');
      // 94 days after it, the meter has ended and March is complete; nothing was imported since.
      h.setNow('2023-06-02T12:00:00Z');
      await h.cleanCycle();
      assert.equal((await months()).at(-1), '2023-03');
    });

    it('pauses a link not renewed within 12 months, with the note, and sends again once an operator renews it', async () => {
      const accepted = await linkOf();
      h.setNow('2024-04-20T12:00:00Z');
      const april = Array.from({ length: 6 }, (_, t) => bills(t, '2023-04', '2023-04')).flat();
      await h.importAccepted(april);
      await runCycle(h.ctx);
      const paused = await linkOf();
      assert.deepEqual([paused.status, paused.reason_code], ['paused', 'renewal-due']);
      assert.ok(!(await months()).includes('2023-04'));
      const decision = (await h.decisionsOf(accepted.id)).at(-1);
      assert.deepEqual([decision?.decision, decision?.note], ['paused', noteText(RENEWAL_LAPSED)]);
      // The hourly check of paused meters finds Read Write, and still does not resume it.
      h.setNow('2024-04-21T12:00:00Z');
      await runCycle(h.ctx);
      assert.equal((await linkOf()).status, 'paused');
      assert.ok(!(await months()).includes('2023-04'));

      assert.equal(await renewBuildingLinks(h.store.db, 'B-52', { operator: 'marie' }, h.ctx.now()), 1);
      const renewed = await linkOf();
      assert.equal(renewed.status, 'accepted');
      assert.equal(renewed.renewed_at?.toISOString(), '2024-04-21T12:00:00.000Z');
      await runCycle(h.ctx);
      assert.ok((await months()).includes('2023-04'));
      const log = (await h.journalOf(meterId)).filter((l) =>
        ['paused:renewal-due', 'renewed'].includes(l.outcome),
      );
      assert.deepEqual(
        log.map((l) => [l.outcome, l.operator]),
        [
          ['paused:renewal-due', null],
          ['renewed', 'marie'],
        ],
      );
    });

    it('revoking the building’s codes ends the link: nothing more is written, and the meter is unshared with the note', async () => {
      const unshared: Array<[string, string | undefined]> = [];
      const unshare = h.espm.unshareMeter.bind(h.espm);
      h.espm.unshareMeter = (id, note) => {
        unshared.push([id, note]);
        return unshare(id, note);
      };
      const before = await owner.bills(meterId);
      const link = await linkOf();
      // A run under way holds the link's lease and its writer when the code is revoked.
      const lease = await leasesOf(h.ctx).claimLink(link.id);
      assert.ok(lease);
      const writer = leaseCheckedWriter(h.espm, lease, { db: h.store.db, id: link.id });
      const posted: string[] = [];
      const create = h.espm.createConsumption.bind(h.espm);
      h.espm.createConsumption = (id, entries) => {
        posted.push(id);
        return create(id, entries);
      };

      const r = await revokeBuildingCodes(h.ctx, 'B-52', { operator: 'marie' });
      assert.deepEqual(r, { codes: 1, links: 1, unshareFailed: [] });
      const ended = await linkOf();
      assert.deepEqual([ended.id, ended.status, ended.reason_code], [link.id, 'revoked', 'code-revoked']);
      assert.deepEqual(unshared, [[meterId, noteText(CODE_REVOKED_UNSHARE_NOTE)]]);
      assert.match(noteText(CODE_REVOKED_UNSHARE_NOTE), /révoqué .* \/ The utility revoked/);
      const access = await h.espm.getMeter(meterId).catch((e: unknown) => e);
      assert.ok(isEspmError(access, 'access-lost'), String(access));
      const code = await h.store.db.selectFrom('aggregation_code').selectAll().executeTakeFirstOrThrow();
      assert.equal(codeState(code, h.ctx.now()), 'revoked');
      // The run under way writes nothing more.
      const may = { startDate: '2023-05-01', endDate: '2023-05-31', usage: '700' };
      await assert.rejects(writer.create(meterId, [may]), LinkStopped);
      await lease.release();
      assert.deepEqual(posted, []);

      // May is billed: nothing reaches the owner's meter.
      const mayBills = Array.from({ length: 6 }, (_, t) => bills(t, '2023-05', '2023-05')).flat();
      await h.importAccepted(mayBills);
      await runCycle(h.ctx);
      assert.deepEqual(await owner.bills(meterId), before);
      // Run again, it finds nothing left to end, and takes ESPM's "no access" as done.
      assert.deepEqual(await revokeBuildingCodes(h.ctx, 'B-52', { operator: null }), {
        codes: 0,
        links: 0,
        unshareFailed: [],
      });
    });
  });
}
