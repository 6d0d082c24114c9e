// The helpdesk's billing lookup: what the billing system holds for one account number, and every ESPM
// share that names the account (or one of its meters or invoices), so that an agent on the phone can
// tell a customer which numbers to type.
import { normaliseAnswer } from '../../exchange/custom-fields.ts';
import { previousInvoiceAcceptedUntil } from '../../exchange/share-rules.ts';
import { isSuperseded } from '../../exchange/superseded.ts';
import type { Db } from './paging.ts';
import { decidedShares } from './shares.ts';
import { sql } from 'kysely';

/** How many of the account's latest billed periods, and of the shares naming it, are shown. */
const RECENT_PERIODS = 12;
const SHARES = 50;

/** An account number as a customer reads it out (spaces, hyphens), as the billing system stores it. */
export function accountNumberOf(typed: string): string {
  return normaliseAnswer(typed);
}

/** What the agent typed turned out to be: the account itself, or a number or username leading to it. */
export type FoundBy = 'account' | 'invoice' | 'meter' | 'username';

/**
 * The billing account an agent's entry names: an account number, else an invoice number, a meter
 * number (its latest period's account) or the ESPM username of a share (its latest share's account).
 * Each read is by an index (primary keys, billing_period_by_account, meter_link's username index).
 */
export async function findAccount(
  db: Db,
  typed: string,
): Promise<{ accountNumber: string; foundBy: FoundBy } | undefined> {
  const number = accountNumberOf(typed);
  if (number) {
    /** The account of the latest period billed under the number as `column`. */
    const latestBilledAs = (column: 'account_number' | 'meter_number') =>
      db
        .selectFrom('billing_period')
        .select('account_number')
        .where(column, '=', number)
        .orderBy('period_start', 'desc')
        .limit(1)
        .executeTakeFirst();
    if (await latestBilledAs('account_number')) return { accountNumber: number, foundBy: 'account' };
    const invoice = await db
      .selectFrom('billing_invoice')
      .select('account_number')
      .where('invoice_number', '=', number)
      .executeTakeFirst();
    if (invoice) return { accountNumber: invoice.account_number, foundBy: 'invoice' };
    const meter = await latestBilledAs('meter_number');
    if (meter) return { accountNumber: meter.account_number, foundBy: 'meter' };
  }
  const username = typed.trim().toLowerCase();
  if (!username) return undefined;
  const share = await db
    .selectFrom('meter_link')
    .select('account_number')
    .where(sql<string>`lower(espm_username)`, '=', username)
    .where('account_number', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return share?.account_number ? { accountNumber: share.account_number, foundBy: 'username' } : undefined;
}

/** The billing account a share named (what the customer typed), for the links from shares and rejections. */
export async function accountOfShare(db: Db, linkId: number): Promise<string | undefined> {
  const link = await db
    .selectFrom('meter_link')
    .select(['account_number', 'meter_number'])
    .where('id', '=', linkId)
    .executeTakeFirst();
  if (!link) return undefined;
  if (link.account_number) return link.account_number;
  return link.meter_number ? (await findAccount(db, link.meter_number))?.accountNumber : undefined;
}

/** Whether what a caller reads out matches the account's latest invoice (or previous, while taken) and a meter. */
export interface ProofCheck {
  invoice?: boolean | undefined;
  meter?: boolean | undefined;
}

export async function billingAccount(db: Db, accountNumber: string) {
  const [invoices, meters, periods] = await Promise.all([
    // The share rules' order (exchange/billing-facts.ts): the latest invoice first.
    db
      .selectFrom('billing_invoice')
      .select(['invoice_number', 'invoice_date'])
      .where('account_number', '=', accountNumber)
      .orderBy('invoice_date', 'desc')
      .orderBy('invoice_number', 'desc')
      .limit(2)
      .execute(),
    db
      .selectFrom('billing_period')
      .select([
        'meter_number',
        (eb) => eb.fn.min('period_start').as('first_start'),
        (eb) => eb.fn.max('period_end').as('last_end'),
        (eb) => eb.fn.countAll<number>().as('periods'),
      ])
      .where('account_number', '=', accountNumber)
      .groupBy('meter_number')
      .orderBy('meter_number')
      .execute(),
    db
      .selectFrom('billing_period')
      .select([
        'meter_number',
        'period_start',
        'period_end',
        'volume_m3',
        'estimated',
        'invoice_number',
        'status',
      ])
      .where('account_number', '=', accountNumber)
      .orderBy('period_end', 'desc')
      .orderBy('meter_number')
      .limit(RECENT_PERIODS)
      .execute(),
  ]);
  const meterNumbers = meters.map((m) => m.meter_number);
  const invoiceNumbers = invoices.map((i) => i.invoice_number);
  const shares = await decidedShares(db)
    .select(['l.account_number', isSuperseded('l').as('superseded')])
    .where((eb) =>
      eb.or([
        eb('l.account_number', '=', accountNumber),
        ...(meterNumbers.length ? [eb('l.meter_number', 'in', meterNumbers)] : []),
        ...(invoiceNumbers.length ? [eb('l.invoice_number', 'in', invoiceNumbers)] : []),
      ]),
    )
    .orderBy('l.id', 'desc')
    .limit(SHARES)
    .execute();
  return {
    accountNumber,
    latestInvoice: invoices[0],
    previousInvoice: invoices[1],
    meters: meters.map((m) => ({
      meterNumber: m.meter_number,
      firstStart: m.first_start as string,
      lastEnd: m.last_end as string,
      periods: Number(m.periods),
    })),
    periods,
    shares,
  };
}

type Account = Awaited<ReturnType<typeof billingAccount>>;

/**
 * Checks what a caller reads out against the account, as the share rules would take it: the latest
 * invoice (or the previous one while it is still accepted) and any of the account's meters.
 */
export function checkProof(
  account: Account,
  readOut: { invoice: string; meter: string },
  today: string,
): ProofCheck {
  const invoice = normaliseAnswer(readOut.invoice);
  const meter = normaliseAnswer(readOut.meter);
  const latest = account.latestInvoice;
  const previous = account.previousInvoice;
  const acceptedInvoices = [
    latest?.invoice_number,
    latest && previous && today <= previousInvoiceAcceptedUntil(latest.invoice_date)
      ? previous.invoice_number
      : undefined,
  ];
  return {
    invoice: invoice ? acceptedInvoices.includes(invoice) : undefined,
    meter: meter ? account.meters.some((m) => m.meterNumber === meter) : undefined,
  };
}
