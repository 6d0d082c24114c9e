// Properties: every pending property share from a connected customer is accepted; the meters on it
// are decided one by one by the MeterConnectionManager.
import { isEspmError } from '@gaz-espm/espm';
import { writeLog } from '../log/gateway-log.ts';
import type { ServiceSummary } from './connections.ts';
import { recordCustomer } from './connections.ts';
import type { ExchangeContext } from './context.ts';
import { PROPERTY_ACCEPTED, noteText } from './notes.ts';

export async function acceptPendingPropertyShares(ctx: ExchangeContext): Promise<ServiceSummary> {
  const pending = await ctx.espm.pendingPropertyShares();
  const summary: ServiceSummary = { done: 0, failed: 0 };
  for (const share of pending) {
    try {
      await ensureCustomer(ctx, share.accountId, share.username);
      await ctx.espm.answerPropertyShare(share.propertyId, 'Accept', noteText(PROPERTY_ACCEPTED));
    } catch (e) {
      if (!(isEspmError(e) && e.isRequestGone)) {
        summary.failed++;
        await writeLog(ctx.db, {
          service: 'PropertyShareManager',
          subject: share.propertyId,
          outcome: 'failed',
          status: 'error',
          details: (e as Error).message,
        });
        continue;
      }
    }
    const now = ctx.now();
    const address = share.propertyInfo.address;
    const values = {
      account_id: share.accountId,
      name: share.propertyInfo.name ?? null,
      address: address
        ? [address.address1, address.city, address.state, address.postalCode].filter(Boolean).join(', ')
        : null,
      share_status: 'accepted' as const,
      accepted_at: now,
      revoked_at: null,
    };
    await ctx.db
      .insertInto('espm_property')
      .values({ property_id: share.propertyId, ...values })
      .onConflict((oc) => oc.column('property_id').doUpdateSet(values))
      .execute();
    summary.done++;
    await writeLog(ctx.db, {
      service: 'PropertyShareManager',
      subject: share.propertyId,
      outcome: 'accepted',
    });
  }
  return summary;
}

/** A customer connected before the gateway ran (or by hand in ESPM) is recorded when first seen. */
export async function ensureCustomer(
  ctx: ExchangeContext,
  accountId: string,
  username: string | undefined,
): Promise<void> {
  const known = await ctx.db
    .selectFrom('espm_customer')
    .select('account_id')
    .where('account_id', '=', accountId)
    .where('connection_status', '=', 'connected')
    .executeTakeFirst();
  if (known) return;
  const customer = await ctx.espm.getCustomer(accountId);
  await recordCustomer(ctx, accountId, customer.username ?? username ?? '', customer.accountInfo);
}
