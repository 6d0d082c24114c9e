// The customer guide's own example: account 11111111111, meter 2222222, invoice 333333333333, shared
// with 24 months of history and accepted on 2023-04-19, which sends the 23 periods of its table.
import type { BillingFileRow } from '../src/billing/billing-row.ts';

export const GUIDE = {
  accountNumber: '11111111111',
  meterNumber: '2222222',
  invoiceNumber: '333333333333',
  invoiceDate: '2023-04-10',
  initialLoad: 24,
  acceptedOn: '2023-04-19',
  espmMeterId: '157127890',
} as const;

/** [start, end, m³], oldest first, as in the guide's "Aperçu des données dans la passerelle". */
export const GUIDE_PERIODS: ReadonlyArray<readonly [string, string, number]> = [
  ['2021-04-16', '2021-05-16', 251],
  ['2021-05-17', '2021-06-17', 200],
  ['2021-06-18', '2021-07-18', 246],
  ['2021-07-19', '2021-08-19', 271],
  ['2021-08-20', '2021-09-20', 279],
  ['2021-09-21', '2021-10-21', 299],
  ['2021-10-22', '2021-11-22', 294],
  ['2021-11-23', '2021-12-23', 268],
  ['2021-12-24', '2022-01-24', 259],
  ['2022-01-25', '2022-02-25', 289],
  ['2022-02-26', '2022-03-26', 288],
  ['2022-03-27', '2022-04-27', 205],
  ['2022-04-28', '2022-05-28', 248],
  ['2022-05-29', '2022-06-29', 294],
  ['2022-06-30', '2022-07-31', 269],
  ['2022-08-01', '2022-09-01', 261],
  ['2022-09-02', '2022-10-02', 230],
  ['2022-10-03', '2022-11-03', 296],
  ['2022-11-04', '2022-12-04', 260],
  ['2022-12-05', '2023-01-05', 230],
  ['2023-01-06', '2023-02-06', 293],
  ['2023-02-07', '2023-03-07', 231],
  ['2023-03-08', '2023-04-08', 273],
];

/** The billed period just before the guide's window: 24 months back from 2023-04-19 excludes it. */
export const GUIDE_PERIOD_BEFORE_WINDOW = ['2021-03-15', '2021-04-15', 262] as const;

/**
 * The guide's periods as billing rows: the last on the guide's invoice, each earlier one on an invoice
 * of its own dated at the period's end. With the earlier period included, the window test has a
 * period just outside it.
 */
export function guideBillingRows(options: { withPeriodBeforeWindow?: boolean } = {}): BillingFileRow[] {
  const periods = options.withPeriodBeforeWindow
    ? [GUIDE_PERIOD_BEFORE_WINDOW, ...GUIDE_PERIODS]
    : GUIDE_PERIODS;
  return periods.map(([start, end, m3], i) => {
    const last = i === periods.length - 1;
    return {
      account_number: GUIDE.accountNumber,
      invoice_number: last ? GUIDE.invoiceNumber : String(300000000000 + i),
      invoice_date: last ? GUIDE.invoiceDate : end,
      meter_number: GUIDE.meterNumber,
      period_start: start,
      period_end: end,
      volume_m3: m3,
    };
  });
}
