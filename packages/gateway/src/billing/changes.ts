// Billing's changes: every period a billing import writes, recorded for whoever sends billing's data on
// (ESPM's consumption today; another destination later, docs/second-destination.md). Billing names no
// reader and imports nothing from them: a reader keeps its own cursor here and acts on what it reads.
//
// - Every period an import writes (new, changed, cancelled) leaves one billing_change row, in the same
//   transaction as the period (apply-rows.ts): no period is written without its change, nor the reverse.
// - Change ids grow in commit order: they are taken under the billing write lock, which a batch holds
//   until it commits, so no change can commit later with a smaller id than one a reader has already seen.
// - A reader's cursor (change_reader.last_id) moves only in the transaction that acts on the changes up
//   to it, and its row is locked meanwhile: two processes reading for the same reader take turns.
// - Readers are independent: each has its own row, and none moves another's cursor or removes a change.
//
// Crash story: a reader that dies before its commit leaves its cursor and its work undone together, and
// its next read acts on the same changes again; so what a reader does must be idempotent (marking a link
// due is). An import that dies before its commit leaves neither periods nor changes.
import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { BillingStatus } from '../vocabulary/billing-period.ts';

export interface BillingChange {
  id: number;
  meterNumber: string;
  periodStart: string;
  accountNumber: string;
  status: BillingStatus;
  /** Null: the period was new. */
  previousStatus: BillingStatus | null;
}

export type ChangedPeriod = Omit<BillingChange, 'id'>;

/**
 * Told after an import committed changes, so that the readers need not wait for their next scheduled
 * look; which readers is the runtime's business (http/server.ts). Losing it only delays them.
 */
export type BillingChanged = () => Promise<void>;

/** Records the periods a batch wrote; in the batch's transaction, under the billing write lock. */
export async function recordChanges(trx: Transaction<Database>, periods: ChangedPeriod[]): Promise<void> {
  if (periods.length === 0) return;
  // Arrays of text in one parameter each: validated meter and account numbers hold no comma.
  const list = (pick: (p: ChangedPeriod) => string | null) => periods.map((p) => pick(p) ?? '').join(',');
  await sql`
    insert into billing_change (meter_number, period_start, account_number, status, previous_status)
    select * from unnest(string_to_array(${list((p) => p.meterNumber)}, ','),
                         string_to_array(${list((p) => p.periodStart)}, ',')::date[],
                         string_to_array(${list((p) => p.accountNumber)}, ','),
                         string_to_array(${list((p) => p.status)}, ','),
                         string_to_array(${list((p) => p.previousStatus)}, ',', ''))`.execute(trx);
}

/**
 * Hands the reader, a page at a time and in order, the changes recorded since it last read, each page
 * in one transaction with the move of its cursor. Returns how many changes it was handed.
 */
export async function readChanges(
  db: Kysely<Database>,
  reader: string,
  act: (trx: Transaction<Database>, changes: BillingChange[]) => Promise<void>,
  pageSize = 10_000,
): Promise<number> {
  let read = 0;
  for (;;) {
    const handed = await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('change_reader')
        .values({ name: reader, last_id: 0 })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const { last_id } = await trx
        .selectFrom('change_reader')
        .select('last_id')
        .where('name', '=', reader)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const changes = await trx
        .selectFrom('billing_change')
        .select([
          'id',
          'meter_number as meterNumber',
          'period_start as periodStart',
          'account_number as accountNumber',
          'status',
          'previous_status as previousStatus',
        ])
        .where('id', '>', last_id)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      if (changes.length === 0) return 0;
      await act(trx, changes);
      await trx
        .updateTable('change_reader')
        .set({ last_id: changes[changes.length - 1]!.id })
        .where('name', '=', reader)
        .execute();
      return changes.length;
    });
    read += handed;
    if (handed < pageSize) return read;
  }
}
