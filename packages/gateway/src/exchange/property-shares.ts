// Properties: every pending property share is accepted, connected customer or not (accepting it
// connects the account, EPA's connection guide, Appendix A; the ConnectionManager records the account
// as a contact after the cycle's answers), accounts side by side, as many at once as the ESPM client
// allows; the meters on it are decided one by one by the MeterConnectionManager.
import type { PendingPropertyShare } from '@gaz-espm/espm';
import { errorEvent } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ServiceSummary } from './connections.ts';
import type { ExchangeContext } from './context.ts';
import { PROPERTY_ACCEPTED, noteText } from './notes.ts';
import { workByAccount } from './work-by-account.ts';
import { requestGone } from './request-gone.ts';

export async function acceptPendingPropertyShares(ctx: ExchangeContext): Promise<ServiceSummary> {
  const pending = await ctx.espm.pendingPropertyShares();
  return workByAccount(
    ctx,
    pending,
    (s) => s.accountId,
    (s) => accept(ctx, s),
    { done: 0, failed: 0 },
  );
}

async function accept(ctx: ExchangeContext, share: PendingPropertyShare): Promise<keyof ServiceSummary> {
  try {
    await ctx.espm.answerPropertyShare(share.propertyId, 'Accept', noteText(PROPERTY_ACCEPTED));
  } catch (e) {
    // Already answered (by an earlier run, or with one of its meters): recorded now.
    if (!(await requestGone(ctx, e, { kind: 'property-share', propertyId: share.propertyId }))) {
      await writeLog(ctx.db, {
        service: 'PropertyShareManager',
        subject: share.propertyId,
        event: errorEvent(e),
      });
      return 'failed';
    }
  }
  await recordPropertyShare(ctx.db, share, ctx.now());
  await writeLog(ctx.db, {
    service: 'PropertyShareManager',
    subject: share.propertyId,
    event: { kind: 'accepted' },
  });
  return 'done';
}

/** The customer shared the property with the provider (again): recorded as accepted now. */
async function recordPropertyShare(
  db: Kysely<Database>,
  share: PendingPropertyShare,
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
