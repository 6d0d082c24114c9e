import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBatch } from './batch-plan.ts';
import type { BatchContext, BatchPlan, NumberedRow, StoredPeriod } from './batch-plan.ts';
import type { BillingRow } from './billing-row.ts';
import { rowReasonText } from './reason-text.ts';
import { guideMayRow } from '../../test-support/billing-rows.ts';

/** The plan's rejections as the import report words them. */
function inEnglish(plan: BatchPlan) {
  return plan.rejections.map((r) => ({ line: r.line, reason: rowReasonText('en', r.problems) }));
}

const IMPORT = 7;
const context: BatchContext = {
  importId: IMPORT,
  sameContentImports: new Set([3]),
  completedSameContent: null,
  position: 'line',
};

/** What makes the guide's May row its April one: the period and its invoice. */
const APRIL = {
  periodStart: '2021-04-16',
  periodEnd: '2021-05-16',
  invoiceNumber: '333333333332',
  invoiceDate: '2021-05-20',
};

function row(line: number, changes: Partial<BillingRow> = {}): NumberedRow {
  return { line, row: guideMayRow(changes) };
}

/** The guide's April period as import 1 stored it from its line 2; `changes` vary it. */
function stored(changes: Partial<StoredPeriod> = {}): StoredPeriod {
  const { invoiceDate: _, ...april } = guideMayRow({ ...APRIL, volumeM3: '251.000' });
  return { ...april, importId: 1, importLine: 2, ...changes };
}

const guideInvoices = [
  { invoiceNumber: '333333333332', accountNumber: '11111111111', invoiceDate: '2021-05-20' },
];
const storedApril = { periods: [stored()], invoices: guideInvoices };
const nothingStored = { periods: [], invoices: [] };

describe('planning a batch of billing rows', () => {
  it('writes the guide’s second period after the stored first one, and records its new invoice', () => {
    const plan = planBatch([row(2)], storedApril, context);
    assert.deepEqual(plan.rejections, []);
    assert.deepEqual(
      plan.writes.map((w) => [w.line, w.previousStatus]),
      [[2, null]],
    );
    assert.deepEqual(plan.newInvoices, [
      { invoiceNumber: '333333333333', accountNumber: '11111111111', invoiceDate: '2021-06-20' },
    ]);
  });

  it('leaves out a row equal to its stored period, whatever the decimals are written like', () => {
    const plan = planBatch([row(2, { ...APRIL, volumeM3: '251' })], storedApril, context);
    assert.deepEqual([plan.writes.length, plan.unchanged, plan.newInvoices.length], [0, 1, 0]);
  });

  it('writes a correction of a stored period, remembering it was billed', () => {
    const plan = planBatch([row(2, { ...APRIL, volumeM3: '252' })], storedApril, context);
    assert.deepEqual(
      plan.writes.map((w) => [w.row.volumeM3, w.previousStatus]),
      [['252', 'billed']],
    );
  });

  describe('overlapping periods of one meter', () => {
    it('accepts consecutive periods that share one day, as ESPM does', () => {
      const plan = planBatch([row(2, { periodStart: '2021-05-16' })], storedApril, context);
      assert.deepEqual(plan.rejections, []);
    });

    it('rejects a period sharing two days or more with a stored billed period', () => {
      const plan = planBatch([row(5, { periodStart: '2021-05-15' })], storedApril, context);
      assert.deepEqual(inEnglish(plan), [
        {
          line: 5,
          reason:
            'period 2021-05-15..2021-06-17 overlaps the billed period 2021-04-16..2021-05-16 of meter 2222222 (already stored) by 2 days',
        },
      ]);
      assert.deepEqual(plan.writes, []);
    });

    it('rejects a period overlapping an earlier row of the same file, naming its line', () => {
      const plan = planBatch(
        [
          row(2),
          row(3, {
            periodStart: '2021-06-01',
            periodEnd: '2021-07-01',
            invoiceNumber: '333333333334',
            invoiceDate: '2021-07-20',
          }),
        ],
        nothingStored,
        context,
      );
      assert.deepEqual(inEnglish(plan), [
        {
          line: 3,
          reason:
            'period 2021-06-01..2021-07-01 overlaps the billed period 2021-05-17..2021-06-17 of meter 2222222 (on line 2) by 17 days',
        },
      ]);
    });

    it('names the index of a pushed row', () => {
      const plan = planBatch(
        [row(0), row(1, { periodStart: '2021-06-01', periodEnd: '2021-07-01' })],
        nothingStored,
        { ...context, position: 'index' },
      );
      assert.match(inEnglish(plan)[0]?.reason ?? '', /\(at index 0\)/);
    });

    it('ignores cancelled periods, other meters, and the period’s own stored version', () => {
      const plan = planBatch(
        [row(2, { ...APRIL, periodEnd: '2021-05-31' })],
        {
          periods: [
            stored(),
            stored({ periodStart: '2021-05-01', periodEnd: '2021-05-31', status: 'cancelled' }),
            stored({ meterNumber: '9999999', periodStart: '2021-05-01', periodEnd: '2021-05-31' }),
          ],
          invoices: guideInvoices,
        },
        context,
      );
      assert.deepEqual(plan.rejections, []);
      assert.equal(plan.writes.length, 1);
    });

    it('does not check a cancellation, which frees the period’s days for a later row', () => {
      const plan = planBatch(
        [
          row(2, { ...APRIL, status: 'cancelled' }),
          row(3, { ...APRIL, periodStart: '2021-04-20', periodEnd: '2021-05-19' }),
        ],
        storedApril,
        context,
      );
      assert.deepEqual(plan.rejections, []);
      assert.deepEqual(
        plan.writes.map((w) => [w.line, w.row.status, w.previousStatus]),
        [
          [2, 'cancelled', 'billed'],
          [3, 'billed', null],
        ],
      );
    });
  });

  describe('invoices', () => {
    it('rejects an invoice number recorded for another account', () => {
      const plan = planBatch(
        [row(4, { accountNumber: '11111111112', invoiceNumber: '333333333332', invoiceDate: '2021-05-20' })],
        { periods: [], invoices: guideInvoices },
        context,
      );
      assert.deepEqual(inEnglish(plan), [
        { line: 4, reason: 'invoice_number 333333333332 is already recorded for account 11111111111' },
      ]);
    });

    it('rejects an invoice number recorded with another date, also from an earlier row of the batch', () => {
      const plan = planBatch(
        [row(2), row(3, { meterNumber: '3333333', invoiceDate: '2021-06-21' })],
        nothingStored,
        context,
      );
      assert.deepEqual(inEnglish(plan), [
        { line: 3, reason: 'invoice_number 333333333333 is already recorded with invoice_date 2021-06-20' },
      ]);
    });

    it('accepts several meters on one invoice', () => {
      const plan = planBatch([row(2), row(3, { meterNumber: '3333333' })], nothingStored, context);
      assert.deepEqual([plan.rejections.length, plan.writes.length, plan.newInvoices.length], [0, 2, 1]);
    });
  });

  describe('two rows for the same period', () => {
    it('writes the later one, which replaces the earlier', () => {
      const plan = planBatch([row(2), row(3, { volumeM3: '201' })], nothingStored, context);
      assert.deepEqual(
        plan.writes.map((w) => [w.line, w.row.volumeM3]),
        [[3, '201']],
      );
      assert.equal(plan.replaced, 1);
    });

    it('keeps the earlier one when the later one is rejected', () => {
      const plan = planBatch(
        [row(2), row(3, { volumeM3: '201', invoiceDate: '2021-06-21' })],
        nothingStored,
        context,
      );
      assert.deepEqual(
        plan.writes.map((w) => w.line),
        [2],
      );
      assert.equal(plan.rejections.length, 1);
    });

    it('writes nothing when the later one brings the stored values back', () => {
      const plan = planBatch(
        [row(2, { ...APRIL, volumeM3: '999' }), row(3, { ...APRIL, volumeM3: '251' })],
        storedApril,
        context,
      );
      assert.deepEqual([plan.writes.length, plan.replaced, plan.unchanged], [0, 1, 1]);
    });
  });

  it('skips a row whose period a later line of the same content wrote in an earlier import', () => {
    const sameFile = stored({
      periodStart: '2021-05-17',
      periodEnd: '2021-06-17',
      volumeM3: '201.000',
      importId: 3,
      importLine: 9,
    });
    const plan = planBatch([row(2)], { periods: [sameFile], invoices: [] }, context);
    assert.deepEqual([plan.writes.length, plan.unchanged, plan.rejections.length], [0, 1, 0]);
    const otherFile = { ...sameFile, importId: 4 };
    assert.equal(planBatch([row(2)], { periods: [otherFile], invoices: [] }, context).writes.length, 1);
  });

  it('rejects again a row that overlapped a skipped row when the same content was first imported', () => {
    // First import: line 2 written, line 3 rejected for overlapping it, line 4 shortening line 2's period.
    const shortened = stored({
      periodStart: '2021-05-17',
      periodEnd: '2021-05-27',
      invoiceNumber: '333333333333',
      volumeM3: '200.000',
      importId: 3,
      importLine: 4,
    });
    const plan = planBatch(
      [
        row(2),
        row(3, { periodStart: '2021-06-01', periodEnd: '2021-06-30' }),
        row(4, { periodEnd: '2021-05-27' }),
      ],
      { periods: [shortened], invoices: [] },
      context,
    );
    assert.deepEqual(
      plan.rejections.map((r) => r.line),
      [3],
    );
    assert.deepEqual([plan.writes.length, plan.unchanged], [0, 2]);
  });

  it('does not take a row that the same file, imported to its end before, did not write', () => {
    // Import 3 rejected line 2 for overlapping a stored period that line 3 then cancelled.
    const again = { ...context, completedSameContent: 3 };
    const cancelled = stored({ status: 'cancelled', importId: 3, importLine: 3 });
    const overlapping = row(2, { periodStart: '2021-05-01' });
    const plan = planBatch([overlapping], { periods: [cancelled], invoices: [] }, again);
    assert.deepEqual(inEnglish(plan), [
      {
        line: 2,
        reason: 'not applied: the same file, imported before (import 3), did not write this period',
      },
    ]);
    assert.equal(plan.writes.length, 0);
    // A period another import wrote since is written again, as the file says; an equal one is left.
    const since = stored({ periodStart: '2021-05-17', importId: 4 });
    assert.equal(planBatch([row(2)], { periods: [since], invoices: [] }, again).writes.length, 1);
    const equal = stored({
      periodStart: '2021-05-17',
      periodEnd: '2021-06-17',
      invoiceNumber: '333333333333',
      volumeM3: '200.000',
    });
    assert.equal(planBatch([row(2)], { periods: [equal], invoices: [] }, again).unchanged, 1);
  });
});
