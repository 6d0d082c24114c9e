// Which rows of a batch are written, rejected, replaced or already applied: the rules that look at
// other rows — stored ones and earlier ones of the same file — decided in file order over plain data.
import type { BillingStatus } from '../vocabulary/billing-period.ts';
import type { RowProblem } from '../vocabulary/billing-reasons.ts';
import type { BillingRow } from './billing-row.ts';

/** A valid row with its place in the source: the file's line, or the index in a pushed array. */
export interface NumberedRow {
  line: number;
  row: BillingRow;
}

/** A period as the store holds it: numeric columns come back with their scale (251.000). */
export interface StoredPeriod extends Omit<BillingRow, 'invoiceDate'> {
  importId: number | null;
  importLine: number | null;
}

export interface StoredInvoice {
  invoiceNumber: string;
  accountNumber: string;
  invoiceDate: string;
}

/** What the store holds around a batch: the periods with the batch's keys or overlapping its rows. */
export interface StoredAround {
  periods: StoredPeriod[];
  invoices: StoredInvoice[];
}

export interface BatchContext {
  importId: number;
  /** Earlier imports of exactly the same content. */
  sameContentImports: ReadonlySet<number>;
  /** The last of them that read the content to its end. */
  completedSameContent: number | null;
  /** How a reason names a row's place: a file's line, or a pushed array's index. */
  position: 'line' | 'index';
}

export interface PeriodWrite extends NumberedRow {
  /** The period's status before this import wrote it; null for a new period. */
  previousStatus: BillingStatus | null;
}

export interface BatchPlan {
  /** One row per period whose values change: the last accepted row of the batch for it. */
  writes: PeriodWrite[];
  newInvoices: StoredInvoice[];
  rejections: Array<{ line: number; problems: RowProblem[] }>;
  /** Accepted rows replaced by a later row of the batch for the same period. */
  replaced: number;
  /**
   * Accepted rows that leave their period as stored: same values, or a later line of the same content
   * wrote the period in an earlier import.
   */
  unchanged: number;
}

interface KnownPeriod {
  end: string;
  billed: boolean;
  /** The line that wrote it in this import, if it did. */
  line: number | null;
}

export function planBatch(rows: NumberedRow[], stored: StoredAround, context: BatchContext): BatchPlan {
  const storedByKey = new Map<string, StoredPeriod>();
  const periodsByMeter = new Map<string, Map<string, KnownPeriod>>();
  for (const p of stored.periods) {
    storedByKey.set(keyOf(p.meterNumber, p.periodStart), p);
    periodsOf(periodsByMeter, p.meterNumber).set(p.periodStart, {
      end: p.periodEnd,
      billed: p.status === 'billed',
      line: p.importId === context.importId ? p.importLine : null,
    });
  }
  const invoices = new Map(stored.invoices.map((i) => [i.invoiceNumber, i]));
  const writes = new Map<string, PeriodWrite>();
  const unchangedKeys = new Set<string>();
  const plan: BatchPlan = { writes: [], newInvoices: [], rejections: [], replaced: 0, unchanged: 0 };

  for (const numbered of rows) {
    const { line, row } = numbered;
    const key = keyOf(row.meterNumber, row.periodStart);
    const before = storedByKey.get(key);
    const periods = periodsOf(periodsByMeter, row.meterNumber);
    if (
      before?.importId != null &&
      context.sameContentImports.has(before.importId) &&
      before.importLine != null &&
      before.importLine > line
    ) {
      // Until the later line, the rows in between meet this row's period, as when the file was
      // first imported: one rejected then for overlapping it must not be taken now.
      periods.set(row.periodStart, { end: row.periodEnd, billed: row.status === 'billed', line });
      plan.unchanged++;
      continue;
    }
    // The same file, imported to its end before, checked this row and did not write its period (it
    // was rejected, or replaced by a row restoring the stored values); what it was checked against
    // may have been changed by the file's own later lines since, and taking it now would make the
    // same file change the data a second time.
    const completed = context.completedSameContent;
    if (
      completed !== null &&
      (before === undefined || before.importId === null || before.importId < completed) &&
      !(before && sameValues(row, before))
    ) {
      plan.rejections.push({ line, problems: [{ code: 'not-applied-by-same-file', importId: completed }] });
      continue;
    }
    const problem =
      invoiceConflict(row, invoices.get(row.invoiceNumber)) ?? overlap(row, periods, context.position);
    if (problem) {
      plan.rejections.push({ line, problems: [problem] });
      continue;
    }
    if (!invoices.has(row.invoiceNumber)) {
      const invoice = {
        invoiceNumber: row.invoiceNumber,
        accountNumber: row.accountNumber,
        invoiceDate: row.invoiceDate,
      };
      invoices.set(row.invoiceNumber, invoice);
      plan.newInvoices.push(invoice);
    }
    periods.set(row.periodStart, { end: row.periodEnd, billed: row.status === 'billed', line });
    const replacing = writes.delete(key) || unchangedKeys.delete(key);
    if (replacing) plan.replaced++;
    // Compared here rather than left to the upsert, which locks and rewrites every row it meets.
    if (before && sameValues(row, before)) unchangedKeys.add(key);
    else writes.set(key, { line, row, previousStatus: before?.status ?? null });
  }
  plan.writes = [...writes.values()];
  plan.unchanged += unchangedKeys.size;
  return plan;
}

function sameValues(row: BillingRow, stored: StoredPeriod): boolean {
  return (
    row.periodEnd === stored.periodEnd &&
    row.accountNumber === stored.accountNumber &&
    row.invoiceNumber === stored.invoiceNumber &&
    row.status === stored.status &&
    row.estimated === stored.estimated &&
    sameDecimal(row.volumeM3, stored.volumeM3) &&
    sameDecimal(row.cost, stored.cost) &&
    sameDecimal(row.rngPercent, stored.rngPercent) &&
    // A source without the column keeps what is stored.
    (row.premiseId === null || row.premiseId === stored.premiseId) &&
    (row.serviceAddress === null || row.serviceAddress === stored.serviceAddress) &&
    (row.customerId === null || row.customerId === stored.customerId)
  );
}

/**
 * Equal as numbers: 251 and 251.000. Exact through doubles, since validated values have at most 14
 * significant digits and decimals of up to 15 digits each have their own double.
 */
function sameDecimal(a: string | null, b: string | null): boolean {
  return a === b || (a !== null && b !== null && Number(a) === Number(b));
}

function keyOf(meterNumber: string, periodStart: string): string {
  return `${meterNumber} ${periodStart}`;
}

function periodsOf(
  byMeter: Map<string, Map<string, KnownPeriod>>,
  meterNumber: string,
): Map<string, KnownPeriod> {
  let periods = byMeter.get(meterNumber);
  if (!periods) {
    periods = new Map();
    byMeter.set(meterNumber, periods);
  }
  return periods;
}

function invoiceConflict(row: BillingRow, recorded: StoredInvoice | undefined): RowProblem | undefined {
  if (!recorded) return undefined;
  if (recorded.accountNumber !== row.accountNumber) {
    return {
      code: 'invoice-of-other-account',
      invoiceNumber: row.invoiceNumber,
      accountNumber: recorded.accountNumber,
    };
  }
  if (recorded.invoiceDate !== row.invoiceDate) {
    return {
      code: 'invoice-of-other-date',
      invoiceNumber: row.invoiceNumber,
      invoiceDate: recorded.invoiceDate,
    };
  }
  return undefined;
}

/**
 * Billed periods of one meter may share one day, as ESPM allows consecutive entries to; sharing two
 * or more means the same gas would be counted twice.
 */
function overlap(
  row: BillingRow,
  periods: Map<string, KnownPeriod>,
  position: 'line' | 'index',
): RowProblem | undefined {
  if (row.status !== 'billed') return undefined;
  for (const [start, other] of periods) {
    if (!other.billed || start === row.periodStart) continue;
    const lastShared = other.end < row.periodEnd ? other.end : row.periodEnd;
    const firstShared = start > row.periodStart ? start : row.periodStart;
    // Dates as YYYY-MM-DD compare as text; only the reason needs day arithmetic.
    if (lastShared > firstShared) {
      return {
        code: 'overlap',
        periodStart: row.periodStart,
        periodEnd: row.periodEnd,
        otherStart: start,
        otherEnd: other.end,
        meterNumber: row.meterNumber,
        other: other.line === null ? { stored: true } : { stored: false, position, at: other.line },
        days: daysBetween(firstShared, lastShared) + 1,
      };
    }
  }
  return undefined;
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}
