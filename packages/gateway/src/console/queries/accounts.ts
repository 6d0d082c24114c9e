// The helpdesk's billing lookup: what the billing system holds for one account number, and every ESPM
// share that names the account (or one of its meters or invoices), so that an agent on the phone can
// tell a customer which numbers to type.
import { normaliseAnswer } from '../../exchange/custom-fields.ts';
import { isSuperseded } from './meters.ts';
import type { Db } from './paging.ts';

/** How many of the account's latest billed periods, and of the shares naming it, are shown. */
const RECENT_PERIODS = 12;
const SHARES = 50;

/** An account number as a customer reads it out (spaces, hyphens), as the billing system stores it. */
export function accountNumberOf(typed: string): string {
  return normaliseAnswer(typed);
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
  const shares = await db
    .selectFrom('meter_link as l')
    .leftJoin('espm_customer as c', 'c.account_id', 'l.espm_account_id')
    .select([
      'l.id',
      'l.espm_meter_id',
      'l.espm_username',
      'l.espm_account_id',
      'l.custom_fields',
      'l.account_number',
      'l.status',
      'l.reason_code',
      'l.received_at',
      'l.decided_at',
      'c.organization',
      isSuperseded('l').as('superseded'),
    ])
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
