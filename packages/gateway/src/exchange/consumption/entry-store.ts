// The consumption entries the gateway sent, as the sync reads and records them.
import type { ConsumptionEntry } from '@gaz-espm/espm';
import type { Kysely } from 'kysely';
import type { ConsumptionEntryRow, Database, EntryState } from '../../store/schema.ts';
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
  }));
}

export interface EntryRecord {
  linkId: number;
  period: PlannedPeriod;
  entry: ConsumptionEntry;
  unit: string;
  state: EntryState;
  operation: 'create' | 'update' | 'delete' | null;
  espmEntryId: string | null;
  now: Date;
}

export async function insertEntries(db: Kysely<Database>, records: EntryRecord[]): Promise<number[]> {
  if (records.length === 0) return [];
  const rows = await db
    .insertInto('consumption_entry')
    .values(
      records.map((r) => ({
        link_id: r.linkId,
        meter_number: r.period.meterNumber,
        period_start: r.period.periodStart,
        period_end: r.period.periodEnd,
        espm_entry_id: r.espmEntryId,
        state: r.state,
        operation: r.operation,
        usage: r.entry.usage,
        unit_of_measure: r.unit,
        volume_m3: r.period.volumeM3,
        estimated: r.entry.estimatedValue ?? false,
        rng_percent: r.entry.percentRenewableNaturalGas ?? null,
        cost: r.entry.cost ?? null,
        billing_revision: r.period.revision,
        sent_at: r.state === 'sent' ? r.now : null,
        updated_at: r.now,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
