// The rehearsal's own billing: the guide's account, meter and invoice numbers over the 25 months
// before today, so that a 24-month initial load has a period just outside it. Never the utility's data.
import type { BillingFileRow } from '../billing/billing-row.ts';
import type { MeterAnswers } from './customer-side.ts';

/** The guide's example (its "Numéro du compte", "Numéro du compteur", last invoice, 24 months). */
export const GUIDE_ANSWERS: MeterAnswers = {
  accountNumber: '11111111111',
  invoiceNumber: '333333333333',
  meterNumber: '2222222',
  initialLoad: '24',
};

/** The same answers with an invoice the billing never issued: the share must be rejected. */
export const WRONG_INVOICE_ANSWERS: MeterAnswers = { ...GUIDE_ANSWERS, invoiceNumber: '444444444444' };

const PERIODS = 25;
const DAY_MS = 86_400_000;

const iso = (d: Date): string => d.toISOString().slice(0, 10);
const addDays = (d: Date, days: number): Date => new Date(d.getTime() + days * DAY_MS);
function addMonths(d: Date, months: number): Date {
  const r = new Date(d);
  r.setUTCMonth(r.getUTCMonth() + months);
  return r;
}

/** Oldest first; the newest period ends 5 days before today and is on the guide's invoice. */
export function rehearsalBilling(today: Date): BillingFileRow[] {
  const lastEnd = addDays(new Date(`${iso(today)}T00:00:00Z`), -5);
  const rows: BillingFileRow[] = [];
  for (let k = PERIODS - 1; k >= 0; k--) {
    const end = addMonths(lastEnd, -k);
    const start = addDays(addMonths(lastEnd, -(k + 1)), 1);
    rows.push({
      account_number: GUIDE_ANSWERS.accountNumber,
      invoice_number: k === 0 ? GUIDE_ANSWERS.invoiceNumber : String(300_000_000_000 + k),
      invoice_date: iso(addDays(end, 3)),
      meter_number: GUIDE_ANSWERS.meterNumber,
      period_start: iso(start),
      period_end: iso(end),
      volume_m3: String(180 + ((k * 53) % 120)),
    });
  }
  return rows;
}
