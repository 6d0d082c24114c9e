// The consumption entries the gateway sent: the only writer of consumption_entry, and the reads the
// sync plans from.
//
// An entry's states (store/schema.ts EntryState), each change one named function here:
//   (new) ──recordSending──▶ sending/create ──markCreated──▶ sent
//                                    └──forgetAttempts──▶ (gone: ESPM never created it)
//   sent ──startWrite──▶ sending/update ──recordUpdated──▶ sent
//                        sending/delete ──recordDeleted──▶ deleted
//        (either) ──rollBack──▶ sent (ESPM refused: nothing changed there)
//   (new) ──recordFound──▶ adopted (ESPM held it already) · ──recordWithheld──▶ withheld (never sent)
// A row left 'sending' (a crash, a lost answer) is settled against what ESPM holds before anything else
// is sent: settleCreated, forgetAttempts, settleUpdated, recordDeleted (sync-link.ts reconcileUncertain).
import type { ConsumptionEntry } from '@gaz-espm/espm';
import type { Kysely } from 'kysely';
import type { ConsumptionEntryRow, Database } from '../../store/schema.ts';
import { inTransaction } from '../../store/transaction.ts';
import type { PlannedPeriod, SentEntry } from './plan.ts';

export async function liveEntries(db: Kysely<Database>, linkId: number): Promise<ConsumptionEntryRow[]> {
  return db
    .selectFrom('consumption_entry')
    .selectAll()
    .where('link_id', '=', linkId)
    .where('state', '!=', 'deleted')
    .orderBy('period_start')
    .execute();
}

export async function uncertainEntries(db: Kysely<Database>, linkId: number): Promise<ConsumptionEntryRow[]> {
  return db
    .selectFrom('consumption_entry')
    .selectAll()
    .where('link_id', '=', linkId)
    .where('state', '=', 'sending')
    .execute();
}

/** The end of the last period ESPM holds from the gateway (sent or adopted), for the console. */
export async function lastPeriodEnd(db: Kysely<Database>, linkId: number): Promise<string | null> {
  const last = await db
    .selectFrom('consumption_entry')
    .select((eb) => eb.fn.max('period_end').as('last'))
    .where('link_id', '=', linkId)
    .where('state', 'in', ['sent', 'adopted'])
    .executeTakeFirst();
  return last?.last ?? null;
}

export function toSentEntry(row: ConsumptionEntryRow): SentEntry {
  return {
    id: row.id,
    periodStart: row.period_start,
    espmEntryId: row.espm_entry_id,
    usage: row.usage,
    estimated: row.estimated,
    rngPercent: row.rng_percent,
    cost: row.cost,
    billingRevision: row.billing_revision,
    withheld: row.state === 'withheld',
  };
}

export async function periodsOfLink(
  db: Kysely<Database>,
  meterNumber: string,
  accountNumber: string,
): Promise<PlannedPeriod[]> {
  // The account is part of the key: when a meter moves to a new account holder, the former holder's
  // link must not receive the new holder's consumption.
  const rows = await db
    .selectFrom('billing_period')
    .selectAll()
    .where('meter_number', '=', meterNumber)
    .where('account_number', '=', accountNumber)
    .orderBy('period_start')
    .execute();
  return rows.map((r) => ({
    meterNumber: r.meter_number,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    volumeM3: r.volume_m3,
    cost: r.cost,
    estimated: r.estimated,
    rngPercent: r.rng_percent,
    status: r.status,
    revision: r.revision,
    billedAt: r.updated_at > r.created_at ? r.updated_at : r.created_at,
  }));
}

/** One billing period as the entry the gateway sends (or keeps back) for a link's meter. */
export interface EntryFor {
  linkId: number;
  period: PlannedPeriod;
  entry: ConsumptionEntry;
  unit: string;
}

/** Creates about to be POSTed: recorded first, so that a crash during the POST is settled by reading. */
export async function recordSending(db: Kysely<Database>, entries: EntryFor[], at: Date): Promise<number[]> {
  return insert(db, entries, { state: 'sending', operation: 'create', espmEntryId: () => null }, at);
}

/** Entries ESPM already held for these periods (matched exactly, or the gateway's own from before). */
export async function recordFound(
  db: Kysely<Database>,
  entries: Array<EntryFor & { espmEntryId: string }>,
  at: Date,
): Promise<number[]> {
  return insert(db, entries, { state: 'adopted', operation: null, espmEntryId: (e) => e.espmEntryId }, at);
}

/** Periods an operator kept back in favour of the customer's own entries: never sent. */
export async function recordWithheld(db: Kysely<Database>, entries: EntryFor[], at: Date): Promise<void> {
  await insert(db, entries, { state: 'withheld', operation: null, espmEntryId: () => null }, at);
}

async function insert<E extends EntryFor>(
  db: Kysely<Database>,
  entries: E[],
  as: {
    state: 'sending' | 'adopted' | 'withheld';
    operation: 'create' | null;
    espmEntryId: (e: E) => string | null;
  },
  at: Date,
): Promise<number[]> {
  if (entries.length === 0) return [];
  const rows = await db
    .insertInto('consumption_entry')
    .values(
      entries.map((r) => ({
        link_id: r.linkId,
        meter_number: r.period.meterNumber,
        period_start: r.period.periodStart,
        period_end: r.period.periodEnd,
        espm_entry_id: as.espmEntryId(r),
        state: as.state,
        operation: as.operation,
        usage: r.entry.usage,
        unit_of_measure: r.unit,
        volume_m3: r.period.volumeM3,
        estimated: r.entry.estimatedValue ?? false,
        rng_percent: r.entry.percentRenewableNaturalGas ?? null,
        cost: r.entry.cost ?? null,
        billing_revision: r.period.revision,
        sent_at: null,
        updated_at: at,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** ESPM created the POSTed entries: each row gets its ESPM id (rowIds[i] ↔ espmEntryIds[i]). */
export async function markCreated(
  db: Kysely<Database>,
  rowIds: number[],
  espmEntryIds: string[],
  at: Date,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    for (let i = 0; i < rowIds.length; i++) await settleCreated(tx, rowIds[i]!, espmEntryIds[i]!, at);
  });
}

/** A create whose outcome was unknown, found in ESPM. */
export async function settleCreated(
  db: Kysely<Database>,
  rowId: number,
  espmEntryId: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('consumption_entry')
    .set({ state: 'sent', operation: null, espm_entry_id: espmEntryId, sent_at: at, updated_at: at })
    .where('id', '=', rowId)
    .execute();
}

/** Creates ESPM did not make (refused, or not found after a lost answer): the plan sends them again. */
export async function forgetAttempts(db: Kysely<Database>, rowIds: number[]): Promise<void> {
  if (rowIds.length === 0) return;
  await db.deleteFrom('consumption_entry').where('id', 'in', rowIds).execute();
}

/** A PUT or DELETE about to be sent for a sent entry. */
export async function startWrite(
  db: Kysely<Database>,
  rowId: number,
  operation: 'update' | 'delete',
): Promise<void> {
  await db
    .updateTable('consumption_entry')
    .set({ state: 'sending', operation })
    .where('id', '=', rowId)
    .execute();
}

/** ESPM refused the PUT or DELETE: the entry is as it was. */
export async function rollBack(db: Kysely<Database>, rowId: number): Promise<void> {
  await db
    .updateTable('consumption_entry')
    .set({ state: 'sent', operation: null })
    .where('id', '=', rowId)
    .execute();
}

/** ESPM holds the corrected entry. */
export async function recordUpdated(
  db: Kysely<Database>,
  rowId: number,
  entry: ConsumptionEntry,
  period: PlannedPeriod,
  at: Date,
): Promise<void> {
  await db
    .updateTable('consumption_entry')
    .set({
      state: 'sent',
      operation: null,
      usage: entry.usage,
      estimated: entry.estimatedValue ?? false,
      rng_percent: entry.percentRenewableNaturalGas ?? null,
      cost: entry.cost ?? null,
      billing_revision: period.revision,
      volume_m3: period.volumeM3,
      period_end: period.periodEnd,
      sent_at: at,
      updated_at: at,
    })
    .where('id', '=', rowId)
    .execute();
}

/**
 * An update whose answer was lost: ESPM holds either value. Recorded as sent with what ESPM holds, at
 * an unknown revision, so the plan compares and sends the correction again if needed (a PUT may be
 * repeated).
 */
export async function settleUpdated(
  db: Kysely<Database>,
  rowId: number,
  espmUsage: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('consumption_entry')
    .set({ state: 'sent', operation: null, usage: espmUsage, billing_revision: 0, updated_at: at })
    .where('id', '=', rowId)
    .execute();
}

/** The entry is gone from ESPM (deleted by us, or found missing). */
export async function recordDeleted(db: Kysely<Database>, rowId: number, at: Date): Promise<void> {
  await db
    .updateTable('consumption_entry')
    .set({ state: 'deleted', operation: null, updated_at: at })
    .where('id', '=', rowId)
    .execute();
}

/** A correction that changes nothing ESPM holds: only the revision is recorded. */
export async function recordRevision(
  db: Kysely<Database>,
  rowId: number,
  revision: number,
  at: Date,
): Promise<void> {
  await db
    .updateTable('consumption_entry')
    .set({ billing_revision: revision, updated_at: at })
    .where('id', '=', rowId)
    .execute();
}
