// Sample billing data for the demo: a few dozen accounts with 30 monthly periods each, ending with
// the last complete billing cycle before today, including the guide's own account, meter and invoice.
import { seededRandom } from '@gaz-espm/espm-simulator';
import type { BillingFileRow } from '@gaz-espm/gateway/billing/billing-row';
import { GUIDE_ACCOUNT, GUIDE_VOLUMES_M3 } from './guide-account.ts';

export interface SampleAccount {
  accountNumber: string;
  meterNumbers: string[];
  latestInvoice: string;
  /** An invoice of the account that is not its latest (for the demo's mistaken customers). */
  olderInvoice: string;
}

const PERIODS = 30;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function sampleBilling(
  today: string,
  accountCount = 30,
): { rows: BillingFileRow[]; accounts: SampleAccount[] } {
  const rnd = seededRandom(2023);
  const rows: BillingFileRow[] = [];
  const accounts: SampleAccount[] = [];
  // Monthly cycles of 31 days ending 10 days before today, invoiced 2 days after each period.
  const lastEnd = addDays(today, -10);
  const ends = Array.from({ length: PERIODS }, (_, i) => addDays(lastEnd, -31 * (PERIODS - 1 - i)));
  let invoiceSeq = 0;
  for (let a = 0; a < accountCount; a++) {
    const isGuide = a === 0;
    const accountNumber = isGuide ? GUIDE_ACCOUNT.accountNumber : String(40000000000 + a * 7919);
    const meterCount = isGuide ? 1 : 1 + (a % 3 === 0 ? 1 : 0);
    const meters = Array.from({ length: meterCount }, (_, m) =>
      isGuide ? GUIDE_ACCOUNT.meterNumber : utilityMeterNumber(a, m),
    );
    const base = 150 + Math.floor(rnd() * 600);
    const invoices: string[] = [];
    ends.forEach((end, i) => {
      const last = i === PERIODS - 1;
      const invoice = isGuide && last ? GUIDE_ACCOUNT.invoiceNumber : String(600000000000 + ++invoiceSeq);
      invoices.push(invoice);
      const start = addDays(end, -30);
      const month = Number(end.slice(5, 7));
      const season = 1 + 0.6 * Math.cos(((month - 1) / 12) * 2 * Math.PI);
      for (const meter of meters) {
        const guideVolume = isGuide
          ? GUIDE_VOLUMES_M3[
              (i + GUIDE_VOLUMES_M3.length - (PERIODS % GUIDE_VOLUMES_M3.length)) % GUIDE_VOLUMES_M3.length
            ]!
          : 0;
        const volume = isGuide ? guideVolume : Math.round(base * season * (0.85 + rnd() * 0.3));
        rows.push({
          account_number: accountNumber,
          invoice_number: invoice,
          invoice_date: addDays(end, 2),
          meter_number: meter,
          period_start: start,
          period_end: end,
          volume_m3: String(volume),
          estimated: rnd() < 0.05,
          rng_percent: a % 5 === 1 ? '10' : '0',
        });
      }
    });
    accounts.push({
      accountNumber,
      meterNumbers: meters,
      latestInvoice: invoices[invoices.length - 1]!,
      olderInvoice: invoices[invoices.length - 3]!,
    });
  }
  return { rows, accounts };
}

/**
 * A meter number as the utility prints it in section A of the invoice: letters then digits, so that it
 * is never taken for an ESPM id (all digits; the simulator's meters are numbered from 5000000).
 */
export function utilityMeterNumber(account: number, meter: number): string {
  return `GZ${String(31_400_000 + account * 173 + meter * 7).padStart(8, '0')}`;
}

export function toCsv(rows: BillingFileRow[]): string {
  const columns = Object.keys(rows[0]!) as Array<keyof BillingFileRow>;
  return (
    [columns.join(','), ...rows.map((r) => columns.map((c) => String(r[c])).join(','))].join('\n') + '\n'
  );
}
