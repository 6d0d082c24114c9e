// The ESPM customers connected to the provider ("Contacts ESPM"): the only writer of espm_customer.
import type { AccountInfo } from '@gaz-espm/espm';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ExchangeContext } from './context.ts';

/** A connection accepted (or found accepted): the customer as ESPM describes them, connected now. */
export async function recordCustomer(
  db: Kysely<Database>,
  customer: { accountId: string; username: string; info: AccountInfo | undefined },
  at: Date,
): Promise<void> {
  const { info } = customer;
  const values = {
    username: customer.username,
    first_name: info?.firstName ?? '',
    last_name: info?.lastName ?? '',
    email: info?.email ?? '',
    organization: info?.organization ?? null,
    phone: info?.phone ?? null,
  };
  await db
    .insertInto('espm_customer')
    .values({ account_id: customer.accountId, ...values, connection_status: 'connected', connected_at: at })
    .onConflict((oc) =>
      oc
        .column('account_id')
        .doUpdateSet({ ...values, connection_status: 'connected', connected_at: at, disconnected_at: null }),
    )
    .execute();
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
  await recordCustomer(
    ctx.db,
    { accountId, username: customer.username ?? username ?? '', info: customer.accountInfo },
    ctx.now(),
  );
}

/** The customer disconnected from the provider in ESPM. */
export async function customerDisconnected(db: Kysely<Database>, accountId: string, at: Date): Promise<void> {
  await db
    .updateTable('espm_customer')
    .set({ connection_status: 'disconnected', disconnected_at: at })
    .where('account_id', '=', accountId)
    .execute();
}

/** Failures before `at` stop counting towards the account's lockout; false for an unknown account. */
export async function clearLockout(db: Kysely<Database>, accountId: string, at: Date): Promise<boolean> {
  const updated = await db
    .updateTable('espm_customer')
    .set({ lockout_cleared_at: at })
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}
