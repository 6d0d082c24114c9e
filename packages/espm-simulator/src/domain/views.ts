// The simulator's records as the ESPM documents show them to a caller.
import type {
  AccessLevel,
  AccountInfo,
  Customer,
  Meter,
  PendingConnection,
  PendingMeterShare,
  PendingPropertyShare,
  PropertyInfo,
} from '../espm.ts';
import type {
  AccountRecord,
  ConnectionRecord,
  MeterRecord,
  PropertyRecord,
  ShareRecord,
} from '../state/model.ts';
import type { DomainContext } from './context.ts';
import { valuesFor } from './custom-fields.ts';

export function accountInfoOf(a: AccountRecord): AccountInfo {
  return { ...structuredClone(a.contact), organization: a.organization };
}

export function customerOf(a: AccountRecord): Customer {
  return { username: a.username, languagePreference: a.languagePreference, accountInfo: accountInfoOf(a) };
}

export function propertyInfoOf(p: PropertyRecord, accessLevel?: AccessLevel): PropertyInfo {
  return { ...structuredClone(p.info), ...(accessLevel ? { accessLevel } : {}), audit: { ...p.audit } };
}

export function meterOf(m: MeterRecord, accessLevel?: AccessLevel): Meter {
  return {
    id: m.id,
    ...structuredClone(m.meter),
    ...(accessLevel ? { accessLevel } : {}),
    audit: { ...m.audit },
  };
}

export function pendingConnectionOf(ctx: DomainContext, c: ConnectionRecord): PendingConnection {
  const account = ctx.store.data.accounts[c.accountId]!;
  return {
    accountId: account.id,
    username: account.username,
    customFields: valuesFor(ctx, 'account', account.id),
    accountInfo: accountInfoOf(account),
    connectionAudit: { ...c.audit },
  };
}

export function pendingPropertyShareOf(ctx: DomainContext, s: ShareRecord): PendingPropertyShare {
  const sender = ctx.store.data.accounts[s.accountId]!;
  const property = ctx.store.data.properties[s.resourceId]!;
  return {
    propertyId: property.id,
    customFields: valuesFor(ctx, 'property', property.id),
    accessLevel: s.accessLevel,
    accountId: sender.id,
    username: sender.username,
    propertyInfo: propertyInfoOf(property),
    shareAudit: { ...s.audit },
  };
}

export function pendingMeterShareOf(ctx: DomainContext, s: ShareRecord): PendingMeterShare {
  const sender = ctx.store.data.accounts[s.accountId]!;
  const meter = ctx.store.data.meters[s.resourceId]!;
  const property = ctx.store.data.properties[meter.propertyId]!;
  return {
    meterId: meter.id,
    propertyId: property.id,
    accountId: sender.id,
    username: sender.username,
    customFields: valuesFor(ctx, 'meter', meter.id),
    accessLevel: s.accessLevel,
    propertyInfo: propertyInfoOf(property),
    meterInfo: pendingMeterInfoOf(meter),
    shareAudit: { ...s.audit },
  };
}

/**
 * The meter as a pending share shows it: without aggregateMeter, which EPA shows only on GET /meter and
 * GET /meter/{id}/aggregateMeter, once the share is accepted (none of its pending-list examples has it).
 */
function pendingMeterInfoOf(m: MeterRecord): Meter {
  const { aggregateMeter: _aggregate, ...meter } = meterOf(m);
  return meter;
}
