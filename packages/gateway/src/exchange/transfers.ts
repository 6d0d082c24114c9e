// A property transferred to another ESPM account (TRANSFERPROPERTY). EPA: the provider "will continue to
// retain uninterrupted access", and the new holder is not connected automatically; if it removes access,
// separate UNSHARE notifications follow (and end the links as any unshare does). So a transfer ends
// nothing: each link of the property keeps sending what its validated billing account is billed, and
// records who holds the property now. The share was proven by that billing account's invoice, not by
// the new holder: when the billing system shows another account on the link's meter after the
// transfer, the link is paused for an operator rather than left to send a new occupant's periods, or
// to stop without anyone knowing why.
import type { Kysely } from 'kysely';
import type { Database, MeterLink } from '../store/schema.ts';
import type { ExchangeContext } from './context.ts';
import { isoDate } from './context.ts';
import { CURRENT_STATUSES, pauseLink, resumeLink } from './link-state.ts';
import { BILLING_ACCOUNT_CHANGED, noteText } from './notes.ts';

/** Records the new holder on the property's current links; returns how many. */
export async function recordTransfer(
  ctx: ExchangeContext,
  n: { property_id: string; account_id: string | null; username: string | null; created_date: string | null },
): Promise<number> {
  const created = n.created_date ? new Date(n.created_date) : undefined;
  const at = created && !Number.isNaN(created.getTime()) ? created : ctx.now();
  const updated = await ctx.db
    .updateTable('meter_link')
    .set({ holder_account_id: n.account_id, holder_username: n.username, transferred_at: at })
    .where('espm_property_id', '=', n.property_id)
    .where('status', 'in', CURRENT_STATUSES)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

type TransferredLink = Pick<
  MeterLink,
  'id' | 'espm_meter_id' | 'meter_number' | 'account_number' | 'transferred_at' | 'billing_account_ack'
>;

/**
 * The other billing account the link's meter is billed to after the transfer (the latest such period's),
 * unless an operator let it pass. Undefined for a link never transferred or a building's link.
 */
export async function otherBillingAccount(
  db: Kysely<Database>,
  link: TransferredLink,
): Promise<string | undefined> {
  if (!link.transferred_at || !link.meter_number || !link.account_number) return undefined;
  let query = db
    .selectFrom('billing_period')
    .select('account_number')
    .where('meter_number', '=', link.meter_number)
    .where('account_number', '<>', link.account_number)
    .where('status', '=', 'billed')
    .where('period_end', '>', isoDate(link.transferred_at));
  if (link.billing_account_ack) query = query.where('account_number', '<>', link.billing_account_ack);
  const row = await query.orderBy('period_end', 'desc').limit(1).executeTakeFirst();
  return row?.account_number;
}

/**
 * Before a transferred link's run: pauses it when another billing account shows on its meter. True
 * when it was paused (nothing is sent).
 */
export async function holdForOtherBillingAccount(
  ctx: ExchangeContext,
  link: TransferredLink,
): Promise<boolean> {
  const other = await otherBillingAccount(ctx.db, link);
  if (!other) return false;
  await pauseLink(ctx.db, link, 'billing-account-changed', {
    service: 'ConsumptionUpdater',
    at: ctx.now(),
    note: noteText(BILLING_ACCOUNT_CHANGED),
    detail: other,
  });
  return true;
}

/**
 * The operator checked the other account (e.g. the same holder under a new contract number) and lets
 * the link send again what its validated account is billed; the other account's periods are never sent
 * on this share. A later third account holds it again. False when the link was not held for billing.
 */
export async function releaseBillingHold(
  ctx: ExchangeContext,
  link: TransferredLink,
  operator: string,
): Promise<boolean> {
  const other = await otherBillingAccount(ctx.db, link);
  return resumeLink(
    ctx.db,
    link,
    { service: 'Operator', at: ctx.now(), operator, ...(other ? { billingAccountAck: other } : {}) },
    ['billing-account-changed'],
  );
}
