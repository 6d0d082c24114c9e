// A property's transfer to another account (EPA help articles 211695607, 211695477; connection guide,
// Appendix C). The provider "will continue to retain uninterrupted access": its shares of the property
// and of its meters stay as they are, now held by the new account, and it is told by a TRANSFERPROPERTY
// notification. The new holder is not connected to the provider: it may send a connection request of
// its own, or remove the provider's access, which ends the shares with UNSHARE notifications.
import { MESSAGES, SimError } from '../errors.ts';
import type { AccountRecord, ShareRecord } from '../state/model.ts';
import { ownProperty } from './access.ts';
import { findAccountByUsername, metersOfProperty } from './accounts.ts';
import type { DomainContext } from './context.ts';
import { notifyPropertyTransferred } from './notifications.ts';
import { removeAllAccessToProperty } from './removals.ts';

export interface TransferOptions {
  /** Appendix C's third choice: the new holder accepts the transfer but removes the provider's access. */
  removeProviderAccess?: boolean;
}

export function transferProperty(
  ctx: DomainContext,
  caller: AccountRecord,
  propertyId: string,
  toUsername: string,
  options: TransferOptions = {},
): void {
  const property = ownProperty(ctx, caller, propertyId);
  const to = findAccountByUsername(ctx, toUsername);
  if (!to || to.isProvider) throw new SimError(404, MESSAGES.notFound(`Account ${toUsername}`));
  if (to.id === caller.id) throw new SimError(400, 'The property already belongs to this account.');
  property.accountId = to.id;
  const { data } = ctx.store;
  const shares = [
    data.propertyShares[property.id],
    ...metersOfProperty(ctx, property.id).map((m) => data.meterShares[m.id]),
  ];
  const live = shares.filter((s): s is ShareRecord => s?.status === 'pending' || s?.status === 'accepted');
  for (const share of live) share.accountId = to.id;
  if (live.some((s) => s.status === 'accepted')) notifyPropertyTransferred(ctx, to, property);
  ctx.store.touch();
  if (options.removeProviderAccess) removeAllAccessToProperty(ctx, to, property.id);
}
