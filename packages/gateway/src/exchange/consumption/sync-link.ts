// Carries out the plan for one meter link against ESPM, recording every step so that a crash or a
// lost answer at any point is finished on the next run without a duplicate or a lost period.
import { MAX_ENTRIES_PER_DOCUMENT, isEspmError, isNaturalGasUnit } from '@gaz-espm/espm';
import type { ConsumptionEntry, EspmError } from '@gaz-espm/espm';
import { writeLog } from '../../log/gateway-log.ts';
import type { ConflictDetail, MeterLink } from '../../store/schema.ts';
import type { ExchangeContext } from '../context.ts';
import { revokeLink } from '../links.ts';
import { insertEntries, liveEntries, periodsOfLink, toSentEntry } from './entry-store.ts';
import type { PlannedPeriod, SyncPlan } from './plan.ts';
import { planLinkSync } from './plan.ts';
import { sameDecimal } from './units.ts';

export interface LinkSyncResult {
  created: number;
  updated: number;
  deleted: number;
  adopted: number;
  conflicts: number;
  outcome: 'synced' | 'nothing-to-send' | 'revoked' | 'error' | 'skipped';
  error?: string;
}

class AccessLost extends Error {}

export async function syncLink(ctx: ExchangeContext, linkId: number): Promise<LinkSyncResult> {
  const result: LinkSyncResult = {
    created: 0,
    updated: 0,
    deleted: 0,
    adopted: 0,
    conflicts: 0,
    outcome: 'synced',
  };
  const link = await ctx.db.selectFrom('meter_link').selectAll().where('id', '=', linkId).executeTakeFirst();
  if (!link || (link.status !== 'accepted' && link.status !== 'conflict') || !link.answered_at) {
    return { ...result, outcome: 'skipped' };
  }
  // The flag is taken down before the periods are read, so that an import committed from now on raises it
  // again for the next run. A run that dies leaves its lease behind, which makes the link due again
  // (consumption-updater.ts); one that fails raises the flag again below.
  await ctx.db.updateTable('meter_link').set({ sync_due: false }).where('id', '=', link.id).execute();
  try {
    let espmEntries = await reconcileUncertain(ctx, link);
    const rows = await liveEntries(ctx.db, link.id);
    // Before the first data, read what the meter holds: the customer may have entered bills already.
    if (rows.length === 0 && !espmEntries) espmEntries = await readMeter(ctx, link);
    try {
      await execute(ctx, link, await planFor(ctx, link, espmEntries), result);
    } catch (e) {
      // ESPM refused a batch, most likely because the customer entered overlapping bills since the
      // meter was last read: read it again and plan with what it holds, once.
      if (!(isEspmError(e, 'rejected') && e.method === 'POST')) throw e;
      espmEntries = await readMeter(ctx, link);
      await execute(ctx, link, await planFor(ctx, link, espmEntries), result);
    }
  } catch (e) {
    if (e instanceof AccessLost) {
      result.outcome = 'revoked';
      return result;
    }
    result.outcome = 'error';
    result.error = (e as Error).message;
    await ctx.db.updateTable('meter_link').set({ sync_due: true }).where('id', '=', link.id).execute();
    await writeLog(ctx.db, {
      service: 'ConsumptionUpdater',
      subject: link.espm_meter_id,
      outcome: isEspmError(e) ? `espm-${e.kind}` : 'failed',
      status: 'error',
      details: (e as Error).message,
    });
    return result;
  }
  const sentSomething = result.created + result.updated + result.deleted + result.adopted > 0;
  if (!sentSomething && result.conflicts === 0) result.outcome = 'nothing-to-send';
  const last = await ctx.db
    .selectFrom('consumption_entry')
    .select((eb) => eb.fn.max('period_end').as('last'))
    .where('link_id', '=', link.id)
    .where('state', 'in', ['sent', 'adopted'])
    .executeTakeFirst();
  await ctx.db
    .updateTable('meter_link')
    .set({ last_synced_at: ctx.now(), last_period_end: last?.last ?? null })
    .where('id', '=', link.id)
    .execute();
  if (sentSomething) {
    await writeLog(ctx.db, {
      service: 'ConsumptionUpdater',
      subject: link.espm_meter_id,
      outcome: 'sent',
      details: `created=${result.created} updated=${result.updated} deleted=${result.deleted} adopted=${result.adopted}`,
    });
  }
  return result;
}

async function planFor(
  ctx: ExchangeContext,
  link: MeterLink,
  espmEntries: ConsumptionEntry[] | undefined,
): Promise<SyncPlan> {
  const unit = link.unit_of_measure ?? '';
  if (!isNaturalGasUnit(unit)) throw new Error(`meter unit "${unit}" is not a natural gas unit`);
  const periods = await periodsOfLink(ctx.db, link.meter_number!, link.account_number!);
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
    },
    espmEntries,
  );
}

async function readMeter(ctx: ExchangeContext, link: MeterLink): Promise<ConsumptionEntry[]> {
  try {
    return await ctx.espm.listConsumption(link.espm_meter_id);
  } catch (e) {
    throw await accessLostOr(ctx, link, e);
  }
}

/** A 403 (or 404) on the meter means the customer removed access: stop sending to it. */
async function accessLostOr(ctx: ExchangeContext, link: MeterLink, e: unknown): Promise<unknown> {
  if (isEspmError(e, 'access-lost')) {
    await revokeLink(ctx, link.id, 'access-lost', `${(e as EspmError).status ?? ''}`.trim());
    return new AccessLost();
  }
  return e;
}

/**
 * Rows left 'sending' by a crash or a lost answer are settled against what ESPM holds before
 * anything else is sent. Returns the meter's entries when it had to read them.
 */
async function reconcileUncertain(
  ctx: ExchangeContext,
  link: MeterLink,
): Promise<ConsumptionEntry[] | undefined> {
  const uncertain = await ctx.db
    .selectFrom('consumption_entry')
    .selectAll()
    .where('link_id', '=', link.id)
    .where('state', '=', 'sending')
    .execute();
  if (uncertain.length === 0) return undefined;
  const espm = await readMeter(ctx, link);
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
        await ctx.db
          .updateTable('consumption_entry')
          .set({ state: 'sent', operation: null, espm_entry_id: found.id!, sent_at: now, updated_at: now })
          .where('id', '=', row.id)
          .execute();
      } else {
        // ESPM never created it: forget the attempt, the plan sends it again.
        await ctx.db.deleteFrom('consumption_entry').where('id', '=', row.id).execute();
      }
    } else if (row.operation === 'delete') {
      const gone = !row.espm_entry_id || !byId.has(row.espm_entry_id);
      await ctx.db
        .updateTable('consumption_entry')
        .set(
          gone ? { state: 'deleted', operation: null, updated_at: now } : { state: 'sent', operation: null },
        )
        .where('id', '=', row.id)
        .execute();
    } else {
      // An update whose answer was lost: ESPM holds either value; mark it sent at an unknown revision
      // so the plan compares and sends the correction again if needed (a PUT may be repeated).
      const current = row.espm_entry_id ? byId.get(row.espm_entry_id) : undefined;
      if (!current) {
        await ctx.db
          .updateTable('consumption_entry')
          .set({ state: 'deleted', operation: null, updated_at: now })
          .where('id', '=', row.id)
          .execute();
      } else {
        await ctx.db
          .updateTable('consumption_entry')
          .set({ state: 'sent', operation: null, usage: current.usage, billing_revision: 0, updated_at: now })
          .where('id', '=', row.id)
          .execute();
      }
    }
  }
  return espm;
}

async function execute(
  ctx: ExchangeContext,
  link: MeterLink,
  plan: SyncPlan,
  result: LinkSyncResult,
): Promise<void> {
  const now = ctx.now();
  const unit = link.unit_of_measure!;

  for (const a of plan.adoptions) {
    const matches = sameDecimal(a.espm.usage, a.entry.usage);
    const [rowId] = await insertEntries(ctx.db, [
      {
        linkId: link.id,
        period: a.period,
        entry: matches ? a.entry : { ...a.entry, usage: a.espm.usage },
        unit,
        state: 'adopted',
        operation: null,
        espmEntryId: a.espm.id!,
        now,
      },
    ]);
    result.adopted++;
    if (!matches) {
      await sendUpdate(ctx, link, rowId!, a.espm.id!, a.entry, a.period);
      result.updated++;
    }
  }

  if (plan.conflicts.length > 0) await markConflict(ctx, link, plan.conflicts);
  result.conflicts = plan.conflicts.length;

  if (plan.beforeFirstBill.length > 0) {
    await ctx.db
      .updateTable('meter_link')
      .set({ notice: `periods-before-first-bill-date:${plan.beforeFirstBill.length}` })
      .where('id', '=', link.id)
      .execute();
  }

  for (let i = 0; i < plan.creates.length; i += MAX_ENTRIES_PER_DOCUMENT) {
    const batch = plan.creates.slice(i, i + MAX_ENTRIES_PER_DOCUMENT);
    result.created += await sendCreates(ctx, link, batch);
  }

  for (const u of plan.updates) {
    await sendUpdate(ctx, link, u.sent.id, u.sent.espmEntryId!, u.entry, u.period);
    result.updated++;
  }
  for (const u of plan.unchangedRevisions) {
    await ctx.db
      .updateTable('consumption_entry')
      .set({ billing_revision: u.period.revision, updated_at: now })
      .where('id', '=', u.sent.id)
      .execute();
  }
  for (const d of plan.deletes) {
    await sendDelete(ctx, link, d.sent.id, d.sent.espmEntryId);
    result.deleted++;
  }
}

async function sendCreates(
  ctx: ExchangeContext,
  link: MeterLink,
  batch: SyncPlan['creates'],
): Promise<number> {
  const now = ctx.now();
  // Recorded as 'sending' first: if the process dies during the POST, the next run reconciles.
  const rowIds = await insertEntries(
    ctx.db,
    batch.map((c) => ({
      linkId: link.id,
      period: c.period,
      entry: c.entry,
      unit: link.unit_of_measure!,
      state: 'sending' as const,
      operation: 'create' as const,
      espmEntryId: null,
      now,
    })),
  );
  let ids: string[];
  try {
    ids = await ctx.espm.createConsumption(
      link.espm_meter_id,
      batch.map((c) => c.entry),
    );
  } catch (e) {
    if (isEspmError(e) && e.outcomeUnknown) {
      // ESPM may have created them: settle it by reading the meter now, before anything else is sent.
      await reconcileUncertain(ctx, link);
      throw e;
    }
    await ctx.db.deleteFrom('consumption_entry').where('id', 'in', rowIds).execute();
    throw await accessLostOr(ctx, link, e);
  }
  await ctx.db.transaction().execute(async (tx) => {
    for (let i = 0; i < rowIds.length; i++) {
      await tx
        .updateTable('consumption_entry')
        .set({ state: 'sent', operation: null, espm_entry_id: ids[i]!, sent_at: now, updated_at: now })
        .where('id', '=', rowIds[i]!)
        .execute();
    }
  });
  return ids.length;
}

async function sendUpdate(
  ctx: ExchangeContext,
  link: MeterLink,
  rowId: number,
  espmEntryId: string,
  entry: ConsumptionEntry,
  period: PlannedPeriod,
): Promise<void> {
  await ctx.db
    .updateTable('consumption_entry')
    .set({ state: 'sending', operation: 'update' })
    .where('id', '=', rowId)
    .execute();
  try {
    await ctx.espm.updateConsumption(espmEntryId, entry);
  } catch (e) {
    if (isEspmError(e) && e.outcomeUnknown) throw e; // left 'sending': settled on the next run
    await ctx.db
      .updateTable('consumption_entry')
      .set({ state: 'sent', operation: null })
      .where('id', '=', rowId)
      .execute();
    throw await accessLostOr(ctx, link, e);
  }
  const now = ctx.now();
  await ctx.db
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
      sent_at: now,
      updated_at: now,
    })
    .where('id', '=', rowId)
    .execute();
}

async function sendDelete(
  ctx: ExchangeContext,
  link: MeterLink,
  rowId: number,
  espmEntryId: string | null,
): Promise<void> {
  await ctx.db
    .updateTable('consumption_entry')
    .set({ state: 'sending', operation: 'delete' })
    .where('id', '=', rowId)
    .execute();
  if (espmEntryId) {
    try {
      await ctx.espm.deleteConsumption(espmEntryId);
    } catch (e) {
      if (isEspmError(e) && e.outcomeUnknown) throw e;
      // 404 on the entry alone: it is already gone, which is what was asked.
      const entryGone = isEspmError(e, 'access-lost') && e.status === 404;
      if (!entryGone) {
        await ctx.db
          .updateTable('consumption_entry')
          .set({ state: 'sent', operation: null })
          .where('id', '=', rowId)
          .execute();
        throw await accessLostOr(ctx, link, e);
      }
    }
  }
  await ctx.db
    .updateTable('consumption_entry')
    .set({ state: 'deleted', operation: null, updated_at: ctx.now() })
    .where('id', '=', rowId)
    .execute();
}

async function markConflict(
  ctx: ExchangeContext,
  link: MeterLink,
  conflicts: SyncPlan['conflicts'],
): Promise<void> {
  const detail: ConflictDetail = {
    periods: conflicts.map((c) => ({
      periodStart: c.period.periodStart,
      periodEnd: c.period.periodEnd,
      customerEntries: c.customerEntries.map((e) => ({
        id: e.id ?? '',
        startDate: e.startDate,
        endDate: e.endDate,
        usage: e.usage,
        ...(e.audit?.createdBy ? { createdBy: e.audit.createdBy } : {}),
      })),
    })),
  };
  const wasInConflict = link.status === 'conflict';
  await ctx.db
    .updateTable('meter_link')
    .set({ status: 'conflict', conflict: JSON.stringify(detail) })
    .where('id', '=', link.id)
    .execute();
  if (!wasInConflict) {
    await ctx.db
      .insertInto('link_decision')
      .values({
        link_id: link.id,
        decided_at: ctx.now(),
        decision: 'conflict',
        rule: 'customer-data-overlap',
        note: conflicts.map((c) => `${c.period.periodStart}..${c.period.periodEnd}`).join(', '),
        operator: null,
      })
      .execute();
    await writeLog(ctx.db, {
      service: 'ConsumptionUpdater',
      subject: link.espm_meter_id,
      outcome: 'conflict',
      status: 'error',
      details: `periods=${conflicts.length}`,
    });
  }
}
