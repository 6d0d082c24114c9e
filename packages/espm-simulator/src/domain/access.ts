// Who may see or change a property, a meter or its consumption: its owner always (as Read Write),
// the provider only through an accepted share, at the share's level.
import type { AccessLevel } from '../espm.ts';
import { MESSAGES, SimError } from '../errors.ts';
import type { AccountRecord, MeterRecord, PropertyRecord } from '../state/model.ts';
import type { DomainContext } from './context.ts';

export type Need = 'read' | 'write';

export function findProperty(ctx: DomainContext, id: string): PropertyRecord {
  const p = ctx.store.data.properties[id];
  if (!p) throw new SimError(404, MESSAGES.notFound(`Property ${id}`));
  return p;
}

export function findMeter(ctx: DomainContext, id: string): MeterRecord {
  const m = ctx.store.data.meters[id];
  if (!m) throw new SimError(404, MESSAGES.notFound(`Meter ${id}`));
  return m;
}

export function ownerOfMeter(ctx: DomainContext, meter: MeterRecord): string | undefined {
  return ctx.store.data.properties[meter.propertyId]?.accountId;
}

export function propertyAccess(
  ctx: DomainContext,
  caller: AccountRecord,
  property: PropertyRecord,
): AccessLevel | undefined {
  if (property.accountId === caller.id) return 'Read Write';
  const share = ctx.store.data.propertyShares[property.id];
  if (caller.isProvider && share?.status === 'accepted') return share.accessLevel;
  return undefined;
}

export function meterAccess(
  ctx: DomainContext,
  caller: AccountRecord,
  meter: MeterRecord,
): AccessLevel | undefined {
  if (ownerOfMeter(ctx, meter) === caller.id) return 'Read Write';
  const share = ctx.store.data.meterShares[meter.id];
  if (caller.isProvider && share?.status === 'accepted') return share.accessLevel;
  return undefined;
}

/** The caller's level when it meets the need; otherwise ESPM's denial. */
function granted(ctx: DomainContext, level: AccessLevel | undefined, need: Need): AccessLevel {
  if (level === undefined || (need === 'write' && level !== 'Read Write')) throw ctx.denied();
  return level;
}

export function requireProperty(ctx: DomainContext, caller: AccountRecord, id: string, need: Need) {
  const property = findProperty(ctx, id);
  return { property, level: granted(ctx, propertyAccess(ctx, caller, property), need) };
}

export function requireMeter(ctx: DomainContext, caller: AccountRecord, id: string, need: Need) {
  const meter = findMeter(ctx, id);
  return { meter, level: granted(ctx, meterAccess(ctx, caller, meter), need) };
}

/** The customer's own property, for customer-side operations; anyone else is told Access Denied. */
export function ownProperty(ctx: DomainContext, caller: AccountRecord, id: string): PropertyRecord {
  const property = findProperty(ctx, id);
  if (property.accountId !== caller.id) throw new SimError(403, MESSAGES.accessDenied);
  return property;
}

export function ownMeter(ctx: DomainContext, caller: AccountRecord, id: string): MeterRecord {
  const meter = findMeter(ctx, id);
  if (ownerOfMeter(ctx, meter) !== caller.id) throw new SimError(403, MESSAGES.accessDenied);
  return meter;
}

export function isConnected(ctx: DomainContext, accountId: string): boolean {
  return ctx.store.data.connections[accountId]?.status === 'accepted';
}
