// Fuzzing the four custom fields: thousands of generated answers (seeded, reproducible) through the pure
// rules, and a few hundred end to end through decidePendingMeterShares against the simulator. The
// property: a share is accepted only when what the customer typed, once separators (whitespace and
// dashes) are removed, is exactly an account / meter / current invoice of the billing data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seededRandom } from '@gaz-espm/espm-simulator';
import type { BillingFileRow } from '../billing/billing-row.ts';
import type { Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import type { FieldKey } from './custom-fields.ts';

// The guide's four fields: this fuzz is about the numbers' flow (the code's is buildings/).
type GuideFieldKey = Exclude<FieldKey, 'aggregationCode'>;
import { decidePendingMeterShares } from './meter-shares.ts';
import { unlockAccount } from './operator-actions.ts';
import type { BillingFacts, ShareAnswers } from './share-rules.ts';
import { RECENT_INVOICE_GRACE_DAYS, checkBilling, checkFields, daysBetween } from './share-rules.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20260428);
const PURE_CASES = 5000;
const E2E_CASES = 320;
const TODAY = '2023-04-19';

function prng(seed: number) {
  const next = seededRandom(seed);
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

// The billing data: three accounts, one with a recent invoice (the previous one still accepted).
interface Account {
  account: string;
  meters: string[];
  /** Most recent first. */
  invoices: Array<{ number: string; date: string }>;
}
const ACCOUNTS: Account[] = [
  {
    account: '11111111111',
    meters: ['2222222'],
    invoices: [
      { number: '333333333333', date: '2023-02-10' },
      { number: '300000000001', date: '2023-01-10' },
    ],
  },
  {
    account: '4444444444',
    meters: ['55555555'],
    invoices: [
      { number: '666666666666', date: '2023-04-10' },
      { number: '600000000001', date: '2023-03-05' },
    ],
  },
  {
    account: '77777777777',
    meters: ['8888888', '123456789012345678', 'GK12345A'],
    invoices: [
      { number: '999999999999', date: '2023-03-20' },
      { number: '900000000001', date: '2023-02-20' },
    ],
  },
];

function billingRows(): BillingFileRow[] {
  const rows: BillingFileRow[] = [];
  for (const a of ACCOUNTS) {
    for (const [i, inv] of [...a.invoices].reverse().entries()) {
      for (const meter of a.meters) {
        const start = new Date(Date.parse(`${inv.date}T00:00:00Z`) - 25 * 86_400_000)
          .toISOString()
          .slice(0, 10);
        rows.push({
          account_number: a.account,
          invoice_number: inv.number,
          invoice_date: inv.date,
          meter_number: meter,
          period_start: start,
          period_end: inv.date,
          volume_m3: 100 + i,
        });
      }
    }
  }
  return rows;
}

/** What billingFactsFor reads from the store, from the in-memory data. */
function factsFor(answers: ShareAnswers): BillingFacts {
  const a = ACCOUNTS.find((x) => x.account === answers.accountNumber);
  return {
    accountExists: a !== undefined,
    meterOnAccount: a?.meters.includes(answers.meterNumber) ?? false,
    recentInvoices: (a?.invoices ?? []).map((i) => ({ invoiceNumber: i.number, invoiceDate: i.date })),
  };
}

/** The triples a customer may rightly type: latest invoice, or the previous one while the latest is recent. */
const VALID = new Set<string>();
for (const a of ACCOUNTS) {
  const current = [a.invoices[0]!.number];
  if (daysBetween(a.invoices[0]!.date, TODAY) < RECENT_INVOICE_GRACE_DAYS)
    current.push(a.invoices[1]!.number);
  for (const m of a.meters) for (const inv of current) VALID.add(`${a.account}|${inv}|${m}`);
}

// Characters the generator uses.
const DOCUMENTED_SEPARATORS = [
  ' ',
  '\t',
  '\n',
  '\u00a0',
  '\u2007',
  '\u202f',
  '\u3000',
  '\u2009',
  '-',
  '\u2010',
  '\u2011',
  '\u2012',
  '\u2013',
  '\u2014',
  '\u2015',
  '\u2212',
];
const OTHER_SEPARATORS = ['\ufe63', '\uff0d', '\u2e3a', '\u00ad', '\u2043', '\u30fc', '_', '.', '/'];
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u180e'];
const CONTROL = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u001b', '\u007f', '\u0085', '\u009c'];
const DIGIT_BASES = [0x0660, 0x06f0, 0xff10, 0x0966, 0x09e6, 0x0e50, 0x2080, 0x1d7ce, 0x2070];
const SUPERSCRIPT = [
  '\u2070',
  '\u00b9',
  '\u00b2',
  '\u00b3',
  '\u2074',
  '\u2075',
  '\u2076',
  '\u2077',
  '\u2078',
  '\u2079',
];
const ACCENTS = ['\u0301', '\u0300', '\u0308', '\u0327', 'é', 'À', 'ç', 'Ø'];
const PAYLOADS = [
  "' OR 1=1 --",
  "11111111111' OR '1'='1",
  '1; DROP TABLE meter_link; --',
  "333333333333'); DELETE FROM billing_invoice; --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  ']]><x>',
  '&lt;b&gt;',
  '${7*7}',
  '%00',
  '../../etc/passwd',
  '\u202e11111111111',
  'NaN',
  'Infinity',
  '1e1',
  '0x18',
  '+24',
  '-0',
  '２４',
];

function lookAlike(rng: Rng, d: string): string {
  if (rng.next() < 0.2) return SUPERSCRIPT[Number(d)]!;
  return String.fromCodePoint(rng.pick(DIGIT_BASES) + Number(d));
}

interface Case {
  fields: Record<GuideFieldKey, string>;
  /** Built from a valid triple with only the separators the gateway documents: must be accepted. */
  mustAccept: boolean;
  label: string;
}

function insertAt(s: string, pos: number, what: string): string {
  return s.slice(0, pos) + what + s.slice(pos);
}

/** One field's value, mutated from the intended one; `kept` says the mutation keeps it valid. */
function mutate(
  rng: Rng,
  value: string,
  digitsOnly: boolean,
): { value: string; kept: boolean; kind: string } {
  const r = rng.next() < 0.55 ? 0 : rng.int(17);
  const pos = rng.int(value.length + 1);
  switch (r) {
    case 0:
    case 1:
    case 2:
      return { value, kept: true, kind: 'same' };
    case 3: {
      let v = value;
      for (let i = 0, n = 1 + rng.int(4); i < n; i++)
        v = insertAt(v, rng.int(v.length + 1), rng.pick(DOCUMENTED_SEPARATORS));
      return { value: v, kept: true, kind: 'separators' };
    }
    case 4:
      return {
        value: insertAt(value, pos, rng.pick(OTHER_SEPARATORS)),
        kept: false,
        kind: 'other-separator',
      };
    case 5:
      return { value: insertAt(value, pos, rng.pick(ZERO_WIDTH)), kept: false, kind: 'zero-width' };
    case 6:
      return { value: insertAt(value, pos, rng.pick(CONTROL)), kept: false, kind: 'control' };
    case 7: {
      const digits = [...value].map((c, i) => [c, i] as const).filter(([c]) => /[0-9]/.test(c));
      if (digits.length === 0) return { value, kept: true, kind: 'same' };
      const [c, i] = rng.pick(digits);
      return {
        value: value.slice(0, i) + lookAlike(rng, c) + value.slice(i + 1),
        kept: false,
        kind: 'look-alike',
      };
    }
    case 8: {
      const digits = [...value].map((c, i) => [c, i] as const).filter(([c]) => /[0-9]/.test(c));
      if (digits.length === 0) return { value, kept: true, kind: 'same' };
      const [c, i] = rng.pick(digits);
      const other = String((Number(c) + 1 + rng.int(9)) % 10);
      return { value: value.slice(0, i) + other + value.slice(i + 1), kept: false, kind: 'one-digit' };
    }
    case 9:
      return { value: rng.pick(PAYLOADS), kept: false, kind: 'payload' };
    case 10:
      return { value: insertAt(value, pos, rng.pick(ACCENTS)), kept: false, kind: 'accent' };
    case 11: {
      const n = rng.int(41);
      const pool = '0123456789abcXYZ -\u00a0\u0660\uff11é\u200b<>\'";%&';
      let v = '';
      for (let i = 0; i < n; i++) v += pool[rng.int(pool.length)];
      return { value: v, kept: false, kind: 'random' };
    }
    case 12:
      return {
        value: value.repeat(1 + rng.int(1000)) + '9'.repeat(rng.int(10000)),
        kept: false,
        kind: 'long',
      };
    case 13:
      return { value: '', kept: false, kind: 'empty' };
    case 14:
      return {
        value: value.slice(0, Math.max(0, value.length - 1 - rng.int(3))),
        kept: false,
        kind: 'truncated',
      };
    case 15:
      return { value: value + String(rng.int(10)), kept: false, kind: 'extended' };
    default:
      return digitsOnly
        ? { value: value.replace(/[0-9]/g, (d) => lookAlike(rng, d)), kept: false, kind: 'all-look-alike' }
        : { value: value.toLowerCase(), kept: true, kind: 'lower-case' };
  }
}

function generate(rng: Rng): Case {
  const a = rng.pick(ACCOUNTS);
  let account = a.account;
  let meter = rng.pick(a.meters);
  let invoice = rng.next() < 0.8 ? a.invoices[0]!.number : a.invoices[1]!.number;
  let label = 'own';
  // The right numbers of another account, mixed in.
  if (rng.next() < 0.15) {
    const b = rng.pick(ACCOUNTS.filter((x) => x !== a));
    const which = rng.int(3);
    if (which === 0) account = b.account;
    else if (which === 1) meter = rng.pick(b.meters);
    else invoice = b.invoices[0]!.number;
    label = 'mixed';
  }
  const load =
    rng.next() < 0.85
      ? String(rng.int(25))
      : rng.pick(['25', '36', '99', '-1', '1.5', '٢٤', '²', '', ' ', 'x']);
  const fa = mutate(rng, account, true);
  const fi = mutate(rng, invoice, true);
  const fm = mutate(rng, meter, false);
  const fl = rng.next() < 0.8 ? { value: load, kept: true, kind: 'load' } : mutate(rng, load, true);
  const loadOk = /^[0-9]{1,2}$/.test(load) && Number(load) <= 24;
  const mustAccept =
    VALID.has(`${account}|${invoice}|${meter}`) && loadOk && fa.kept && fi.kept && fm.kept && fl.kept;
  return {
    fields: {
      accountNumber: fa.value,
      invoiceNumber: fi.value,
      meterNumber: fm.value,
      initialLoad: fl.value,
    },
    mustAccept,
    label: `${label}/${fa.kind}/${fi.kind}/${fm.kind}/${fl.kind}`,
  };
}

/**
 * The oracle, independent of normaliseAnswer: removes every Unicode whitespace and dash (a superset of
 * what the gateway ignores), and compares canonically (NFC) with the billing data.
 */
function strip(v: string): string {
  return v.normalize('NFC').replace(/[\p{White_Space}\p{Pd}\u2212\ufeff]/gu, '');
}
function matchesBilling(fields: Record<GuideFieldKey, string>): boolean {
  const triple = `${strip(fields.accountNumber)}|${strip(fields.invoiceNumber)}|${strip(fields.meterNumber).toUpperCase()}`;
  const load = strip(fields.initialLoad);
  return VALID.has(triple) && /^[0-9]{1,2}$/.test(load) && Number(load) <= 24;
}

function decidePure(fields: Record<GuideFieldKey, string>): {
  accepted: boolean;
  rule?: string;
  answers?: ShareAnswers;
} {
  const f = checkFields(fields);
  if (!f.ok) return { accepted: false, rule: f.rule };
  const rule = checkBilling(f.answers, factsFor(f.answers), TODAY);
  return { accepted: rule === undefined, rule, answers: f.answers };
}

/**
 * What reaches the gateway through ESPM's XML: XML 1.0 cannot carry C0 controls other than tab, newline
 * and carriage return, and the gateway reads any such character as U+FFFD (after trimming the value).
 */
function throughXml(fields: Record<GuideFieldKey, string>): Record<GuideFieldKey, string> {
  // eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
  const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, v.trim().replace(forbidden, '\ufffd')]),
  ) as Record<GuideFieldKey, string>;
}

function show(c: Case): string {
  return `${c.label} ${JSON.stringify(c.fields, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v))} (seed ${SEED})`;
}

describe('custom-field fuzzing', () => {
  it(`accepts a share only if its fields are exactly a current billing triple (${PURE_CASES} cases)`, () => {
    const rng = prng(SEED);
    const rules = new Map<string, number>();
    let accepted = 0;
    let mustAccept = 0;
    for (let i = 0; i < PURE_CASES; i++) {
      const c = generate(rng);
      const d = decidePure(c.fields);
      rules.set(d.rule ?? 'accepted', (rules.get(d.rule ?? 'accepted') ?? 0) + 1);
      if (d.accepted) {
        accepted++;
        assert.ok(matchesBilling(c.fields), `accepted without matching the billing data: ${show(c)}`);
        const a = d.answers!;
        assert.ok(VALID.has(`${a.accountNumber}|${a.invoiceNumber}|${a.meterNumber}`), show(c));
        assert.match(a.accountNumber + a.invoiceNumber + a.meterNumber, /^[0-9A-Z]+$/, show(c));
      } else {
        // Nothing but whitespace or dashes of other kinds stands between a refused case and a valid one.
        if (matchesBilling(c.fields)) {
          const extra = Object.values(c.fields).join('').normalize('NFC');
          assert.match(extra, /[\p{White_Space}\p{Pd}\ufeff]/u, `refused though it matches: ${show(c)}`);
        }
      }
      if (c.mustAccept) {
        mustAccept++;
        assert.ok(d.accepted, `refused with ${d.rule}: ${show(c)}`);
      }
    }
    // The generator must exercise both sides.
    assert.ok(accepted > PURE_CASES / 20, `only ${accepted} accepted`);
    assert.ok(mustAccept > PURE_CASES / 20);
    assert.ok(rules.size >= 8, JSON.stringify([...rules]));
    console.log(
      `# share-fuzz pure: ${PURE_CASES} cases, ${accepted} accepted, by rule ${JSON.stringify(Object.fromEntries(rules))}`,
    );
  });

  describe(`end to end through decidePendingMeterShares (${E2E_CASES} cases)`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness();
      await h.importAccepted(billingRows());
    });
    after(() => h.close());

    it('accepts in ESPM and in the store only the shares whose fields match', async () => {
      const rng = prng(SEED + 1);
      const CUSTOMERS = 10;
      const PER_BATCH = 4; // under the lockout's 5 failures; each account is unlocked between batches
      const customers = [];
      for (let i = 0; i < CUSTOMERS; i++) {
        const customer = await h.customer(`fuzz${i}`, `Fuzz ${i}`);
        customers.push({ customer, propertyId: await h.sharedProperty(customer, `Immeuble fuzz ${i}`) });
      }
      let minute = 0;
      let done = 0;
      let accepted = 0;
      while (done < E2E_CASES) {
        const batch: Array<{ meterId: string; c: Case }> = [];
        for (const { customer, propertyId } of customers) {
          for (let k = 0; k < PER_BATCH && done + batch.length < E2E_CASES; k++) {
            const c = generate(rng);
            batch.push({ meterId: await h.addSharedMeter(customer, propertyId, { answers: c.fields }), c });
          }
        }
        const summary = await decidePendingMeterShares(h.ctx);
        if (summary.failed) {
          const logs = await h.store.db
            .selectFrom('gateway_log')
            .selectAll()
            .where('status', '=', 'error')
            .execute();
          assert.fail(
            `${JSON.stringify(summary)} ${JSON.stringify(logs)} ${batch.map((b) => show(b.c)).join('\n')}`,
          );
        }
        const decisions = h.sim.state().decisions.filter((d) => d.kind === 'meterShare' && !d.automatic);
        for (const { meterId, c } of batch) {
          const mine = decisions.filter((d) => d.id === meterId);
          assert.equal(mine.length, 1, `one decision for ${meterId}: ${show(c)}`);
          const link = await h.linkOf(meterId);
          assert.notEqual(link.reason_code, 'locked-out', show(c));
          assert.equal(mine[0]!.action === 'Accept', link.status === 'accepted', show(c));
          const pure = decidePure(throughXml(c.fields));
          assert.equal(link.status === 'accepted', pure.accepted, `store and pure rules differ: ${show(c)}`);
          if (link.status === 'accepted') {
            accepted++;
            assert.ok(matchesBilling(c.fields), `accepted without matching: ${show(c)}`);
            assert.ok(
              VALID.has(`${link.account_number}|${link.invoice_number}|${link.meter_number}`),
              show(c),
            );
          }
          if (c.mustAccept)
            assert.equal(link.status, 'accepted', `refused (${link.reason_code}): ${show(c)}`);
        }
        done += batch.length;
        minute++;
        h.setNow(`2023-04-19T19:${String(24 + minute).padStart(2, '0')}:00Z`);
        for (const { customer } of customers) await unlockAccount(h.ctx, customer.accountId!, 'fuzz');
        h.setNow(`2023-04-19T19:${String(24 + minute).padStart(2, '0')}:30Z`);
      }
      assert.ok(accepted > 10, `only ${accepted} accepted`);
      console.log(`# share-fuzz e2e: ${done} shares decided, ${accepted} accepted`);
    });
  });
});
