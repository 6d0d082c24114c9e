// Properties: every pending property share is accepted, connected customer or not (accepting it
// connects the account, EPA's connection guide, Appendix A; the ConnectionManager records the account
// as a contact after the cycle's answers), accounts side by side, as many at once as the ESPM client
// allows; the meters on it are decided one by one by the MeterConnectionManager.
import type { PendingPropertyShare } from '@gaz-espm/espm';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { acceptPending } from './accept-pending.ts';
import type { ServiceSummary } from './accept-pending.ts';
import type { ExchangeContext } from './context.ts';
import { PROPERTY_ACCEPTED, noteText } from './notes.ts';

export async function acceptPendingPropertyShares(ctx: ExchangeContext): Promise<ServiceSummary> {
  return acceptPending(ctx, await ctx.espm.pendingPropertyShares(), {
    service: 'PropertyShareManager',
    accountOf: (s) => s.accountId,
    subjectOf: (s) => s.propertyId,
    answer: (s) => ctx.espm.answerPropertyShare(s.propertyId, 'Accept', noteText(PROPERTY_ACCEPTED)),
    // Already answered by an earlier run, or with one of its meters: recorded now.
    pending: (s) => ({ kind: 'property-share', propertyId: s.propertyId }),
    record: (s) => recordPropertyShare(ctx.db, s, ctx.now()),
  });
}

/**
 * The customer shared the property with the provider (again), itself or through one of its meters:
 * recorded as accepted now.
 */
export async function recordPropertyShare(
  db: Kysely<Database>,
  share: Pick<PendingPropertyShare, 'propertyId' | 'accountId' | 'propertyInfo'>,
  at: Date,
): Promise<void> {
  const address = share.propertyInfo.address;
  const values = {
    account_id: share.accountId,
    name: share.propertyInfo.name ?? null,
    address: address
      ? [address.address1, address.city, address.state, address.postalCode].filter(Boolean).join(', ')
      : null,
    share_status: 'accepted' as const,
    accepted_at: at,
    revoked_at: null,
  };
  await db
    .insertInto('espm_property')
    .values({ property_id: share.propertyId, ...values })
    .onConflict((oc) => oc.column('property_id').doUpdateSet(values))
    .execute();
}

/** The property's share ended (unshared, or transferred to another account). */
export async function propertyGone(db: Kysely<Database>, propertyId: string, at: Date): Promise<void> {
  await db
    .updateTable('espm_property')
    .set({ share_status: 'revoked', revoked_at: at })
    .where('property_id', '=', propertyId)
    .execute();
}
