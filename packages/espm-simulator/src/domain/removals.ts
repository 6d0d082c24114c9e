// Ending access. The customer has the guide's four ways (plus disconnecting and lowering a level);
// each ends shares the provider held and tells it through notifications. The provider can give up a
// share or disconnect too; it is not notified of its own acts.
import type { AccessLevel } from '../espm.ts';
import { MESSAGES, SimError } from '../errors.ts';
import type { AccountRecord, PropertyRecord, ShareRecord } from '../state/model.ts';
import { ownMeter, ownProperty } from './access.ts';
import { metersOfProperty, propertiesOfAccount } from './accounts.ts';
import type { DomainContext } from './context.ts';
import { checkRecipient, sendShare } from './invitations.ts';
import { notifyDisconnected, notifyMeterUnshared, notifyPropertyUnshared } from './notifications.ts';

const isLive = (s: ShareRecord | undefined): s is ShareRecord =>
  s?.status === 'pending' || s?.status === 'accepted';

/** Ends one share; a pending one is withdrawn quietly, an accepted one by the customer notifies. */
function endShare(ctx: DomainContext, share: ShareRecord, by: 'customer' | 'provider'): boolean {
  if (!isLive(share)) return false;
  const wasAccepted = share.status === 'accepted';
  share.status = 'removed';
  share.removedDate = ctx.store.timestamp();
  share.removedBy = by;
  if (by === 'customer' && wasAccepted) {
    const customer = ctx.store.data.accounts[share.accountId]!;
    const property = ctx.store.data.properties[share.propertyId]!;
    if (share.kind === 'property') notifyPropertyUnshared(ctx, customer, property);
    else notifyMeterUnshared(ctx, customer, property, ctx.store.data.meters[share.resourceId]!);
  }
  return true;
}

function endPropertyAndMeters(
  ctx: DomainContext,
  property: PropertyRecord,
  by: 'customer' | 'provider',
): number {
  let ended = 0;
  const share = ctx.store.data.propertyShares[property.id];
  if (share && endShare(ctx, share, by)) ended++;
  for (const meter of metersOfProperty(ctx, property.id)) {
    const m = ctx.store.data.meterShares[meter.id];
    if (m && endShare(ctx, m, by)) ended++;
  }
  return ended;
}

function endAllOf(ctx: DomainContext, accountId: string, by: 'customer' | 'provider'): number {
  return propertiesOfAccount(ctx, accountId).reduce((n, p) => n + endPropertyAndMeters(ctx, p, by), 0);
}

/** The customer's ways of removing access answer how many shares ended, once the change is saved. */
function saved(ctx: DomainContext, ended: number): number {
  ctx.store.touch();
  return ended;
}

/** Way 1: "Retirer l'accès à mes propriétés pour ce contact". The connection stays. */
export function removeContactFromAllProperties(
  ctx: DomainContext,
  caller: AccountRecord,
  providerId: string,
): number {
  checkRecipient(ctx, caller, providerId);
  return saved(ctx, endAllOf(ctx, caller.id, 'customer'));
}

/** Way 2: "Retirer tout accès à cette propriété" (every contact; the simulator has one provider). */
export function removeAllAccessToProperty(
  ctx: DomainContext,
  caller: AccountRecord,
  propertyId: string,
): number {
  return saved(ctx, endPropertyAndMeters(ctx, ownProperty(ctx, caller, propertyId), 'customer'));
}

/** Way 3: "Retirer l'accès à cette propriété pour ce contact". */
export function removeProviderFromProperty(
  ctx: DomainContext,
  caller: AccountRecord,
  propertyId: string,
  providerId: string,
): number {
  checkRecipient(ctx, caller, providerId);
  return removeAllAccessToProperty(ctx, caller, propertyId);
}

/** Way 4: the meter set to "Aucun accès". */
export function setMeterNoAccess(ctx: DomainContext, caller: AccountRecord, meterId: string): number {
  ownMeter(ctx, caller, meterId);
  const share = ctx.store.data.meterShares[meterId];
  return saved(ctx, share && endShare(ctx, share, 'customer') ? 1 : 0);
}

/** Lowers or raises the level of a live share; an accepted one tells the provider (SHAREUPDATE). */
export function changeShareLevel(
  ctx: DomainContext,
  caller: AccountRecord,
  kind: 'property' | 'meter',
  id: string,
  level: AccessLevel,
): ShareRecord {
  const shares = kind === 'property' ? ctx.store.data.propertyShares : ctx.store.data.meterShares;
  if (kind === 'property') ownProperty(ctx, caller, id);
  else ownMeter(ctx, caller, id);
  if (!isLive(shares[id])) throw new SimError(400, `This ${kind} is not shared with the provider.`);
  return sendShare(ctx, caller, kind, id, ctx.store.data.providerAccountId, level);
}

/** The customer removes the provider from its contacts: DISCONNECT, then every share ends. */
export function disconnectByCustomer(ctx: DomainContext, caller: AccountRecord, providerId: string): void {
  checkRecipient(ctx, caller, providerId);
  const c = ctx.store.data.connections[caller.id];
  if (c?.status !== 'accepted' && c?.status !== 'pending') throw new SimError(400, MESSAGES.notConnected);
  if (c.status === 'accepted') notifyDisconnected(ctx, caller);
  c.status = 'disconnected';
  c.endedDate = ctx.store.timestamp();
  c.endedBy = 'customer';
  endAllOf(ctx, caller.id, 'customer');
  ctx.store.touch();
}

export function disconnectByProvider(
  ctx: DomainContext,
  accountId: string,
  keepShares: boolean,
  note?: string,
): void {
  const c = ctx.store.data.connections[accountId];
  if (c?.status !== 'accepted') throw new SimError(400, MESSAGES.notConnected);
  c.status = 'disconnected';
  c.endedDate = ctx.store.timestamp();
  c.endedBy = 'provider';
  if (note) c.endNote = note;
  if (!keepShares) endAllOf(ctx, accountId, 'provider');
  ctx.store.touch();
}

/** The provider gives up an accepted share; its other shares (e.g. the property's meters) stay. */
export function unshareByProvider(ctx: DomainContext, kind: 'property' | 'meter', id: string): void {
  const exists = kind === 'property' ? ctx.store.data.properties[id] : ctx.store.data.meters[id];
  if (!exists)
    throw new SimError(404, MESSAGES.notFound(`${kind === 'property' ? 'Property' : 'Meter'} ${id}`));
  const share = (kind === 'property' ? ctx.store.data.propertyShares : ctx.store.data.meterShares)[id];
  if (share?.status !== 'accepted') throw ctx.denied();
  endShare(ctx, share, 'provider');
  ctx.store.touch();
}
