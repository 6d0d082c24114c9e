// What an operator can do from the console: which actions a link's status allows, each action's rule
// and its typed refusal, and the action itself (its record in the log, with the operator's name, is
// written by the state change it makes: link-state.ts, or here for the ones that change no link).
import { isEspmError, isNaturalGasUnit } from '@gaz-espm/espm';
import { monthsOfBuildingLink } from './building-entries.ts';
import { writeLog } from '../log/gateway-log.ts';
import type { ConflictDetail } from '../store/schema.ts';
import type { LinkStatus } from '../vocabulary/link-statuses.ts';
import { applyMeterAccess, readMeterAccess } from './access-level.ts';
import { clearLockout } from './contacts.ts';
import { leaseCheckedWriter } from './consumption/consumption-writer.ts';
import { periodsOfLink, recordWithheld } from './consumption/entry-store.ts';
import { entryFor } from './consumption/plan.ts';
import type { LinkSyncResult } from './consumption/sync-link.ts';
import { syncLink } from './consumption/sync-link.ts';
import type { ExchangeContext } from './context.ts';
import { leasesOf } from './leases.ts';
import type { ConflictChoice, PauseCause } from './link-state.ts';
import {
  LINK_TRANSITIONS,
  SENDING_STATUSES,
  markLinkDue,
  resolveConflict as resolveLinkConflict,
  revokeLink,
} from './link-state.ts';
import { OPERATOR_UNSHARE_NOTE, noteText } from './notes.ts';
import { releaseBillingHold } from './transfers.ts';

export type { ConflictChoice };

/** The actions on one meter link, in the order the console offers them. */
export const METER_ACTIONS = ['keep-customer', 'replace', 'resync', 'revoke'] as const;
export type MeterAction = (typeof METER_ACTIONS)[number];

/** The statuses each action starts from: the state machine's change it makes (link-state.ts). */
const ACTION_FROM: Record<MeterAction, readonly LinkStatus[]> = {
  'keep-customer': LINK_TRANSITIONS.resolve,
  replace: LINK_TRANSITIONS.resolve,
  // A sync sends to a sending link; a paused one has its meter read first, and resumes only if Read
  // Write is back (resyncLink).
  resync: [...SENDING_STATUSES, ...LINK_TRANSITIONS.resume],
  revoke: LINK_TRANSITIONS.revoke,
};

/** The actions a link in this status allows (the console offers these and no other). */
export function availableActions(status: LinkStatus): MeterAction[] {
  return METER_ACTIONS.filter((action) => ACTION_FROM[action].includes(status));
}

/** Why an action was refused; the console words each code in French or English. */
export const REFUSALS = {
  'no-such-link': 'no such meter link',
  'not-sending': 'only a current link can be synced',
  'not-in-conflict': 'this link is not in conflict',
  'link-busy': 'the link is being synced right now',
  'not-gas-unit': 'the meter unit is not a natural gas unit',
  'not-current': 'this link is not current',
  'no-such-account': 'no such ESPM account',
  'still-read-only': 'ESPM still gives read-only access to this meter',
  'renewal-due': 'the building’s link must be renewed before anything is sent',
} as const;
export type RefusalCode = keyof typeof REFUSALS;

export class ActionRefused extends Error {
  override name = 'ActionRefused';
  constructor(readonly code: RefusalCode) {
    super(REFUSALS[code]);
  }
}

/** The refusal an action gets from a link whose status does not allow it. */
export function refusalFor(action: MeterAction): RefusalCode {
  switch (action) {
    case 'resync':
      return 'not-sending';
    case 'keep-customer':
    case 'replace':
      return 'not-in-conflict';
    case 'revoke':
      return 'not-current';
  }
}

async function loadLink(ctx: ExchangeContext, linkId: number) {
  const link = await ctx.db.selectFrom('meter_link').selectAll().where('id', '=', linkId).executeTakeFirst();
  if (!link) throw new ActionRefused('no-such-link');
  return link;
}

/**
 * Sends the link's due periods now instead of at the next scheduled run. A link paused for its access
 * has its meter read first: it resumes if ESPM gives Read Write again, ends if ESPM refuses it, else
 * stays paused. One held for another billing account after a transfer resumes: the operator checked it.
 */
export async function resyncLink(
  ctx: ExchangeContext,
  linkId: number,
  operator: string,
): Promise<LinkSyncResult> {
  let link = await loadLink(ctx, linkId);
  if (link.status === 'paused' && link.reason_code === ('renewal-due' satisfies PauseCause)) {
    throw new ActionRefused('renewal-due');
  }
  if (link.status === 'paused' && link.reason_code === 'billing-account-changed') {
    // Held after a transfer: the operator checked the other billing account and lets the link go on.
    await releaseBillingHold(ctx, link, operator);
    link = await loadLink(ctx, linkId);
  } else if (link.status === 'paused') {
    const outcome = await applyMeterAccess(ctx, link, await readMeterAccess(ctx, link.espm_meter_id), {
      service: 'Operator',
      cause: 'access-read-only',
      lost: 'access-lost',
      operator,
    });
    if (outcome === 'revoked') throw new ActionRefused('not-current');
    if (outcome !== 'resumed') throw new ActionRefused('still-read-only');
    link = await loadLink(ctx, linkId);
  }
  if (!(SENDING_STATUSES as readonly LinkStatus[]).includes(link.status))
    throw new ActionRefused('not-sending');
  await markLinkDue(ctx.db, linkId);
  await writeLog(ctx.db, {
    service: 'Operator',
    subject: link.espm_meter_id,
    event: { kind: 'resync-requested' },
    operator,
  });
  // Not while another process syncs it: that run or the next one sends what is due.
  const lease = await leasesOf(ctx).claimLink(linkId);
  if (!lease) return { ...NOTHING, outcome: 'skipped', error: 'the link is being synced by another run' };
  try {
    return await syncLink(ctx, linkId, lease);
  } finally {
    await lease.release();
  }
}

const NOTHING = { created: 0, updated: 0, deleted: 0, adopted: 0, conflicts: 0 };

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
  if (!lease) throw new ActionRefused('link-busy');
  try {
    const link = await loadLink(ctx, linkId);
    if (link.status !== 'conflict' || !link.conflict) throw new ActionRefused('not-in-conflict');
    const conflict = link.conflict as ConflictDetail;
    const now = ctx.now();
    if (choice === 'keep-customer') {
      const unit = link.unit_of_measure ?? '';
      if (!isNaturalGasUnit(unit)) throw new ActionRefused('not-gas-unit');
      const starts = new Set(conflict.periods.map((p) => p.periodStart));
      const periods = (
        link.building_id
          ? await monthsOfBuildingLink(ctx, link)
          : await periodsOfLink(ctx.db, link.meter_number!, link.account_number!)
      ).filter((p) => starts.has(p.periodStart));
      await recordWithheld(
        ctx.db,
        periods.map((period) => ({
          linkId,
          period,
          entry: entryFor(period, { unit, sendCost: ctx.sendCost }),
          unit,
        })),
        now,
      );
    } else {
      const writer = leaseCheckedWriter(ctx.espm, lease, { db: ctx.db, id: linkId });
      for (const id of new Set(conflict.periods.flatMap((p) => p.customerEntries.map((e) => e.id)))) {
        try {
          await writer.delete(id);
        } catch (e) {
          if (!(isEspmError(e, 'access-lost') && e.status === 404)) throw e;
        }
      }
    }
    await resolveLinkConflict(ctx.db, link, choice, { operator, at: now });
  } finally {
    await lease.release();
  }
}

/** Stops sending to the meter and gives up the share in ESPM. */
export async function revokeLinkByOperator(
  ctx: ExchangeContext,
  linkId: number,
  operator: string,
): Promise<void> {
  const link = await loadLink(ctx, linkId);
  const note = noteText(OPERATOR_UNSHARE_NOTE);
  const by = { service: 'Operator' as const, at: ctx.now(), operator, customerNote: note };
  if (!(await revokeLink(ctx.db, linkId, 'operator', by))) throw new ActionRefused('not-current');
  try {
    await ctx.espm.unshareMeter(link.espm_meter_id, note);
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
  if (!(await clearLockout(ctx.db, accountId, ctx.now()))) throw new ActionRefused('no-such-account');
  await writeLog(ctx.db, {
    service: 'Operator',
    subject: accountId,
    event: { kind: 'account-unlocked' },
    operator,
  });
}
