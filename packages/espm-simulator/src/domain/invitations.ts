// The customer's side of a data exchange: asking to connect, sharing properties and meters, and
// answering the provider's custom fields (the paths ESPM removed from wstest in Dec 2024, API.md §9).
import type { AccessLevel, CustomFieldValue } from '../espm.ts';
import { MESSAGES, SimError } from '../errors.ts';
import type { AccountRecord, CustomFieldLevel, ShareRecord } from '../state/model.ts';
import { ownMeter, ownProperty } from './access.ts';
import { newAudit } from './audit.ts';
import type { DomainContext } from './context.ts';
import { setValues } from './custom-fields.ts';
import { notifyShareUpdated } from './notifications.ts';

/** The customer addresses the provider by account id, as in ESPM; any other id is refused. */
export function checkRecipient(ctx: DomainContext, caller: AccountRecord, providerId: string): void {
  if (caller.isProvider) throw new SimError(403, 'The provider account cannot send requests to itself.');
  if (providerId !== ctx.store.data.providerAccountId) {
    throw new SimError(
      ctx.store.data.accounts[providerId] ? 400 : 404,
      ctx.store.data.accounts[providerId]
        ? `Account ${providerId} is not a web services provider.`
        : MESSAGES.notFound(`Account ${providerId}`),
    );
  }
}

export function sendConnectionRequest(ctx: DomainContext, caller: AccountRecord, providerId: string): void {
  checkRecipient(ctx, caller, providerId);
  const { store } = ctx;
  const current = store.data.connections[caller.id];
  if (current?.status === 'pending') {
    throw new SimError(400, 'A connection request to this account is already pending.');
  }
  if (current?.status === 'accepted') throw new SimError(400, 'You are already connected to this account.');
  const now = store.timestamp();
  store.data.connections[caller.id] = {
    accountId: caller.id,
    status: 'pending',
    audit: newAudit(caller, now),
  };
  store.touch();
}

/** READ / READ_WRITE, the query values of the old invite paths, to ESPM's access levels. */
export function accessLevelOfQuery(value: string | undefined): AccessLevel {
  if (value === 'READ' || value === 'Read') return 'Read';
  if (value === 'READ_WRITE' || value === 'Read Write' || value === undefined) return 'Read Write';
  throw new SimError(400, `accessLevel must be READ or READ_WRITE, not "${value}".`);
}

/**
 * Shares a property or a meter, connected or not. EPA's connection guide, Appendix A (and the help
 * article on share forward): an account that is not connected sends its connection request with its
 * shares, listed beside them until the provider answers one (accepting a share accepts the connection,
 * see answers.ts). Part 4: a meter shared without its property marks the property "read-only", so the
 * provider gets a Read property share with it. Sending again for a pending share changes its level; for
 * an accepted share it changes the level at once (the provider gets SHAREUPDATE); a rejected or removed
 * share becomes a new pending request.
 */
export function sendShare(
  ctx: DomainContext,
  caller: AccountRecord,
  kind: 'property' | 'meter',
  resourceId: string,
  providerId: string,
  accessLevel: AccessLevel,
): ShareRecord {
  checkRecipient(ctx, caller, providerId);
  const { store } = ctx;
  let propertyId: string;
  if (kind === 'meter') {
    const meter = ownMeter(ctx, caller, resourceId);
    propertyId = meter.propertyId;
    const supported = store.data.settings.supportedMeterTypes;
    if (!supported.includes(meter.meter.type)) {
      throw new SimError(400, `This provider does not exchange data for "${meter.meter.type}" meters.`);
    }
  } else {
    propertyId = ownProperty(ctx, caller, resourceId).id;
  }
  const shares = kind === 'meter' ? store.data.meterShares : store.data.propertyShares;
  const now = store.timestamp();
  const existing = shares[resourceId];
  if (existing && (existing.status === 'pending' || existing.status === 'accepted')) {
    const before = existing.accessLevel;
    existing.accessLevel = accessLevel;
    existing.audit = {
      ...existing.audit,
      lastUpdatedBy: caller.username,
      lastUpdatedByAccountId: caller.id,
      lastUpdatedDate: now,
    };
    if (existing.status === 'accepted' && before !== accessLevel) {
      const property = store.data.properties[propertyId]!;
      const meter = kind === 'meter' ? store.data.meters[resourceId] : undefined;
      notifyShareUpdated(ctx, caller, property, meter, accessLevel);
    }
    store.touch();
    return existing;
  }
  const audit = newAudit(caller, now);
  const share: ShareRecord = {
    kind,
    resourceId,
    propertyId,
    accountId: caller.id,
    accessLevel,
    status: 'pending',
    audit,
  };
  shares[resourceId] = share;
  const propertyShare = store.data.propertyShares[propertyId];
  if (kind === 'meter' && propertyShare?.status !== 'pending' && propertyShare?.status !== 'accepted') {
    store.data.propertyShares[propertyId] = {
      ...share,
      kind: 'property',
      resourceId: propertyId,
      accessLevel: 'Read',
    };
  }
  const connection = store.data.connections[caller.id];
  if (connection?.status !== 'pending' && connection?.status !== 'accepted') {
    store.data.connections[caller.id] = { accountId: caller.id, status: 'pending', audit: { ...audit } };
  }
  store.touch();
  return share;
}

export function answerCustomFields(
  ctx: DomainContext,
  caller: AccountRecord,
  level: CustomFieldLevel,
  id: string,
  providerId: string,
  values: CustomFieldValue[],
): void {
  checkRecipient(ctx, caller, providerId);
  if (level === 'property') ownProperty(ctx, caller, id);
  if (level === 'meter') ownMeter(ctx, caller, id);
  setValues(ctx, level, level === 'account' ? caller.id : id, values);
}
