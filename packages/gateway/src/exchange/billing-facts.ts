// The billing data a share is checked against.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { BillingFacts, ShareAnswers } from './share-rules.ts';

export async function billingFactsFor(db: Kysely<Database>, answers: ShareAnswers): Promise<BillingFacts> {
  const invoices = await db
    .selectFrom('billing_invoice')
    .select(['invoice_number', 'invoice_date'])
    .where('account_number', '=', answers.accountNumber)
    .orderBy('invoice_date', 'desc')
    .orderBy('invoice_number', 'desc')
    .limit(2)
    .execute();
  const meter = await db
    .selectFrom('billing_period')
    .select('meter_number')
    .where('account_number', '=', answers.accountNumber)
    .where('meter_number', '=', answers.meterNumber)
    .limit(1)
    .executeTakeFirst();
  return {
    accountExists: invoices.length > 0,
    meterOnAccount: meter !== undefined,
    recentInvoices: invoices.map((i) => ({ invoiceNumber: i.invoice_number, invoiceDate: i.invoice_date })),
  };
}
