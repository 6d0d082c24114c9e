// NotificationWatcher: reads ESPM's notifications without losing any (each is stored before ESPM is
// told to clear it), then stops sending wherever the customer removed access.
import type { Notification } from '@gaz-espm/espm';
import { isEspmError } from '@gaz-espm/espm';
import { writeLog } from '../log/gateway-log.ts';
import type { ExchangeContext } from './context.ts';
import { customerDisconnected } from './contacts.ts';
import type { RevocationReason } from './link-state.ts';
import { CURRENT_STATUSES, revokeLink } from './link-state.ts';
import { propertyGone } from './property-shares.ts';

export interface NotificationSummary {
  received: number;
  handled: number;
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
  return { received, handled };
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
    const revoked = await applyNotification(ctx, n);
    await ctx.db
      .updateTable('espm_notification')
      .set({ handled_at: ctx.now() })
      .where('notification_id', '=', n.notification_id)
      .execute();
    await writeLog(ctx.db, {
      service: 'NotificationWatcher',
      subject: n.meter_id ?? n.property_id ?? n.account_id ?? n.notification_id,
      event: { kind: 'notification', type: n.type_code, linksRevoked: revoked },
    });
  }
  return todo.length;
}

type StoredNotification = {
  type_code: string;
  account_id: string | null;
  property_id: string | null;
  meter_id: string | null;
};

async function applyNotification(ctx: ExchangeContext, n: StoredNotification): Promise<number> {
  switch (n.type_code) {
    case 'UNSHARE':
      if (n.meter_id) return revokeWhere(ctx, 'espm_meter_id', n.meter_id, 'meter-unshared');
      if (n.property_id) {
        await propertyGone(ctx.db, n.property_id, ctx.now());
        return revokeWhere(ctx, 'espm_property_id', n.property_id, 'property-unshared');
      }
      return 0;
    case 'DISCONNECT':
      if (!n.account_id) return 0;
      await customerDisconnected(ctx.db, n.account_id, ctx.now());
      return revokeWhere(ctx, 'espm_account_id', n.account_id, 'customer-disconnected');
    case 'TRANSFERPROPERTY':
      if (!n.property_id) return 0;
      await propertyGone(ctx.db, n.property_id, ctx.now());
      return revokeWhere(ctx, 'espm_property_id', n.property_id, 'property-transferred');
    case 'SHAREUPDATE':
      return n.meter_id ? checkAccessLevel(ctx, n.meter_id) : 0;
    default:
      return 0; // unknown codes are kept in the store and the log for an operator to read
  }
}

async function revokeWhere(
  ctx: ExchangeContext,
  column: 'espm_meter_id' | 'espm_property_id' | 'espm_account_id',
  value: string,
  reason: RevocationReason,
): Promise<number> {
  const links = await ctx.db
    .selectFrom('meter_link')
    .select('id')
    .where(column, '=', value)
    .where('status', 'in', CURRENT_STATUSES)
    .execute();
  let count = 0;
  for (const l of links) {
    if (await revokeLink(ctx.db, l.id, reason, { service: 'NotificationWatcher', at: ctx.now() })) count++;
  }
  return count;
}

/** The customer changed the meter's access: without Read Write nothing can be sent any more. */
async function checkAccessLevel(ctx: ExchangeContext, meterId: string): Promise<number> {
  try {
    const meter = await ctx.espm.getMeter(meterId);
    if (meter.accessLevel === 'Read Write') return 0;
    return revokeWhere(ctx, 'espm_meter_id', meterId, 'access-downgraded');
  } catch (e) {
    if (isEspmError(e, 'access-lost')) return revokeWhere(ctx, 'espm_meter_id', meterId, 'meter-unshared');
    throw e;
  }
}
