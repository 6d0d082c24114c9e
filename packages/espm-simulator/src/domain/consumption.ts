// Consumption entries of a meter: reading them (paged, filtered), and creating, replacing and deleting
// them under the batch rules. The provider needs an accepted share (Read Write to change anything);
// the owner may always. Each entry's audit names the account that wrote it.
import { espmDate } from '../clock.ts';
import type { ConsumptionEntry, XmlElement } from '../espm.ts';
import { attr, optText } from '../espm.ts';
import { MESSAGES, SimError } from '../errors.ts';
import type { AccountRecord, ConsumptionRecord, MeterRecord } from '../state/model.ts';
import { requireMeter } from './access.ts';
import { checkBatch } from './consumption-rules.ts';
import { newAudit } from './audit.ts';
import type { DomainContext } from './context.ts';
import type { Page } from './pagination.ts';
import { paginate } from './pagination.ts';

export interface EntryQuery {
  page: number;
  startDate?: string;
  endDate?: string;
  /** As EPA's GET example lists them (latest period first); the customer page lists oldest first. */
  newestFirst?: boolean;
}

const byStart = (a: ConsumptionRecord, b: ConsumptionRecord): number =>
  a.startDate.localeCompare(b.startDate) || a.endDate.localeCompare(b.endDate) || Number(a.id) - Number(b.id);

/** Entries sorted by start date; a date filter keeps every entry that overlaps [startDate, endDate]. */
export function listEntries(
  ctx: DomainContext,
  caller: AccountRecord,
  meterId: string,
  q: EntryQuery,
): Page<ConsumptionRecord> {
  requireMeter(ctx, caller, meterId, 'read');
  const entries = ctx.store
    .entriesOfMeter(meterId)
    .filter((e) => (!q.startDate || e.endDate >= q.startDate) && (!q.endDate || e.startDate <= q.endDate))
    .sort(q.newestFirst ? (a, b) => byStart(b, a) : byStart);
  return paginate(entries, q.page, ctx.consumptionPageSize);
}

/** A <meterConsumption> read loosely, so a bad entry can be named before the schema check. */
export function looseEntry(n: XmlElement): ConsumptionEntry {
  return {
    startDate: optText(n, 'startDate') ?? '',
    endDate: optText(n, 'endDate') ?? '',
    usage: optText(n, 'usage') ?? '',
    ...(attr(n, 'estimatedValue') === 'true' ? { estimatedValue: true } : {}),
  };
}

/** Refuses the batch (400, one error per bad entry) or returns the warnings of each entry. */
export function checkEntries(
  ctx: DomainContext,
  meter: MeterRecord,
  batch: ConsumptionEntry[],
  replacingId?: string,
): string[][] {
  const existing = ctx.store.entriesOfMeter(meter.id).filter((e) => e.id !== replacingId);
  const verdict = checkBatch(batch, existing, {
    firstBillDate: meter.meter.firstBillDate,
    today: espmDate(ctx.store.now()),
    rules: ctx.rules,
  });
  if (verdict.errors.length) throw new SimError(400, verdict.errors);
  return verdict.warnings;
}

function record(
  ctx: DomainContext,
  caller: AccountRecord,
  meterId: string,
  e: ConsumptionEntry,
  warnings: string[],
  id = ctx.store.nextId('consumption'),
): ConsumptionRecord {
  const now = ctx.store.timestamp();
  const r: ConsumptionRecord = {
    id,
    meterId,
    startDate: e.startDate,
    endDate: e.endDate,
    usage: e.usage,
    estimatedValue: e.estimatedValue ?? false,
    audit: newAudit(caller, now),
  };
  if (e.cost !== undefined) r.cost = e.cost;
  if (e.percentRenewableNaturalGas !== undefined) r.percentRenewableNaturalGas = e.percentRenewableNaturalGas;
  if (e.energyExportedOffSite !== undefined) r.energyExportedOffSite = e.energyExportedOffSite;
  if (warnings.length) r.warnings = warnings;
  return r;
}

/** Stores the whole batch or nothing; returns the new entries in request order. */
export function addEntries(
  ctx: DomainContext,
  caller: AccountRecord,
  meterId: string,
  batch: ConsumptionEntry[],
): ConsumptionRecord[] {
  const { meter } = requireMeter(ctx, caller, meterId, 'write');
  const warnings = checkEntries(ctx, meter, batch);
  const created = batch.map((e, i) => record(ctx, caller, meterId, e, warnings[i] ?? []));
  for (const r of created) ctx.store.putEntry(r);
  ctx.store.touch();
  return created;
}

function findEntry(ctx: DomainContext, caller: AccountRecord, id: string, need: 'read' | 'write') {
  const entry = ctx.store.data.consumption[id];
  if (!entry) throw new SimError(404, MESSAGES.notFound(`Consumption data ${id}`));
  const { meter } = requireMeter(ctx, caller, entry.meterId, need);
  return { entry, meter };
}

export function getEntry(ctx: DomainContext, caller: AccountRecord, id: string): ConsumptionRecord {
  return findEntry(ctx, caller, id, 'read').entry;
}

export function updateEntry(
  ctx: DomainContext,
  caller: AccountRecord,
  id: string,
  e: ConsumptionEntry,
): ConsumptionRecord {
  const { entry, meter } = findEntry(ctx, caller, id, 'write');
  const warnings = checkEntries(ctx, meter, [e], id)[0] ?? [];
  const updated = record(ctx, caller, entry.meterId, e, warnings, entry.id);
  updated.audit = {
    ...updated.audit,
    createdBy: entry.audit.createdBy,
    createdByAccountId: entry.audit.createdByAccountId,
    createdDate: entry.audit.createdDate,
  };
  ctx.store.putEntry(updated);
  ctx.store.touch();
  return updated;
}

export function deleteEntry(ctx: DomainContext, caller: AccountRecord, id: string): void {
  const { entry } = findEntry(ctx, caller, id, 'write');
  ctx.store.deleteEntry(entry);
  ctx.store.touch();
}

/** An entry as <meterConsumption> shows it. */
export function entryOf(r: ConsumptionRecord): ConsumptionEntry {
  const { meterId: _m, warnings: _w, ...entry } = r;
  return structuredClone(entry);
}
