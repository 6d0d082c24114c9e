// One billing row: a meter's consumption for one billing period on one invoice, as the billing system
// sends it (a CSV line or a JSON object), and the one validator both paths share.
import type { BillingStatus } from '../store/schema.ts';
import { isPlainText } from '../text/plain-text.ts';

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

export interface BillingRow {
  accountNumber: string;
  invoiceNumber: string;
  invoiceDate: string;
  meterNumber: string;
  periodStart: string;
  periodEnd: string;
  /** Decimal text as given (at most 3 decimals), so no binary rounding touches a billed volume. */
  volumeM3: string;
  /** CAD, decimal text with at most 2 decimals. */
  cost: string | null;
  estimated: boolean;
  /** Renewable natural gas share of the volume, 0–100. */
  rngPercent: string | null;
  status: BillingStatus;
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

export type BillingRowCheck = { row: BillingRow; reason?: undefined } | { row?: undefined; reason: string };

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

/** The row, or every problem found in it joined into one English reason. */
export function checkBillingRow(raw: RawBillingRow): BillingRowCheck {
  const problems: string[] = [];
  const accountNumber = identifier(raw, 'account_number', ACCOUNT_NUMBER, 'is not 10 or 11 digits', problems);
  const invoiceNumber = identifier(raw, 'invoice_number', INVOICE_NUMBER, 'is not 12 digits', problems);
  const invoiceDate = date(raw, 'invoice_date', problems);
  const meterNumber = identifier(
    raw,
    'meter_number',
    METER_NUMBER,
    'is not 7 to 18 letters or digits',
    problems,
  );
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
  const premiseId = optionalIdentifier(
    raw,
    'premise_id',
    PREMISE_ID,
    'is not 1 to 40 letters, digits or hyphens',
    problems,
  );
  const serviceAddress = address(raw, problems);
  const customerId = optionalIdentifier(
    raw,
    'customer_id',
    CUSTOMER_ID,
    'is not 1 to 40 letters, digits or hyphens',
    problems,
  );
  if (periodStart && periodEnd && periodEnd < periodStart) {
    problems.push(`period_end ${periodEnd} is before period_start ${periodStart}`);
  }
  if (problems.length > 0) return { reason: problems.join('; ') };
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
function text(raw: RawBillingRow, column: BillingColumn, problems: string[], numbersAllowed: boolean) {
  const value = raw[column];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && numbersAllowed) return String(value);
  // A JSON number would silently drop an account number's leading zeros.
  problems.push(
    `${column} must be given as text, not ${typeof value === 'object' ? 'an object' : `a ${typeof value}`}`,
  );
  return null;
}

function identifier(
  raw: RawBillingRow,
  column: BillingColumn,
  format: RegExp,
  formatProblem: string,
  problems: string[],
) {
  const value = text(raw, column, problems, false);
  if (value === null) return undefined;
  if (value === undefined) {
    problems.push(`${column} is missing`);
  } else if (FORMULA.test(value)) {
    problems.push(`${column} ${show(value)} looks like a spreadsheet formula`);
  } else if (!format.test(value)) {
    problems.push(`${column} ${show(value)} ${formatProblem}`);
  } else {
    return value;
  }
  return undefined;
}

function optionalIdentifier(
  raw: RawBillingRow,
  column: BillingColumn,
  format: RegExp,
  formatProblem: string,
  problems: string[],
) {
  const value = text(raw, column, problems, false);
  if (value === null || value === undefined) return undefined;
  if (FORMULA.test(value)) problems.push(`${column} ${show(value)} looks like a spreadsheet formula`);
  else if (!format.test(value)) problems.push(`${column} ${show(value)} ${formatProblem}`);
  else return value;
  return undefined;
}

/** Free text shown to operators: one line, printable, not a formula, at most 200 characters. */
function address(raw: RawBillingRow, problems: string[]) {
  const value = text(raw, 'service_address', problems, false);
  if (value === null || value === undefined) return undefined;
  if (FORMULA.test(value)) problems.push(`service_address ${show(value)} looks like a spreadsheet formula`);
  else if (!isPlainText(value)) problems.push('service_address holds a control or text-direction character');
  else if (value.length > MAX_ADDRESS_LENGTH)
    problems.push(`service_address is longer than ${MAX_ADDRESS_LENGTH} characters`);
  else return value.normalize('NFC');
  return undefined;
}

/** Dates already found real: a file repeats the same few dates on every line. */
const realDates = new Set<string>();

function date(raw: RawBillingRow, column: BillingColumn, problems: string[]) {
  const value = text(raw, column, problems, false);
  if (value === null) return undefined;
  if (value === undefined) {
    problems.push(`${column} is missing`);
    return undefined;
  }
  if (realDates.has(value)) return value;
  const parts = DATE.exec(value);
  if (!parts) {
    problems.push(
      FORMULA.test(value)
        ? `${column} ${show(value)} looks like a spreadsheet formula`
        : `${column} ${show(value)} is not a date written YYYY-MM-DD`,
    );
    return undefined;
  }
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    problems.push(`${column} ${value} is not a real calendar date`);
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

function decimal(raw: RawBillingRow, column: BillingColumn, rule: DecimalRule, problems: string[]) {
  const value = text(raw, column, problems, true);
  if (value === null) return undefined;
  if (value === undefined) {
    if (rule.required) problems.push(`${column} is missing`);
    return undefined;
  }
  const parts = DECIMAL.exec(value);
  if (!parts) {
    if (/^[=@]/.test(value)) problems.push(`${column} ${show(value)} looks like a spreadsheet formula`);
    else if (/^-?\d+,\d+$/.test(value))
      problems.push(`${column} ${show(value)} uses a comma; decimals use a point`);
    else problems.push(`${column} ${show(value)} is not a number`);
    return undefined;
  }
  const [, sign, integer, decimals] = parts as unknown as [string, string, string, string | undefined];
  if (sign && !rule.signed) {
    problems.push(`${column} ${value} is negative`);
  } else if (decimals !== undefined && decimals.length > rule.scale) {
    problems.push(`${column} ${value} has more than ${rule.scale} decimals`);
  } else if (integer.replace(/^0+(?=\d)/, '').length > rule.integerDigits) {
    problems.push(`${column} ${show(value)} is too large`);
  } else if (rule.max !== undefined && Number(value) > rule.max) {
    problems.push(`${column} ${value} is above ${rule.max}`);
  } else {
    return value;
  }
  return undefined;
}

function flag(raw: RawBillingRow, column: BillingColumn, problems: string[]) {
  const value = raw[column];
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return false;
  const given = typeof value === 'string' ? value.trim() : JSON.stringify(value);
  const lower = given.toLowerCase();
  if (lower === '' || lower === 'false') return false;
  if (lower === 'true') return true;
  problems.push(`${column} ${show(given)} is neither true nor false`);
  return undefined;
}

function billingStatus(raw: RawBillingRow, problems: string[]): BillingStatus | undefined {
  const given = text(raw, 'status', problems, false);
  if (given === null) return undefined;
  if (given === undefined) return 'billed';
  const lower = given.toLowerCase();
  if (lower === 'billed' || lower === 'cancelled') return lower;
  problems.push(`status ${show(given)} is neither billed nor cancelled`);
  return undefined;
}

/** A value quoted for a message, cut short so a huge cell does not make a huge reason. */
function show(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
