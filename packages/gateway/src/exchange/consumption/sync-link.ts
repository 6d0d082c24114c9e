// Carries out the plan for one meter link against ESPM, recording every step (entry-store.ts) so that
// a crash or a lost answer at any point is finished on the next run without a duplicate or a lost period.
// The caller holds the link's lease; every ESPM write goes through the lease-checked writer.
import { MAX_ENTRIES_PER_DOCUMENT, isEspmError, isNaturalGasUnit } from '@gaz-espm/espm';
import type { ConsumptionEntry, EspmError } from '@gaz-espm/espm';
import { monthsOfBuildingLink } from '../building-entries.ts';
import { errorEvent } from '../../log/gateway-event.ts';
import { writeLog } from '../../log/gateway-log.ts';
import { consumptionSent } from '../../observability/events.ts';
import type { ConflictDetail, MeterLink } from '../../store/schema.ts';
import type { ExchangeContext } from '../context.ts';
import type { Lease } from '../leases.ts';
import { applyMeterAccess, readMeterAccess } from '../access-level.ts';
import { holdForOtherBillingAccount } from '../transfers.ts';
import { pauseLapsedRenewals } from '../building-links.ts';
import {
  SENDING_STATUSES,
  markConflict,
  markLinkDue,
  recordSynced,
  setNotice,
  takeDueFlag,
} from '../link-state.ts';
import type { ConsumptionWriter } from './consumption-writer.ts';
import { LinkStopped, leaseCheckedWriter } from './consumption-writer.ts';
import {
  forgetAttempts,
  lastPeriodEnd,
  liveEntries,
  markCreated,
  periodsOfLink,
  recordDeleted,
  recordFound,
  recordRevision,
  recordSending,
  recordUpdated,
  rollBack,
  settleCreated,
  settleUpdated,
  startWrite,
  toSentEntry,
  uncertainEntries,
} from './entry-store.ts';
import type { PlannedPeriod, SyncPlan } from './plan.ts';
import { planLinkSync } from './plan.ts';
import { sameDecimal } from './units.ts';

export interface LinkSyncResult {
  created: number;
  updated: number;
  deleted: number;
  adopted: number;
  conflicts: number;
  outcome: 'synced' | 'nothing-to-send' | 'revoked' | 'paused' | 'error' | 'skipped';
  error?: string;
}

/** The run stops: the link was revoked or paused on the way. */
class AccessChanged extends Error {
  constructor(readonly outcome: 'revoked' | 'paused') {
    super(outcome);
  }
}

/** One run's view of the link: the context, the link as read at the start, and its writer. */
interface LinkRun {
  ctx: ExchangeContext;
  link: MeterLink;
  writer: ConsumptionWriter;
  result: LinkSyncResult;
  /** When the billing system wrote each period this run sent, for the billing lag. */
  billedAt: Date[];
}

export async function syncLink(ctx: ExchangeContext, linkId: number, lease: Lease): Promise<LinkSyncResult> {
  const result: LinkSyncResult = {
    created: 0,
    updated: 0,
    deleted: 0,
    adopted: 0,
    conflicts: 0,
    outcome: 'synced',
  };
  const link = await ctx.db.selectFrom('meter_link').selectAll().where('id', '=', linkId).executeTakeFirst();
  if (!link || !(SENDING_STATUSES as readonly string[]).includes(link.status) || !link.answered_at) {
    return { ...result, outcome: 'skipped' };
  }
  // A building's meter waits until ESPM confirmed it is an aggregate meter (aggregate-meters.ts).
  if (link.building_id !== null && link.aggregate_confirmed_at === null)
    return { ...result, outcome: 'skipped' };
  // After the property's transfer, another billing account on the meter waits for an operator.
  if (await holdForOtherBillingAccount(ctx, link)) return { ...result, outcome: 'paused' };
  // A renewal that ran out since the run was queued (or an operator's sync of a lapsed link).
  if (link.aggregation_code_id !== null && (await pauseLapsedRenewals(ctx, [link.id])) > 0) {
    return { ...result, outcome: 'paused' };
  }
  const writer = leaseCheckedWriter(ctx.espm, lease, { db: ctx.db, id: link.id });
  const run: LinkRun = { ctx, link, writer, result, billedAt: [] };
  // Taken down before the periods are read; a run that dies leaves its lease behind, which makes the
  // link due again (consumption-updater.ts); one that fails raises the flag again below.
  await takeDueFlag(ctx.db, link.id);
  try {
    let espmEntries = await reconcileUncertain(run);
    const rows = await liveEntries(ctx.db, link.id);
    // Before the first data, read what the meter holds: the customer may have entered bills already.
    if (rows.length === 0 && !espmEntries) espmEntries = await readMeter(run);
    try {
      await execute(run, await planFor(run, espmEntries));
    } catch (e) {
      // ESPM refused a batch, most likely because the customer entered overlapping bills since the
      // meter was last read: read it again and plan with what it holds, once. A body that failed the
      // schema (-100) would fail again whatever the meter holds.
      if (!(isEspmError(e, 'rejected') && e.method === 'POST' && !e.failedSchema)) throw e;
      espmEntries = await readMeter(run);
      await execute(run, await planFor(run, espmEntries));
    }
  } catch (e) {
    if (e instanceof AccessChanged) {
      result.outcome = e.outcome;
      return result;
    }
    if (e instanceof LinkStopped) {
      result.outcome = e.status === 'paused' ? 'paused' : 'revoked';
      return result;
    }
    await markLinkDue(ctx.db, link.id);
    // ESPM down or refusing every call: not this link's error; the run stops (consumption-updater.ts).
    if (isEspmError(e) && e.espmDown) throw e;
    result.outcome = 'error';
    result.error = (e as Error).message;
    await writeLog(ctx.db, {
      service: 'ConsumptionUpdater',
      subject: link.espm_meter_id,
      event: errorEvent(e),
    });
    return result;
  }
  const sentSomething = result.created + result.updated + result.deleted + result.adopted > 0;
  if (!sentSomething && result.conflicts === 0) result.outcome = 'nothing-to-send';
  const now = ctx.now();
  await recordSynced(ctx.db, link.id, now, await lastPeriodEnd(ctx.db, link.id));
  if (sentSomething) {
    const { created, updated, deleted, adopted } = result;
    await writeLog(ctx.db, {
      service: 'ConsumptionUpdater',
      subject: link.espm_meter_id,
      event: { kind: 'sent', created, updated, deleted, adopted },
    });
  }
  if (run.billedAt.length > 0) consumptionSent.emit({ sentAt: now, billedAt: run.billedAt });
  return result;
}

async function planFor(run: LinkRun, espmEntries: ConsumptionEntry[] | undefined): Promise<SyncPlan> {
  const { ctx, link } = run;
  const unit = link.unit_of_measure ?? '';
  if (!isNaturalGasUnit(unit)) throw new Error(`meter unit "${unit}" is not a natural gas unit`);
  const periods = link.building_id
    ? await monthsOfBuildingLink(ctx, link)
    : await periodsOfLink(ctx.db, link.meter_number!, link.account_number!);
  const sent = (await liveEntries(ctx.db, link.id)).map(toSentEntry);
  return planLinkSync(
    periods,
    sent,
    {
      historyFrom: link.history_from!,
      firstBillDate: link.first_bill_date,
      unit,
      sendCost: ctx.sendCost,
      providerUsername: ctx.providerUsername,
      heldBack: new Set(heldBack(link).periods.map((p) => p.periodStart)),
      contentDecides: link.building_id !== null,
    },
    espmEntries,
  );
}

function heldBack(link: MeterLink): ConflictDetail {
  return link.status === 'conflict' && link.conflict ? (link.conflict as ConflictDetail) : { periods: [] };
}

/**
 * The meter's entries. A 404 on the list may be ESPM's answer to an empty list (EPA does not say): the
 * meter itself (GET /meter/{id}) says whether access is lost.
 */
async function readMeter(run: LinkRun): Promise<ConsumptionEntry[]> {
  try {
    return await run.ctx.espm.listConsumption(run.link.espm_meter_id);
  } catch (e) {
    const emptyList =
      isEspmError(e, 'access-lost') &&
      e.status === 404 &&
      (await readMeterAccess(run.ctx, run.link.espm_meter_id)) !== 'none';
    if (emptyList) return [];
    throw await accessLostOr(run, e);
  }
}

/**
 * A 403 (or 404) on the meter: the customer removed access, or, when ESPM refused a write it still
 * lets us read, left it Read Only. The meter's access level says which: no access ends the link, Read
 * Only pauses it (access-level.ts). A write refused while ESPM says Read Write is an error like any
 * other, tried again on the next run.
 */
async function accessLostOr(run: LinkRun, e: unknown, write = false): Promise<unknown> {
  if (!isEspmError(e, 'access-lost')) return e;
  const status = (e as EspmError).status;
  const detail = status !== undefined ? { detail: String(status) } : {};
  const access = write && status === 403 ? await readMeterAccess(run.ctx, run.link.espm_meter_id) : 'none';
  if (access === 'read-write') return e;
  const outcome = await applyMeterAccess(run.ctx, run.link, access, {
    service: 'ConsumptionUpdater',
    cause: 'write-refused',
    lost: 'access-lost',
    ...detail,
  });
  return new AccessChanged(outcome === 'paused' ? 'paused' : 'revoked');
}

/**
 * Rows left 'sending' by a crash or a lost answer are settled against what ESPM holds before
 * anything else is sent. Returns the meter's entries when it had to read them.
 */
async function reconcileUncertain(run: LinkRun): Promise<ConsumptionEntry[] | undefined> {
  const { ctx, link } = run;
  const uncertain = await uncertainEntries(ctx.db, link.id);
  if (uncertain.length === 0) return undefined;
  const espm = await readMeter(run);
  const byId = new Map(espm.filter((e) => e.id).map((e) => [e.id!, e]));
  const known = new Set(
    (await liveEntries(ctx.db, link.id))
      .map((r) => r.espm_entry_id)
      .filter((id): id is string => id !== null),
  );
  const now = ctx.now();
  for (const row of uncertain) {
    if (row.operation === 'create') {
      const found = espm.find(
        (e) =>
          e.id &&
          !known.has(e.id) &&
          e.startDate === row.period_start &&
          e.endDate === row.period_end &&
          sameDecimal(e.usage, row.usage),
      );
      if (found) {
        known.add(found.id!);
        await settleCreated(ctx.db, row.id, found.id!, now);
      } else {
        await forgetAttempts(ctx.db, [row.id]);
      }
    } else if (row.operation === 'delete') {
      const gone = !row.espm_entry_id || !byId.has(row.espm_entry_id);
      if (gone) await recordDeleted(ctx.db, row.id, now);
      else await rollBack(ctx.db, row.id);
    } else {
      const current = row.espm_entry_id ? byId.get(row.espm_entry_id) : undefined;
      if (!current) await recordDeleted(ctx.db, row.id, now);
      else await settleUpdated(ctx.db, row.id, current.usage, now);
    }
  }
  return espm;
}

async function execute(run: LinkRun, plan: SyncPlan): Promise<void> {
  const { ctx, link, result } = run;
  const now = ctx.now();
  const unit = link.unit_of_measure!;

  for (const a of plan.adoptions) {
    const matches = sameDecimal(a.espm.usage, a.entry.usage);
    const [rowId] = await recordFound(
      ctx.db,
      [
        {
          linkId: link.id,
          period: a.period,
          entry: matches ? a.entry : { ...a.entry, usage: a.espm.usage },
          unit,
          espmEntryId: a.espm.id!,
        },
      ],
      now,
    );
    result.adopted++;
    if (!matches) {
      await sendUpdate(run, rowId!, a.espm.id!, a.entry, a.period);
      result.updated++;
    }
  }

  if (plan.conflicts.length > 0) await holdBack(run, plan.conflicts);
  result.conflicts = plan.conflicts.length;

  if (plan.beforeFirstBill.length > 0) {
    await setNotice(ctx.db, link.id, {
      code: 'periods-before-first-bill-date',
      periods: plan.beforeFirstBill.length,
    });
  }

  for (let i = 0; i < plan.creates.length; i += MAX_ENTRIES_PER_DOCUMENT) {
    result.created += await sendCreates(run, plan.creates.slice(i, i + MAX_ENTRIES_PER_DOCUMENT));
  }

  for (const u of plan.updates) {
    await sendUpdate(run, u.sent.id, u.sent.espmEntryId!, u.entry, u.period);
    result.updated++;
  }
  for (const u of plan.unchangedRevisions) {
    await recordRevision(ctx.db, u.sent.id, u.period.revision, now);
  }
  for (const d of plan.deletes) {
    await sendDelete(run, d.sent.id, d.sent.espmEntryId);
    result.deleted++;
  }
}

async function sendCreates(run: LinkRun, batch: SyncPlan['creates']): Promise<number> {
  const { ctx, link } = run;
  const now = ctx.now();
  // Recorded as 'sending' first: if the process dies during the POST, the next run reconciles.
  const rowIds = await recordSending(
    ctx.db,
    batch.map((c) => ({ linkId: link.id, period: c.period, entry: c.entry, unit: link.unit_of_measure! })),
    now,
  );
  let ids: string[];
  try {
    ids = await run.writer.create(
      link.espm_meter_id,
      batch.map((c) => c.entry),
    );
  } catch (e) {
    if (isEspmError(e) && e.outcomeUnknown) {
      // ESPM may have created them: settle it by reading the meter now, before anything else is sent.
      await reconcileUncertain(run);
      throw e;
    }
    await forgetAttempts(ctx.db, rowIds);
    throw await accessLostOr(run, e, true);
  }
  await markCreated(ctx.db, rowIds, ids, now);
  run.billedAt.push(...batch.map((c) => c.period.billedAt));
  return ids.length;
}

async function sendUpdate(
  run: LinkRun,
  rowId: number,
  espmEntryId: string,
  entry: ConsumptionEntry,
  period: PlannedPeriod,
): Promise<void> {
  const { ctx } = run;
  await startWrite(ctx.db, rowId, 'update');
  try {
    await run.writer.update(espmEntryId, entry);
  } catch (e) {
    if (isEspmError(e) && e.outcomeUnknown) throw e; // left 'sending': settled on the next run
    await rollBack(ctx.db, rowId);
    throw await accessLostOr(run, e, true);
  }
  await recordUpdated(ctx.db, rowId, entry, period, ctx.now());
  run.billedAt.push(period.billedAt);
}

async function sendDelete(run: LinkRun, rowId: number, espmEntryId: string | null): Promise<void> {
  const { ctx } = run;
  await startWrite(ctx.db, rowId, 'delete');
  if (espmEntryId) {
    try {
      await run.writer.delete(espmEntryId);
    } catch (e) {
      if (isEspmError(e) && e.outcomeUnknown) throw e;
      // 404 on the entry alone: it is already gone, which is what was asked.
      const entryGone = isEspmError(e, 'access-lost') && e.status === 404;
      if (!entryGone) {
        await rollBack(ctx.db, rowId);
        throw await accessLostOr(run, e, true);
      }
    }
  }
  await recordDeleted(ctx.db, rowId, ctx.now());
}

/** The periods the customer's own entries overlap join those already held back on the link. */
async function holdBack(run: LinkRun, conflicts: SyncPlan['conflicts']): Promise<void> {
  const { ctx, link } = run;
  const periods = new Map(heldBack(link).periods.map((p) => [p.periodStart, p]));
  for (const c of conflicts) {
    periods.set(c.period.periodStart, {
      periodStart: c.period.periodStart,
      periodEnd: c.period.periodEnd,
      customerEntries: c.customerEntries.map((e) => ({
        id: e.id ?? '',
        startDate: e.startDate,
        endDate: e.endDate,
        usage: e.usage,
        ...(e.audit?.createdBy ? { createdBy: e.audit.createdBy } : {}),
      })),
    });
  }
  const detail: ConflictDetail = {
    periods: [...periods.values()].sort((a, b) => a.periodStart.localeCompare(b.periodStart)),
  };
  await markConflict(ctx.db, link, detail, ctx.now());
  run.link = { ...link, status: 'conflict', conflict: detail };
}
