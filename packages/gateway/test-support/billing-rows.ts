// The guide's billing row for the May 2021 period of meter 2222222 (account 11111111111, invoice
// 333333333333 of 2021-06-20), the row the billing unit tests start from and vary.
import type { BillingFileRow, BillingRow } from '../src/billing/billing-row.ts';

/** As a billing file carries it: the required columns only, every cell as text. */
export const GUIDE_MAY_CELLS = {
  account_number: '11111111111',
  invoice_number: '333333333333',
  invoice_date: '2021-06-20',
  meter_number: '2222222',
  period_start: '2021-05-17',
  period_end: '2021-06-17',
  volume_m3: '200',
} as const satisfies BillingFileRow;

/** As the importer reads it, with every optional column at its default; `changes` vary it. */
export function guideMayRow(changes: Partial<BillingRow> = {}): BillingRow {
  return {
    accountNumber: '11111111111',
    invoiceNumber: '333333333333',
    invoiceDate: '2021-06-20',
    meterNumber: '2222222',
    periodStart: '2021-05-17',
    periodEnd: '2021-06-17',
    volumeM3: '200',
    cost: null,
    estimated: false,
    rngPercent: null,
    status: 'billed',
    premiseId: null,
    serviceAddress: null,
    customerId: null,
    ...changes,
  };
}
