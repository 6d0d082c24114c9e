// Whether a meter share may be accepted: pure rules over the share and the facts looked up for it.
// The first failing rule is the one the customer is told about.
import { NATURAL_GAS, isNaturalGasUnit } from '@gaz-espm/espm';
import type { AccessLevel, Meter } from '@gaz-espm/espm';
import type { CodeState } from '../buildings/aggregation-codes.ts';
import { canonicalCode } from '../buildings/code-format.ts';
import type { FieldKey } from './custom-fields.ts';
import { normaliseAnswer } from './custom-fields.ts';
import type { RejectionRule } from '../vocabulary/gateway-events.ts';
export type { RejectionRule } from '../vocabulary/gateway-events.ts';

export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 24 * 3600 * 1000;
/** A customer who just got a new invoice may still hold the previous one for this long. */
export const RECENT_INVOICE_GRACE_DAYS = 30;
export const MAX_INITIAL_LOAD = 24;

/** Rules about proving ownership of the account: their failures count towards the lockout. */
export const IDENTITY_RULES: ReadonlySet<RejectionRule> = new Set([
  'missing-field',
  'invalid-account-number',
  'invalid-invoice-number',
  'invalid-meter-number',
  'invalid-initial-load',
  'unknown-account',
  'meter-not-on-account',
  'invoice-not-latest',
  'numbers-and-code',
  // A wrong code counts like a wrong invoice: codes are not to be guessed by trying.
  'invalid-aggregation-code',
]);

export interface ShareAnswers {
  accountNumber: string;
  invoiceNumber: string;
  meterNumber: string;
  initialLoad: number;
}

export type FieldCheck =
  { ok: true; answers: ShareAnswers } | { ok: false; rule: RejectionRule; field: FieldKey };

/** The custom fields in the order the customer answers them (and the rules check them). */
export const FIELD_ORDER: readonly FieldKey[] = [
  'accountNumber',
  'invoiceNumber',
  'meterNumber',
  'initialLoad',
];

/**
 * The custom field each rule's failure is about: the one the customer has to type again. The rules
 * about the meter, its access level and the lockout are about no field.
 */
const RULE_FIELD: Partial<Record<RejectionRule, FieldKey>> = {
  'invalid-account-number': 'accountNumber',
  'invalid-invoice-number': 'invoiceNumber',
  'invalid-meter-number': 'meterNumber',
  'invalid-initial-load': 'initialLoad',
  'unknown-account': 'accountNumber',
  'meter-not-on-account': 'meterNumber',
  'invoice-not-latest': 'invoiceNumber',
  'invalid-aggregation-code': 'aggregationCode',
};

/** The field a rejection for `rule` points at, given what the customer typed (for missing-field, the first empty one). */
export function failingField(rule: string, typed: Partial<Record<FieldKey, string>>): FieldKey | undefined {
  if (rule === 'missing-field') return FIELD_ORDER.find((key) => normaliseAnswer(typed[key] ?? '') === '');
  return RULE_FIELD[rule as RejectionRule];
}

/**
 * What the customer's answers name, read as far as they can be: spaces and hyphens removed, empty
 * answers left out. Recorded for a share rejected before its answers were checked (malformed, locked
 * out), so that a search by account, invoice or meter number finds it too.
 */
export function namedNumbers(raw: Partial<Record<FieldKey, string>>): {
  accountNumber: string | null;
  invoiceNumber: string | null;
  meterNumber: string | null;
  initialLoad: number | null;
} {
  const read = (key: FieldKey): string | null => normaliseAnswer(raw[key] ?? '') || null;
  const load = read('initialLoad');
  return {
    accountNumber: read('accountNumber'),
    invoiceNumber: read('invoiceNumber'),
    meterNumber: read('meterNumber')?.toUpperCase() ?? null,
    initialLoad: load !== null && /^[0-9]{1,2}$/.test(load) ? Number(load) : null,
  };
}

/** A building owner's answers: the aggregation code (canonical form, code-format.ts) and the history. */
export interface BuildingShareAnswers {
  code: string;
  initialLoad: number;
}

export type ShareFieldCheck =
  | { ok: true; kind: 'meter'; answers: ShareAnswers }
  | { ok: true; kind: 'building'; answers: BuildingShareAnswers }
  | { ok: false; rule: RejectionRule; field?: FieldKey };

/**
 * Rule 1 for every share: either the three numbers (the guide's flow, checkFields) or an aggregation
 * code, never both; a share with neither is missing its fields, and its note says what to type.
 */
export function checkShareFields(raw: Partial<Record<FieldKey, string>>): ShareFieldCheck {
  const given = (key: FieldKey): boolean => raw[key] !== undefined && normaliseAnswer(raw[key]) !== '';
  const numbers = given('accountNumber') || given('invoiceNumber') || given('meterNumber');
  if (!given('aggregationCode')) {
    const fields = checkFields(raw);
    return fields.ok ? { ok: true, kind: 'meter', answers: fields.answers } : fields;
  }
  if (numbers) return { ok: false, rule: 'numbers-and-code' };
  const code = canonicalCode(raw.aggregationCode!);
  if (!code) return { ok: false, rule: 'invalid-aggregation-code' };
  const load = initialLoadOf(raw.initialLoad);
  if (load === undefined) {
    return given('initialLoad')
      ? { ok: false, rule: 'invalid-initial-load' }
      : { ok: false, rule: 'missing-field', field: 'initialLoad' };
  }
  return { ok: true, kind: 'building', answers: { code, initialLoad: load } };
}

function initialLoadOf(raw: string | undefined): number | undefined {
  const v = raw === undefined ? '' : normaliseAnswer(raw);
  if (!/^[0-9]{1,2}$/.test(v) || Number(v) > MAX_INITIAL_LOAD) return undefined;
  return Number(v);
}

/** What the store knows of the code a share gives. */
export interface CodeFacts {
  state: CodeState | 'unknown';
  /** The ESPM meter a share already bound it to. */
  boundTo: string | null;
}

/** Rule 2 for a building: the code was issued, is not revoked, and is unused or already this meter's. */
export function checkCode(facts: CodeFacts, espmMeterId: string): RejectionRule | undefined {
  if (facts.state === 'active') return undefined;
  if (facts.state === 'used' && facts.boundTo === espmMeterId) return undefined;
  return 'invalid-aggregation-code';
}

/**
 * Rule 3 for a building: an aggregate natural-gas meter in a gas unit, shared with full access. ESPM
 * shows the aggregate flag only once the share is accepted (GET /meter), so a pending share without it
 * passes here and is confirmed after acceptance (meter-shares.ts confirmAggregateMeters).
 */
export function checkAggregateMeter(
  meter: Meter | undefined,
  accessLevel: AccessLevel,
): RejectionRule | undefined {
  const rule = checkMeter(meter, accessLevel);
  if (rule) return rule;
  return meter?.aggregateMeter === false ? 'not-aggregate-meter' : undefined;
}

/** Rule 1: the custom fields are present and well formed, once spaces and hyphens are removed. */
export function checkFields(raw: Partial<Record<FieldKey, string>>): FieldCheck {
  const values = {} as Record<FieldKey, string>;
  for (const key of FIELD_ORDER) {
    const v = raw[key] === undefined ? '' : normaliseAnswer(raw[key]);
    if (v === '') return { ok: false, rule: 'missing-field', field: key };
    values[key] = v;
  }
  const malformed = (rule: RejectionRule): FieldCheck => ({ ok: false, rule, field: RULE_FIELD[rule]! });
  // ASCII only: look-alike digits from other scripts never match billing data.
  if (!/^[0-9]{10,11}$/.test(values.accountNumber)) return malformed('invalid-account-number');
  if (!/^[0-9]{12}$/.test(values.invoiceNumber)) return malformed('invalid-invoice-number');
  if (!/^[A-Za-z0-9]{7,18}$/.test(values.meterNumber)) return malformed('invalid-meter-number');
  if (!/^[0-9]{1,2}$/.test(values.initialLoad) || Number(values.initialLoad) > MAX_INITIAL_LOAD) {
    return malformed('invalid-initial-load');
  }
  return {
    ok: true,
    answers: {
      accountNumber: values.accountNumber,
      invoiceNumber: values.invoiceNumber,
      meterNumber: values.meterNumber.toUpperCase(),
      initialLoad: Number(values.initialLoad),
    },
  };
}

export interface BillingFacts {
  accountExists: boolean;
  meterOnAccount: boolean;
  /** The account's invoices, most recent first (by invoice date). */
  recentInvoices: Array<{ invoiceNumber: string; invoiceDate: string }>;
}

/** Rule 2: the three numbers belong together and the invoice is the account's latest. */
export function checkBilling(
  answers: ShareAnswers,
  facts: BillingFacts,
  today: string,
): RejectionRule | undefined {
  if (!facts.accountExists) return 'unknown-account';
  if (!facts.meterOnAccount) return 'meter-not-on-account';
  const [latest, previous] = facts.recentInvoices;
  if (latest?.invoiceNumber === answers.invoiceNumber) return undefined;
  if (
    latest &&
    previous?.invoiceNumber === answers.invoiceNumber &&
    daysBetween(latest.invoiceDate, today) < RECENT_INVOICE_GRACE_DAYS
  ) {
    return undefined;
  }
  return 'invoice-not-latest';
}

/** Rule 3: a natural-gas meter in one of ESPM's gas units, shared with full access. */
export function checkMeter(meter: Meter | undefined, accessLevel: AccessLevel): RejectionRule | undefined {
  if (!meter || meter.type !== NATURAL_GAS) return 'not-natural-gas';
  if (!isNaturalGasUnit(meter.unitOfMeasure)) return 'unsupported-unit';
  if (accessLevel !== 'Read Write') return 'read-only-access';
  return undefined;
}

/**
 * Rule 4: locked out once 5 failures fall within 24 hours, until 24 hours after the last of them.
 * failureTimes are those since an operator last unlocked the account.
 */
export function isLockedOut(failureTimes: Date[], now: Date): boolean {
  if (failureTimes.length < LOCKOUT_FAILURES) return false;
  const times = failureTimes.map((t) => t.getTime()).sort((a, b) => a - b);
  const last = times[times.length - 1]!;
  const fifthFromLast = times[times.length - LOCKOUT_FAILURES]!;
  return last - fifthFromLast < LOCKOUT_WINDOW_MS && now.getTime() - last < LOCKOUT_WINDOW_MS;
}

/** The last day checkBilling still takes the invoice before the latest one (what the helpdesk tells a customer). */
export function previousInvoiceAcceptedUntil(latestInvoiceDate: string): string {
  const last = Date.parse(`${latestInvoiceDate}T00:00:00Z`) + (RECENT_INVOICE_GRACE_DAYS - 1) * 86_400_000;
  return new Date(last).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
