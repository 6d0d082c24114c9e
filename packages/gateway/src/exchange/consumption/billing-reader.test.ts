import assert from 'node:assert/strict';
import { insertBareLink } from '../../../test-support/bare-link.ts';
import { beforeEach, it } from 'node:test';
import type { Kysely } from 'kysely';
import { readChanges } from '../../billing/changes.ts';
import type { BillingChange } from '../../billing/changes.ts';
import { importBillingRows } from '../../billing/import-billing-rows.ts';
import type { Database } from '../../store/schema.ts';
import { forEachStore, resetStore } from '../../../test-support/test-store.ts';
import { GUIDE_MAY_CELLS } from '../../../test-support/billing-rows.ts';
import { markChangedMetersDue } from './billing-reader.ts';

// The guide's example meter 2222222, and a neighbour 4444444 on the same account.
const may = { ...GUIDE_MAY_CELLS, estimated: false };
const neighbour = { ...may, invoice_number: '333333333334', meter_number: '4444444' };

async function due(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('meter_link')
    .select('meter_number')
    .where('sync_due', '=', true)
    .orderBy('meter_number')
    .execute();
  return rows.map((r) => r.meter_number!);
}

async function clearDue(db: Kysely<Database>): Promise<void> {
  await db.updateTable('meter_link').set({ sync_due: false }).execute();
}

/** A second destination's reader: it only collects what it is handed. */
async function readAsSecond(db: Kysely<Database>): Promise<string[]> {
  const seen: BillingChange[] = [];
  await readChanges(db, 'second-destination', async (_trx, changes) => void seen.push(...changes));
  return seen.map((c) => `${c.meterNumber} ${c.periodStart} ${c.previousStatus ?? 'new'}→${c.status}`);
}

forEachStore('the ESPM side reading billing’s changes', (s) => {
  beforeEach(() => resetStore(s.store));

  it('marks due, once, the links of the meters billing changed since its last read', async () => {
    const db = s.store.db;
    await insertBareLink(db, { meterNumber: '2222222', espmMeterId: '2222222' });
    await insertBareLink(db, { meterNumber: '4444444', espmMeterId: '4444444' });
    await importBillingRows(db, [may]);
    assert.deepEqual(await due(db), [], 'billing itself marks no link');

    assert.equal(await markChangedMetersDue(db), 1);
    assert.deepEqual(await due(db), ['2222222']);

    await clearDue(db);
    assert.equal(await markChangedMetersDue(db), 0);
    assert.deepEqual(await due(db), [], 'changes already read make nothing due again');

    await importBillingRows(db, [{ ...may, volume_m3: '201' }, neighbour]);
    await markChangedMetersDue(db);
    assert.deepEqual(await due(db), ['2222222', '4444444']);
  });

  it('leaves a cancelled period it never billed out of ESPM', async () => {
    const db = s.store.db;
    await insertBareLink(db, { meterNumber: '2222222', espmMeterId: '2222222' });
    await importBillingRows(db, [{ ...may, status: 'cancelled' }]);
    assert.equal(await markChangedMetersDue(db), 1);
    assert.deepEqual(await due(db), []);
  });

  it('lets a second reader see the same changes with its own cursor', async () => {
    const db = s.store.db;
    await insertBareLink(db, { meterNumber: '2222222', espmMeterId: '2222222' });
    await importBillingRows(db, [may]);
    await markChangedMetersDue(db);
    assert.deepEqual(await readAsSecond(db), ['2222222 2021-05-17 new→billed']);
    assert.deepEqual(await readAsSecond(db), []);

    await importBillingRows(db, [{ ...may, status: 'cancelled' }, neighbour]);
    assert.deepEqual(await readAsSecond(db), [
      '2222222 2021-05-17 billed→cancelled',
      '4444444 2021-05-17 new→billed',
    ]);
    await clearDue(db);
    await markChangedMetersDue(db);
    assert.deepEqual(await due(db), ['2222222'], 'the second reader moved nothing of the ESPM side’s');
  });

  it('hands the same changes again after a read that failed before its commit', async () => {
    const db = s.store.db;
    await insertBareLink(db, { meterNumber: '2222222', espmMeterId: '2222222' });
    await importBillingRows(db, [may]);
    await assert.rejects(
      readChanges(db, 'espm-consumption', async (trx) => {
        await trx.updateTable('meter_link').set({ sync_due: true }).execute();
        throw new Error('the process died');
      }),
      /the process died/,
    );
    assert.deepEqual(await due(db), [], 'nothing of the failed read stayed');
    assert.equal(await markChangedMetersDue(db), 1);
    assert.deepEqual(await due(db), ['2222222']);
  });

  it('reads in pages, each moving the cursor past what it handed', async () => {
    const db = s.store.db;
    const rows = Array.from({ length: 5 }, (_, i) => ({ ...neighbour, meter_number: `555000${i}` }));
    await importBillingRows(db, rows);
    const pages: number[] = [];
    const read = await readChanges(db, 'paged', async (_trx, changes) => void pages.push(changes.length), 2);
    assert.deepEqual([read, pages], [5, [2, 2, 1]]);
    assert.equal(await readChanges(db, 'paged', async () => assert.fail('nothing is left to read'), 2), 0);
  });
});
