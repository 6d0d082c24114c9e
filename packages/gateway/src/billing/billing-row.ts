// One billing row: a meter's consumption for one billing period on one invoice, as the billing system
// sends it (a CSV line or a JSON object), and the one validator both paths share.
import { isPlainText } from '../text/plain-text.ts';
import type { IdentifierFormat, RowProblem } from '../vocabulary/billing-reasons.ts';
import type { BilledValues, BillingStatus } from '../vocabulary/billing-period.ts';

export const REQUIRED_COLUMNS = [
  'account_number',
  'invoice_number',
  'invoice_date',
  'meter_number',
  'period_start',
  'period_end',
  'volume_m3',
] as const;
export const OPTIONAL_COLUMNS = [
  'cost',
  'estimated',
  'rng_percent',
  'status',
  'premise_id',
  'service_address',
  'customer_id',
] as const;

export type BillingColumn = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** A row before validation: CSV cells are strings; JSON values may also be numbers or booleans. */
export type RawBillingRow = Partial<Record<BillingColumn, unknown>>;

/**
 * A row as a billing file carries it, keyed by column name, before any validation: what the tests, the
 * demo and the benchmarks write into the files they import. Optional columns may be left out.
 */
export interface BillingFileRow {
  account_number: string;
  invoice_number: string;
  invoice_date: string;
  meter_number: string;
  period_start: string;
  period_end: string;
  volume_m3: string | number;
  cost?: string | number;
  estimated?: boolean;
  rng_percent?: string | number;
  status?: BillingStatus;
  premise_id?: string;
  service_address?: string;
  customer_id?: string;
}

export interface BillingRow extends BilledValues {
  accountNumber: string;
  invoiceNumber: string;
  invoiceDate: string;
  meterNumber: string;
  /**
   * The service point the meter serves, which places it in a building (docs/buildings.md). Null when
   * the source does not say: a stored value is then kept, never erased.
   */
  premiseId: string | null;
  serviceAddress: string | null;
  /**
   * The customer the account belongs to: accounts with the same one count as one customer toward a
   * building's privacy rule (docs/buildings.md). Null when the source does not say; a stored value is kept.
   */
  customerId: string | null;
}

export type BillingRowCheck =
  { row: BillingRow; problems?: undefined } | { row?: undefined; problems: RowProblem[] };

// The formats the customer types into the ESPM meter's custom fields, which the share validation
// matches against these rows.
const ACCOUNT_NUMBER = /^\d{10,11}$/;
const INVOICE_NUMBER = /^\d{12}$/;
const METER_NUMBER = /^[A-Za-z0-9]{7,18}$/;
const PREMISE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/;
const CUSTOMER_ID = PREMISE_ID;
const MAX_ADDRESS_LENGTH = 200;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
// What a spreadsheet would evaluate if the cell were opened; never a valid identifier or date.
const FORMULA = /^[=+\-@]/;

/** The row, or every problem found in it. */
export function checkBillingRow(raw: RawBillingRow): BillingRowCheck {
  const problems: RowProblem[] = [];
  const accountNumber = identifier(raw, 'account_number', ACCOUNT_NUMBER, '10-11-digits', problems);
  const invoiceNumber = identifier(raw, 'invoice_number', INVOICE_NUMBER, '12-digits', problems);
  const invoiceDate = date(raw, 'invoice_date', problems);
  const meterNumber = identifier(raw, 'meter_number', METER_NUMBER, '7-18-letters-digits', problems);
  const periodStart = date(raw, 'period_start', problems);
  const periodEnd = date(raw, 'period_end', problems);
  const volumeM3 = decimal(raw, 'volume_m3', { required: true, scale: 3, integerDigits: 11 }, problems);
  const cost = decimal(raw, 'cost', { required: false, scale: 2, integerDigits: 12, signed: true }, problems);
  const estimated = flag(raw, 'estimated', problems);
  const rngPercent = decimal(
    raw,
    'rng_percent',
    { required: false, scale: 2, integerDigits: 3, max: 100 },
    problems,
  );
  const status = billingStatus(raw, problems);
  const premiseId = identifier(raw, 'premise_id', PREMISE_ID, '1-40-letters-digits-hyphens', problems, false);
  const serviceAddress = address(raw, problems);
  const customerId = identifier(
    raw,
    'customer_id',
    CUSTOMER_ID,
    '1-40-letters-digits-hyphens',
    problems,
    false,
  );
  if (periodStart && periodEnd && periodEnd < periodStart) {
    problems.push({ code: 'end-before-start', periodStart, periodEnd });
  }
  if (problems.length > 0) return { problems };
  return {
    row: {
      accountNumber: accountNumber!,
      invoiceNumber: invoiceNumber!,
      invoiceDate: invoiceDate!,
      meterNumber: meterNumber!,
      periodStart: periodStart!,
      periodEnd: periodEnd!,
      volumeM3: volumeM3!,
      cost: cost ?? null,
      estimated: estimated!,
      rngPercent: rngPercent ?? null,
      status: status!,
      premiseId: premiseId ?? null,
      serviceAddress: serviceAddress ?? null,
      customerId: customerId ?? null,
    },
  };
}

/**
 * A cell's text, trimmed; undefined when absent or blank, null (with the problem recorded) when the
 * JSON value has the wrong type. Numbers are turned into text only where allowed.
 */
function text(raw: RawBillingRow, column: BillingColumn, problems: RowProblem[], numbersAllowed: boolean) {
  const value = raw[column];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && numbersAllowed) return String(value);
  // A JSON number would silently drop an account number's leading zeros.
  problems.push({
    code: 'not-text',
    column,
    given: typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'object',
  });
  return null;
}

/** An identifier in its format; one left out is a problem only where the column is `required`. */
function identifier(
  raw: RawBillingRow,
  column: BillingColumn,
  pattern: RegExp,
  format: IdentifierFormat,
  problems: RowProblem[],
  required = true,
) {
  const value = text(raw, column, problems, false);
  if (value === null) return undefined;
  if (value === undefined) {
    if (required) problems.push({ code: 'missing', column });
  } else if (FORMULA.test(value)) {
    problems.push({ code: 'formula', column, value: cut(value) });
  } else if (!pattern.test(value)) {
    problems.push({ code: 'bad-identifier', column, value: cut(value), format });
  } else {
    return value;
  }
  return undefined;
}

/** Free text shown to operators: one line, printable, not a formula, at most 200 characters. */
function address(raw: RawBillingRow, problems: RowProblem[]) {
  const value = text(raw, 'service_address', problems, false);
  if (value === null || value === undefined) return undefined;
  if (FORMULA.test(value)) problems.push({ code: 'formula', column: 'service_address', value: cut(value) });
  else if (!isPlainText(value)) problems.push({ code: 'control-character', column: 'service_address' });
  else if (value.length > MAX_ADDRESS_LENGTH)
    problems.push({ code: 'too-long-text', column: 'service_address', maxLength: MAX_ADDRESS_LENGTH });
  else return value.normalize('NFC');
  return undefined;
}

/** Dates already found real: a file repeats the same few dates on every line. */
const realDates = new Set<string>();

function date(raw: RawBillingRow, column: BillingColumn, problems: RowProblem[]) {
  const value = text(raw, column, problems, false);
  if (value === null) return undefined;
  if (value === undefined) {
    problems.push({ code: 'missing', column });
    return undefined;
  }
  if (realDates.has(value)) return value;
  const parts = DATE.exec(value);
  if (!parts) {
    problems.push({ code: FORMULA.test(value) ? 'formula' : 'not-a-date', column, value: cut(value) });
    return undefined;
  }
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    problems.push({ code: 'not-a-calendar-date', column, value });
    return undefined;
  }
  if (realDates.size >= 10_000) realDates.clear();
  realDates.add(value);
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

interface DecimalRule {
  required: boolean;
  scale: number;
  /** The store's numeric precision minus its scale. */
  integerDigits: number;
  signed?: boolean;
  max?: number;
}

function decimal(raw: RawBillingRow, column: BillingColumn, rule: DecimalRule, problems: RowProblem[]) {
  const value = text(raw, column, problems, true);
  if (value === null) return undefined;
  if (value === undefined) {
    if (rule.required) problems.push({ code: 'missing', column });
    return undefined;
  }
  const parts = DECIMAL.exec(value);
  if (!parts) {
    const code = /^[=@]/.test(value)
      ? 'formula'
      : /^-?\d+,\d+$/.test(value)
        ? 'decimal-comma'
        : 'not-a-number';
    problems.push({ code, column, value: cut(value) });
    return undefined;
  }
  const [, sign, integer, decimals] = parts as unknown as [string, string, string, string | undefined];
  if (sign && !rule.signed) {
    problems.push({ code: 'negative', column, value });
  } else if (decimals !== undefined && decimals.length > rule.scale) {
    problems.push({ code: 'too-many-decimals', column, value, scale: rule.scale });
  } else if (integer.replace(/^0+(?=\d)/, '').length > rule.integerDigits) {
    problems.push({ code: 'too-large', column, value: cut(value) });
  } else if (rule.max !== undefined && Number(value) > rule.max) {
    problems.push({ code: 'above', column, value, max: rule.max });
  } else {
    return value;
  }
  return undefined;
}

function flag(raw: RawBillingRow, column: BillingColumn, problems: RowProblem[]) {
  const value = raw[column];
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return false;
  const given = typeof value === 'string' ? value.trim() : JSON.stringify(value);
  const lower = given.toLowerCase();
  if (lower === '' || lower === 'false') return false;
  if (lower === 'true') return true;
  problems.push({ code: 'not-a-flag', column, value: cut(given) });
  return undefined;
}

function billingStatus(raw: RawBillingRow, problems: RowProblem[]): BillingStatus | undefined {
  const given = text(raw, 'status', problems, false);
  if (given === null) return undefined;
  if (given === undefined) return 'billed';
  const lower = given.toLowerCase();
  if (lower === 'billed' || lower === 'cancelled') return lower;
  problems.push({ code: 'not-a-status', column: 'status', value: cut(given) });
  return undefined;
}

/** A value as a reason quotes it, cut short so a huge cell does not make a huge reason. */
function cut(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
