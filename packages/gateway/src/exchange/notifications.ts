// NotificationWatcher: reads ESPM's notifications without losing any (each is stored before ESPM is
// told to clear it), then stops sending wherever the customer removed access, pauses or resumes
// wherever it changed the access level, and reads the level of paused meters now and then
// (access-level.ts).
import type { Notification } from '@gaz-espm/espm';
import { writeLog } from '../log/gateway-log.ts';
import { applyMeterAccess, checkPausedLinks, readMeterAccess } from './access-level.ts';
import type { ExchangeContext } from './context.ts';
import { customerDisconnected } from './contacts.ts';
import type { RevocationReason } from './link-state.ts';
import { CURRENT_STATUSES, SENDING_STATUSES, revokeLink } from './link-state.ts';
import { propertyGone } from './property-shares.ts';
import { recordTransfer } from './transfers.ts';

export interface NotificationSummary {
  received: number;
  handled: number;
  /** Paused links whose meter's access level was read again, and those that resumed. */
  pausedChecked: number;
  resumed: number;
}

export async function watchNotifications(ctx: ExchangeContext): Promise<NotificationSummary> {
  const unread = await ctx.espm.notifications({ clear: false });
  await storeNotifications(ctx, unread);
  let received = unread.length;
  if (unread.length > 0) {
    // Clearing returns what is unread at that moment, possibly a newer one: stored as well.
    const cleared = await ctx.espm.notifications({ clear: true });
    await storeNotifications(ctx, cleared);
    received += cleared.filter((n) => !unread.some((u) => u.notificationId === n.notificationId)).length;
  }
  const handled = await handleStoredNotifications(ctx);
  const paused = await checkPausedLinks(ctx);
  return { received, handled, pausedChecked: paused.checked, resumed: paused.resumed };
}

async function storeNotifications(ctx: ExchangeContext, list: Notification[]): Promise<void> {
  if (list.length === 0) return;
  const now = ctx.now();
  await ctx.db
    .insertInto('espm_notification')
    .values(
      list.map((n) => ({
        notification_id: n.notificationId,
        type_code: n.notificationTypeCode,
        description: n.description,
        account_id: n.accountId ?? null,
        username: n.username || null,
        property_id: n.propertyId ?? null,
        meter_id: n.meterId ?? null,
        created_date: n.notificationCreatedDate ?? null,
        received_at: now,
      })),
    )
    .onConflict((oc) => oc.column('notification_id').doNothing())
    .execute();
}

async function handleStoredNotifications(ctx: ExchangeContext): Promise<number> {
  const todo = await ctx.db
    .selectFrom('espm_notification')
    .selectAll()
    .where('handled_at', 'is', null)
    .orderBy('received_at')
    .orderBy('notification_id')
    .execute();
  for (const n of todo) {
    const counts = await applyNotification(ctx, n);
    await ctx.db
      .updateTable('espm_notification')
      .set({ handled_at: ctx.now() })
      .where('notification_id', '=', n.notification_id)
      .execute();
    await writeLog(ctx.db, {
      service: 'NotificationWatcher',
      subject: n.meter_id ?? n.property_id ?? n.account_id ?? n.notification_id,
      event: {
        kind: 'notification',
        type: n.type_code,
        linksRevoked: counts.revoked,
        ...(counts.paused ? { linksPaused: counts.paused } : {}),
        ...(counts.resumed ? { linksResumed: counts.resumed } : {}),
      },
    });
  }
  return todo.length;
}

type StoredNotification = {
  type_code: string;
  account_id: string | null;
  username: string | null;
  property_id: string | null;
  meter_id: string | null;
  created_date: string | null;
};

interface LinkCounts {
  revoked: number;
  paused: number;
  resumed: number;
}

const none = (revoked = 0): LinkCounts => ({ revoked, paused: 0, resumed: 0 });

async function applyNotification(ctx: ExchangeContext, n: StoredNotification): Promise<LinkCounts> {
  switch (n.type_code) {
    case 'UNSHARE':
      if (n.meter_id) return none(await revokeWhere(ctx, n, 'espm_meter_id', n.meter_id, 'meter-unshared'));
      if (n.property_id) {
        await propertyGone(ctx.db, n.property_id, ctx.now());
        return none(await revokeWhere(ctx, n, 'espm_property_id', n.property_id, 'property-unshared'));
      }
      return none();
    case 'DISCONNECT':
      if (!n.account_id) return none();
      await customerDisconnected(ctx.db, n.account_id, ctx.now());
      return none(await revokeWhere(ctx, n, 'espm_account_id', n.account_id, 'customer-disconnected'));
    case 'TRANSFERPROPERTY':
      // The provider keeps its access: nothing ends, the links record the new holder (transfers.ts).
      if (n.property_id) await recordTransfer(ctx, { ...n, property_id: n.property_id });
      return none();
    case 'SHAREUPDATE':
      if (n.meter_id) return accessChanged(ctx, 'espm_meter_id', n.meter_id);
      return n.property_id ? accessChanged(ctx, 'espm_property_id', n.property_id) : none();
    default:
      return none(); // unknown codes are kept in the store and the log for an operator to read
  }
}

/**
 * Ends the current links the notification is about. A link whose share the customer sent after the
 * notification was created (by ESPM's clock) is not the one it is about: the meter was shared again,
 * and a late or replayed UNSHARE must not end the new share. Such a link ends only if ESPM refuses
 * its meter now.
 */
async function revokeWhere(
  ctx: ExchangeContext,
  n: StoredNotification,
  column: 'espm_meter_id' | 'espm_property_id' | 'espm_account_id',
  value: string,
  reason: RevocationReason,
): Promise<number> {
  let query = ctx.db
    .selectFrom('meter_link')
    .select(['id', 'espm_meter_id', 'status', 'shared_at', 'received_at'])
    .where('status', 'in', CURRENT_STATUSES);
  // An account disconnecting ends the links of the properties it holds: not those it transferred away,
  // and those transferred to it.
  query =
    column === 'espm_account_id'
      ? query.where((eb) =>
          eb.or([
            eb.and([eb('espm_account_id', '=', value), eb('holder_account_id', 'is', null)]),
            eb('holder_account_id', '=', value),
          ]),
        )
      : query.where(column, '=', value);
  const links = await query.execute();
  const createdAt = n.created_date ? new Date(n.created_date) : undefined;
  let count = 0;
  for (const l of links) {
    const sharedAt = l.shared_at ?? l.received_at;
    const newer = createdAt !== undefined && !Number.isNaN(createdAt.getTime()) && sharedAt >= createdAt;
    if (newer && (l.status === 'pending' || (await readMeterAccess(ctx, l.espm_meter_id)) !== 'none')) {
      continue;
    }
    if (await revokeLink(ctx.db, l.id, reason, { service: 'NotificationWatcher', at: ctx.now() })) count++;
  }
  return count;
}

/**
 * The customer changed the access level of a meter (or of a property, which may carry its meters'):
 * each link is paused, resumed or ended by the level ESPM gives now.
 */
async function accessChanged(
  ctx: ExchangeContext,
  column: 'espm_meter_id' | 'espm_property_id',
  value: string,
): Promise<LinkCounts> {
  const links = await ctx.db
    .selectFrom('meter_link')
    .select(['id', 'espm_meter_id', 'status'])
    .where(column, '=', value)
    .where('status', 'in', [...SENDING_STATUSES, 'paused'])
    .where('answered_at', 'is not', null)
    .execute();
  const counts = none();
  for (const link of links) {
    const access = await readMeterAccess(ctx, link.espm_meter_id);
    const outcome = await applyMeterAccess(ctx, link, access, {
      service: 'NotificationWatcher',
      cause: 'access-read-only',
      lost: 'meter-unshared',
    });
    if (outcome !== 'unchanged') counts[outcome]++;
  }
  return counts;
}
