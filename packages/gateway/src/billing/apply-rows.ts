// Applies one batch of valid rows in one transaction: reads what the store holds around the rows,
// plans them (batch-plan.ts), records the new invoices and periods and upserts the changed ones in one
// statement, and records which periods it wrote (changes.ts) for the readers that send them on.
import { sql } from 'kysely';
import type { Kysely, RawBuilder, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ImportRowCounts } from '../vocabulary/gateway-events.ts';
import { planBatch } from './batch-plan.ts';
import { recordChanges } from './changes.ts';
import type { ChangedPeriod } from './changes.ts';
import type {
  BatchContext,
  BatchPlan,
  NumberedRow,
  PeriodWrite,
  StoredInvoice,
  StoredPeriod,
} from './batch-plan.ts';

export interface BatchOutcome extends ImportRowCounts {
  rejections: BatchPlan['rejections'];
  /** Meters whose billed consumption changed: a period billed now or before was written. */
  touchedMeters: string[];
}

// Batches of every import (CSV, HTTP, console) take turns: the overlap and invoice checks read the
// store, and two imports checking at once could both accept rows that conflict with each other.
const BILLING_WRITE_LOCK = 7_413_001;

export async function applyBatch(
  db: Kysely<Database>,
  rows: NumberedRow[],
  context: BatchContext,
): Promise<BatchOutcome> {
  return db.transaction().execute(async (trx) => {
    const plan = planBatch(rows, await storedAround(trx, rows), context);
    const changed = await writePeriods(trx, plan.writes, plan.newInvoices, context.importId);
    const outcome: BatchOutcome = {
      inserted: 0,
      updated: 0,
      cancelled: 0,
      unchanged: plan.unchanged,
      replaced: plan.replaced,
      rejections: plan.rejections,
      touchedMeters: [],
    };
    const touched = new Set<string>();
    const changes: ChangedPeriod[] = [];
    for (const { row, previousStatus } of plan.writes) {
      if (!changed.has(keyOf(row.meterNumber, row.periodStart))) {
        outcome.unchanged++;
        continue;
      }
      changes.push({
        meterNumber: row.meterNumber,
        periodStart: row.periodStart,
        accountNumber: row.accountNumber,
        status: row.status,
        previousStatus,
      });
      if (row.status === 'cancelled' && previousStatus !== 'cancelled') outcome.cancelled++;
      else if (previousStatus === null) outcome.inserted++;
      else outcome.updated++;
      if (row.status === 'billed' || previousStatus === 'billed') touched.add(row.meterNumber);
    }
    outcome.touchedMeters = [...touched];
    await recordChanges(trx, changes);
    return outcome;
  });
}

function keyOf(meterNumber: string, periodStart: string): string {
  return `${meterNumber} ${periodStart}`;
}

/**
 * An array parameter sent as one comma-separated text (an empty item is null): validated billing
 * values never hold a comma or a quote, and the driver's escaping of each array item costs more than
 * all the rest of preparing a batch.
 */
function items(
  values: Array<string | number | boolean | null>,
  type: 'text' | 'date' | 'numeric' | 'boolean' | 'integer',
): RawBuilder<unknown> {
  return sql`string_to_array(${values.map((v) => v ?? '').join(',')}, ',', '')::${sql.raw(type)}[]`;
}

/**
 * Takes the write lock and sets the transaction up, then reads every period of the batch's meters that touches the span of that
 * meter's rows (their own periods included), and the rows' invoices. One index range per meter rather
 * than per row: a history load brings many periods of each meter.
 */
async function storedAround(trx: Transaction<Database>, rows: NumberedRow[]) {
  const spans = new Map<string, { from: string; to: string }>();
  for (const { row } of rows) {
    const span = spans.get(row.meterNumber);
    if (!span) {
      spans.set(row.meterNumber, { from: row.periodStart, to: row.periodEnd });
    } else {
      if (row.periodStart < span.from) span.from = row.periodStart;
      if (row.periodEnd > span.to) span.to = row.periodEnd;
    }
  }
  const meters = [...spans.keys()];
  const from = [...spans.values()].map((s) => s.from);
  const to = [...spans.values()].map((s) => s.to);
  const invoiceNumbers = [...new Set(rows.map((r) => r.row.invoiceNumber))];
  // Sent together: the connection runs them in order, the lock first, in a single round trip.
  const [, , periods, invoices] = await Promise.all([
    sql`select pg_advisory_xact_lock(${BILLING_WRITE_LOCK})`.execute(trx),
    // On tables not analyzed yet the estimates pass jit_above_cost, and compiling each batch's
    // statements took longer than running them (190 ms a batch at a million periods).
    sql`set local jit = off`.execute(trx),
    // Lateral, and kept apart by offset 0 so the planner cannot merge it into a join: each meter is
    // then looked up through the index, where a join planned on an unnest's guessed size scans the table.
    sql<StoredPeriod>`
      select p.* from unnest(${items(meters, 'text')}, ${items(from, 'date')}, ${items(to, 'date')})
        as m(meter_number, span_from, span_to)
      cross join lateral (
        select meter_number as "meterNumber", period_start as "periodStart", period_end as "periodEnd",
               account_number as "accountNumber", invoice_number as "invoiceNumber", volume_m3 as "volumeM3",
               cost, estimated, rng_percent as "rngPercent", status,
               premise_id as "premiseId", service_address as "serviceAddress", customer_id as "customerId",
               import_id as "importId", import_line as "importLine"
        from billing_period
        where meter_number = m.meter_number and period_end >= m.span_from and period_start <= m.span_to
        offset 0
      ) p`.execute(trx),
    // Lateral for the same reason: as the table grows, `= any(array)` is planned as a scan too.
    sql<StoredInvoice>`
      select i.* from unnest(${items(invoiceNumbers, 'text')}) as n(invoice_number)
      cross join lateral (
        select invoice_number as "invoiceNumber", account_number as "accountNumber", invoice_date as "invoiceDate"
        from billing_invoice where invoice_number = n.invoice_number
        offset 0
      ) i`.execute(trx),
  ]);
  return { periods: periods.rows, invoices: invoices.rows };
}

// billing_period's columns as the import writes them, and the same names over the rows' arrays.
const PERIOD_COLUMNS = sql.raw(`meter_number, period_start, period_end, account_number, invoice_number,
      volume_m3, cost, estimated, rng_percent, status, premise_id, service_address, customer_id, import_id,
      import_line`);
const ROW_COLUMNS = sql.raw(`r(meter_number, period_start, period_end, account_number, invoice_number,
      volume_m3, cost, estimated, rng_percent, status, premise_id, service_address, customer_id, import_line)`);

/** The rows' values for billing_period, as it reads them. */
function periodValues(writes: NumberedRow[], importId: number): RawBuilder<unknown> {
  return sql`select meter_number, period_start, period_end, account_number, invoice_number,
      volume_m3, cost, estimated, rng_percent, status, premise_id, service_address, customer_id,
      ${importId}::integer, import_line
    from unnest(${sql.join(periodColumns(writes))}) as ${ROW_COLUMNS}`;
}

function periodColumns(writes: NumberedRow[]): RawBuilder<unknown>[] {
  const column = (
    pick: (w: NumberedRow) => string | number | boolean | null,
    type: Parameters<typeof items>[1],
  ) => items(writes.map(pick), type);
  return [
    column((w) => w.row.meterNumber, 'text'),
    column((w) => w.row.periodStart, 'date'),
    column((w) => w.row.periodEnd, 'date'),
    column((w) => w.row.accountNumber, 'text'),
    column((w) => w.row.invoiceNumber, 'text'),
    column((w) => w.row.volumeM3, 'numeric'),
    column((w) => w.row.cost, 'numeric'),
    column((w) => w.row.estimated, 'boolean'),
    column((w) => w.row.rngPercent, 'numeric'),
    column((w) => w.row.status, 'text'),
    column((w) => w.row.premiseId, 'text'),
    // An address may hold commas and quotes: sent as a true array, escaped by the driver.
    sql`${writes.map((w) => w.row.serviceAddress)}::text[]`,
    column((w) => w.row.customerId, 'text'),
    column((w) => w.line, 'integer'),
  ];
}

/** Records the invoices and upserts the periods; returns the keys of the periods that changed. */
async function writePeriods(
  trx: Transaction<Database>,
  writes: PeriodWrite[],
  invoices: StoredInvoice[],
  importId: number,
): Promise<Set<string>> {
  if (writes.length === 0 && invoices.length === 0) return new Set();
  const invoiceColumns = [
    items(
      invoices.map((i) => i.invoiceNumber),
      'text',
    ),
    items(
      invoices.map((i) => i.accountNumber),
      'text',
    ),
    items(
      invoices.map((i) => i.invoiceDate),
      'date',
    ),
  ];
  // A period the plan found nowhere in the store is new for sure (every stored period with the row's
  // key touches its meter's span, read under the write lock), and a plain insert costs less (a third
  // at 200,000 new rows) than the upsert; the others go through the upsert, which checks their values again.
  const fresh = writes.filter((w) => w.previousStatus === null);
  const changed = writes.filter((w) => w.previousStatus !== null);
  const { rows } = await sql<{ meter_number: string; period_start: string }>`
    with new_invoice as (
      insert into billing_invoice (invoice_number, account_number, invoice_date)
      select * from unnest(${sql.join(invoiceColumns)})
    ), new_period as (
      insert into billing_period (${PERIOD_COLUMNS}) ${periodValues(fresh, importId)}
    )
    insert into billing_period as p (${PERIOD_COLUMNS}) ${periodValues(changed, importId)}
    on conflict (meter_number, period_start) do update set
      period_end = excluded.period_end, account_number = excluded.account_number,
      invoice_number = excluded.invoice_number, volume_m3 = excluded.volume_m3, cost = excluded.cost,
      estimated = excluded.estimated, rng_percent = excluded.rng_percent, status = excluded.status,
      premise_id = coalesce(excluded.premise_id, p.premise_id),
      service_address = coalesce(excluded.service_address, p.service_address),
      customer_id = coalesce(excluded.customer_id, p.customer_id),
      revision = p.revision + 1, updated_at = now(),
      import_id = excluded.import_id, import_line = excluded.import_line
    where (p.period_end, p.account_number, p.invoice_number, p.volume_m3, p.cost, p.estimated,
           p.rng_percent, p.status, p.premise_id, p.service_address, p.customer_id)
      is distinct from (excluded.period_end, excluded.account_number, excluded.invoice_number,
           excluded.volume_m3, excluded.cost, excluded.estimated, excluded.rng_percent, excluded.status,
           coalesce(excluded.premise_id, p.premise_id), coalesce(excluded.service_address, p.service_address),
           coalesce(excluded.customer_id, p.customer_id))
    returning meter_number, period_start`.execute(trx);
  const keys = new Set(fresh.map((w) => keyOf(w.row.meterNumber, w.row.periodStart)));
  for (const r of rows) keys.add(keyOf(r.meter_number, r.period_start));
  return keys;
}
