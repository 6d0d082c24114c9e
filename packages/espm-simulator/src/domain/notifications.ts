// The provider's notification feed: events where it lost or changed access, or where a property it
// serves changed hands. SHAREUPDATE is worded as in EPA's example (samples/connection-guide-notification-
// shareupdate.xml) and DISCONNECT as in EPA's help article ("You are disconnected from Jane Doe.");
// UNSHARE's and TRANSFERPROPERTY's texts are not published (API.md §12): those sentences are ours.
import type { AccessLevel, Notification } from '../espm.ts';
import type { AccountRecord, MeterRecord, NotificationRecord, PropertyRecord } from '../state/model.ts';
import type { DomainContext } from './context.ts';

function add(
  ctx: DomainContext,
  customer: AccountRecord,
  n: Omit<Notification, 'notificationId' | 'username'>,
): void {
  const { store } = ctx;
  const record: NotificationRecord = {
    ...n,
    notificationId: store.nextId('notification'),
    accountId: customer.id,
    username: customer.username,
    notificationCreatedDate: store.timestamp(),
    notificationCreatedBy: customer.username,
    notificationCreatedByAccountId: customer.id,
    read: false,
  };
  store.data.notifications.push(record);
}

const propertyLabel = (p: PropertyRecord): string => `property "${p.info.name ?? p.id}" (${p.id})`;
const meterLabel = (m: MeterRecord): string => `meter "${m.meter.name}" (${m.id})`;

export function notifyPropertyUnshared(ctx: DomainContext, customer: AccountRecord, p: PropertyRecord): void {
  add(ctx, customer, {
    notificationTypeCode: 'UNSHARE',
    description: `${customer.username} removed your access to ${propertyLabel(p)}.`,
    propertyId: p.id,
  });
}

export function notifyMeterUnshared(
  ctx: DomainContext,
  customer: AccountRecord,
  p: PropertyRecord,
  m: MeterRecord,
): void {
  add(ctx, customer, {
    notificationTypeCode: 'UNSHARE',
    description: `${customer.username} removed your access to ${meterLabel(m)} on ${propertyLabel(p)}.`,
    propertyId: p.id,
    meterId: m.id,
  });
}

/** ESPM's words for a level in SHAREUPDATE ("Read Only" is EPA's; "Read Write" is the XML's own). */
const LEVEL_WORDS: Record<AccessLevel, string> = { Read: 'Read Only', 'Read Write': 'Read Write' };

/** "Electric Grid Meter - Access level revised to Read Only by Customer John.", as EPA shows it. */
export function notifyShareUpdated(
  ctx: DomainContext,
  customer: AccountRecord,
  p: PropertyRecord,
  m: MeterRecord | undefined,
  to: AccessLevel,
): void {
  const what = m ? m.meter.name : (p.info.name ?? p.id);
  const who = customer.contact.firstName || customer.username;
  add(ctx, customer, {
    notificationTypeCode: 'SHAREUPDATE',
    description: `${what} - Access level revised to ${LEVEL_WORDS[to]} by Customer ${who}.`,
    propertyId: p.id,
    ...(m ? { meterId: m.id } : {}),
  });
}

/**
 * EPA: "only the accountId associated with the termination of the share will be listed" (no property,
 * no meter); separate UNSHARE notifications follow for what was shared.
 */
export function notifyDisconnected(ctx: DomainContext, customer: AccountRecord): void {
  const name = `${customer.contact.firstName} ${customer.contact.lastName}`.trim() || customer.username;
  add(ctx, customer, {
    notificationTypeCode: 'DISCONNECT',
    description: `You are disconnected from ${name}.`,
  });
}

/**
 * EPA (connection guide, Appendix C): the notification "includes the ID of the property that was
 * transferred and the account ID and username of the new PDA"; the provider keeps its access.
 */
export function notifyPropertyTransferred(
  ctx: DomainContext,
  newHolder: AccountRecord,
  p: PropertyRecord,
): void {
  add(ctx, newHolder, {
    notificationTypeCode: 'TRANSFERPROPERTY',
    description: `${propertyLabel(p)} has been transferred to ${newHolder.username}.`,
    propertyId: p.id,
  });
}

/** The unread notifications, oldest first; with clear they are marked read and never listed again. */
export function takeNotifications(ctx: DomainContext, clear: boolean): Notification[] {
  const unread = ctx.store.data.notifications.filter((n) => !n.read);
  if (clear && unread.length) {
    for (const n of unread) n.read = true;
    ctx.store.touch();
  }
  return unread.map(({ read: _read, ...n }) => n);
}
