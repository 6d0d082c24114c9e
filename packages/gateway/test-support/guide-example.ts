// The customer guide's own example: account 11111111111, meter 2222222, invoice 333333333333, shared
// with 24 months of history and accepted on 2023-04-19, which sends the 23 periods of its table.
import type { MeterShareAnswers } from '@gaz-espm/espm-simulator';
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

/** The answers the guide's customer types when sharing its meter, asking for `initialLoad` months. */
export function guideAnswers(initialLoad: number | string = GUIDE.initialLoad): Partial<MeterShareAnswers> {
  return {
    accountNumber: GUIDE.accountNumber,
    invoiceNumber: GUIDE.invoiceNumber,
    meterNumber: GUIDE.meterNumber,
    initialLoad: String(initialLoad),
  };
}

/** The guide's meter billed once more: the period after the guide's last, on the next invoice. */
export const GUIDE_NEXT_BILL: BillingFileRow = {
  account_number: GUIDE.accountNumber,
  invoice_number: '444444444444',
  invoice_date: '2023-05-10',
  meter_number: GUIDE.meterNumber,
  period_start: '2023-04-09',
  period_end: '2023-05-09',
  volume_m3: 222,
};

/** The guide's meter billed for month n after the guide's last period, to `account`. */
export function guideBillAfter(n: number, account: string = GUIDE.accountNumber): BillingFileRow {
  const start = new Date(Date.UTC(2023, 3 + n, 9));
  const end = new Date(Date.UTC(2023, 4 + n, 8));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    account_number: account,
    invoice_number: String((account === GUIDE.accountNumber ? 444444444440 : 555555555550) + n),
    invoice_date: day(new Date(end.getTime() + 86_400_000)),
    meter_number: GUIDE.meterNumber,
    period_start: day(start),
    period_end: day(end),
    volume_m3: 200 + n,
  };
}

const DAY = 86_400_000;
/** Taken once, so that every date a test shifts moves by the same days, even past midnight. */
const DAYS_SINCE_GUIDE = Math.floor((Date.now() - Date.parse(`${GUIDE.acceptedOn}T00:00:00Z`)) / DAY);

/**
 * `date` moved by as many whole days as separate the guide's acceptance date from today: for a gateway
 * on the real clock (a CLI run), the guide's periods fall inside its customers' 24 months as in the guide.
 */
export function shiftedToToday(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAYS_SINCE_GUIDE * DAY).toISOString().slice(0, 10);
}

/** Customer i's numbers: the guide's account, meter and invoice made distinct per customer. */
export function guideNumbersOf(i: number): {
  accountNumber: string;
  meterNumber: string;
  invoiceNumber: string;
} {
  return {
    accountNumber: String(11111111100 + i),
    meterNumber: `${GUIDE.meterNumber}${String(i).padStart(2, '0')}`,
    invoiceNumber: String(333333333300 + i),
  };
}

/** The guide's rows, shifted to today, for each of `customers` customers with its own numbers. */
export function guideRowsShiftedToToday(customers: number): BillingFileRow[] {
  return Array.from({ length: customers }, (_, i) => {
    const n = guideNumbersOf(i);
    return guideBillingRows().map((r, k) => ({
      account_number: n.accountNumber,
      invoice_number:
        r.invoice_number === GUIDE.invoiceNumber ? n.invoiceNumber : String(300000000000 + i * 100 + k),
      invoice_date: shiftedToToday(r.invoice_date),
      meter_number: n.meterNumber,
      period_start: shiftedToToday(r.period_start),
      period_end: shiftedToToday(r.period_end),
      volume_m3: String(r.volume_m3),
    }));
  }).flat();
}
