// What an operator can do from the console; each action is recorded in the log with the operator's name.
import { isEspmError } from '@gaz-espm/espm';
import { writeLog } from '../log/gateway-log.ts';
import type { ConflictDetail } from '../store/schema.ts';
import { insertEntries, periodsOfLink } from './consumption/entry-store.ts';
import { entryFor } from './consumption/plan.ts';
import { syncLink } from './consumption/sync-link.ts';
import type { LinkSyncResult } from './consumption/sync-link.ts';
import type { ExchangeContext } from './context.ts';
import { leasesOf } from './leases.ts';
import { revokeLink } from './links.ts';
import { noteText } from './notes.ts';
import { isNaturalGasUnit } from '@gaz-espm/espm';

export class ActionRefused extends Error {
  override name = 'ActionRefused';
}

async function loadLink(ctx: ExchangeContext, linkId: number) {
  const link = await ctx.db.selectFrom('meter_link').selectAll().where('id', '=', linkId).executeTakeFirst();
  if (!link) throw new ActionRefused('no such meter link');
  return link;
}

/** Sends the link's due periods now instead of at the next scheduled run. */
export async function resyncLink(
  ctx: ExchangeContext,
  linkId: number,
  operator: string,
): Promise<LinkSyncResult> {
  const link = await loadLink(ctx, linkId);
  if (link.status !== 'accepted' && link.status !== 'conflict')
    throw new ActionRefused('only a current link can be synced');
  await ctx.db.updateTable('meter_link').set({ sync_due: true }).where('id', '=', linkId).execute();
  await writeLog(ctx.db, {
    service: 'Operator',
    subject: link.espm_meter_id,
    outcome: 'resync-requested',
    operator,
  });
  // Not while another process syncs it: that run or the next one sends what is due.
  const lease = await leasesOf(ctx).claimLink(linkId);
  if (!lease) return { ...NOTHING, outcome: 'skipped', error: 'the link is being synced by another run' };
  try {
    return await syncLink(ctx, linkId);
  } finally {
    await lease.release();
  }
}

const NOTHING = { created: 0, updated: 0, deleted: 0, adopted: 0, conflicts: 0 };

export type ConflictChoice = 'keep-customer' | 'replace';

/**
 * Ends a conflict: either the customer's entries stay and the gateway never sends those periods, or
 * the customer's overlapping entries are deleted in ESPM and the gateway's periods are sent instead.
 */
export async function resolveConflict(
  ctx: ExchangeContext,
  linkId: number,
  choice: ConflictChoice,
  operator: string,
): Promise<void> {
  // Not while a consumption run (of any instance) works on the link.
  const lease = await leasesOf(ctx).claimLink(linkId);
  if (!lease) throw new ActionRefused('the link is being synced right now');
  try {
    await resolveHeldConflict(ctx, linkId, choice, operator);
  } finally {
    await lease.release();
  }
}

async function resolveHeldConflict(
  ctx: ExchangeContext,
  linkId: number,
  choice: ConflictChoice,
  operator: string,
): Promise<void> {
  const link = await loadLink(ctx, linkId);
  if (link.status !== 'conflict' || !link.conflict) throw new ActionRefused('this link is not in conflict');
  const conflict = link.conflict as ConflictDetail;
  const now = ctx.now();
  if (choice === 'keep-customer') {
    const unit = link.unit_of_measure ?? '';
    if (!isNaturalGasUnit(unit)) throw new ActionRefused('the meter unit is not a natural gas unit');
    const starts = new Set(conflict.periods.map((p) => p.periodStart));
    const periods = (await periodsOfLink(ctx.db, link.meter_number!, link.account_number!)).filter((p) =>
      starts.has(p.periodStart),
    );
    await insertEntries(
      ctx.db,
      periods.map((period) => ({
        linkId,
        period,
        entry: entryFor(period, { unit, sendCost: ctx.sendCost }),
        unit,
        state: 'withheld' as const,
        operation: null,
        espmEntryId: null,
        now,
      })),
    );
  } else {
    for (const id of new Set(conflict.periods.flatMap((p) => p.customerEntries.map((e) => e.id)))) {
      try {
        await ctx.espm.deleteConsumption(id);
      } catch (e) {
        if (!(isEspmError(e, 'access-lost') && e.status === 404)) throw e;
      }
    }
  }
  await ctx.db
    .updateTable('meter_link')
    .set({ status: 'accepted', conflict: null, sync_due: true })
    .where('id', '=', linkId)
    .execute();
  await ctx.db
    .insertInto('link_decision')
    .values({ link_id: linkId, decided_at: now, decision: 'resolved', rule: choice, note: null, operator })
    .execute();
  await writeLog(ctx.db, {
    service: 'Operator',
    subject: link.espm_meter_id,
    outcome: `conflict-resolved:${choice}`,
    operator,
  });
}

const OPERATOR_UNSHARE_NOTE = {
  fr: 'Le distributeur a mis fin à l’échange de données pour ce compteur. Communiquez avec le service à la clientèle pour plus d’information.',
  en: 'The utility ended the data exchange for this meter. Please contact customer service for more information.',
};

/** Stops sending to the meter and gives up the share in ESPM. */
export async function revokeLinkByOperator(
  ctx: ExchangeContext,
  linkId: number,
  operator: string,
): Promise<void> {
  const link = await loadLink(ctx, linkId);
  if (!(await revokeLink(ctx, linkId, 'operator', undefined, operator)))
    throw new ActionRefused('this link is not current');
  try {
    await ctx.espm.unshareMeter(link.espm_meter_id, noteText(OPERATOR_UNSHARE_NOTE));
  } catch (e) {
    // Access already gone in ESPM is what was wanted.
    if (!isEspmError(e, 'access-lost')) throw e;
  }
}

/** Lets a locked-out ESPM account's next shares be checked again. */
export async function unlockAccount(
  ctx: ExchangeContext,
  accountId: string,
  operator: string,
): Promise<void> {
  const updated = await ctx.db
    .updateTable('espm_customer')
    .set({ lockout_cleared_at: ctx.now() })
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!updated.numUpdatedRows) throw new ActionRefused('no such ESPM account');
  await writeLog(ctx.db, { service: 'Operator', subject: accountId, outcome: 'account-unlocked', operator });
}
