import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Meter } from '@gaz-espm/espm';
import { answersOf, normaliseAnswer } from './custom-fields.ts';
import { REJECTION_NOTES, noteText } from './notes.ts';
import {
  IDENTITY_RULES,
  checkAggregateMeter,
  checkBilling,
  checkCode,
  checkFields,
  checkMeter,
  checkShareFields,
  failingField,
  isLockedOut,
  namedNumbers,
  previousInvoiceAcceptedUntil,
} from './share-rules.ts';
import type { BillingFacts } from './share-rules.ts';

const guideAnswers = {
  accountNumber: '11111111111',
  invoiceNumber: '333333333333',
  meterNumber: '2222222',
  initialLoad: '24',
};
const gasMeter: Meter = {
  type: 'Natural Gas',
  name: 'Gaz naturel1',
  unitOfMeasure: 'cm (Cubic meters)',
  firstBillDate: '2021-01-01',
  inUse: true,
};

/** The rule the guide's answers break with `changes` typed instead, if any. */
function ruleFor(changes: Record<string, string>): string | undefined {
  const checked = checkFields({ ...guideAnswers, ...changes });
  return checked.ok ? undefined : checked.rule;
}

describe('a share’s custom fields', () => {
  it('accepts the guide’s example', () => {
    assert.deepEqual(checkFields(guideAnswers), {
      ok: true,
      answers: {
        accountNumber: '11111111111',
        invoiceNumber: '333333333333',
        meterNumber: '2222222',
        initialLoad: 24,
      },
    });
  });

  it('ignores spaces and hyphens the customer typed', () => {
    const typed = {
      accountNumber: '111 1111-1111',
      invoiceNumber: '3333-3333-3333',
      meterNumber: ' 22 22 222 ',
      initialLoad: ' 6 ',
    };
    assert.equal(checkFields(typed).ok, true);
    assert.equal(normaliseAnswer('12\u00a034\u201156'), '123456');
  });

  it('names the first missing or malformed field', () => {
    assert.deepEqual(checkFields({ ...guideAnswers, invoiceNumber: '  ' }), {
      ok: false,
      rule: 'missing-field',
      field: 'invoiceNumber',
    });
    for (const [field, rule, typed] of [
      ['accountNumber', 'invalid-account-number', ['123456789', '123456789012']],
      ['invoiceNumber', 'invalid-invoice-number', ['33333333333']],
      ['meterNumber', 'invalid-meter-number', ['222222', '2222222/']],
      ['initialLoad', 'invalid-initial-load', ['25', 'douze', '1.5']],
    ] as const) {
      for (const value of typed) assert.equal(ruleFor({ [field]: value }), rule, `${field} ${value}`);
    }
  });

  it('points each rejection at the field the customer must type again', () => {
    const expected: Array<[string, Record<string, string>, string | undefined]> = [
      ['missing-field', { ...guideAnswers, meterNumber: ' - ' }, 'meterNumber'],
      ['missing-field', { accountNumber: '11111111111' }, 'invoiceNumber'],
      ['invalid-account-number', guideAnswers, 'accountNumber'],
      ['invalid-invoice-number', guideAnswers, 'invoiceNumber'],
      ['invalid-meter-number', guideAnswers, 'meterNumber'],
      ['invalid-initial-load', guideAnswers, 'initialLoad'],
      ['unknown-account', guideAnswers, 'accountNumber'],
      ['meter-not-on-account', guideAnswers, 'meterNumber'],
      ['invoice-not-latest', guideAnswers, 'invoiceNumber'],
      ['not-natural-gas', guideAnswers, undefined],
      ['unsupported-unit', guideAnswers, undefined],
      ['read-only-access', guideAnswers, undefined],
      ['locked-out', guideAnswers, undefined],
    ];
    for (const [rule, typed, field] of expected) assert.equal(failingField(rule, typed), field, rule);
    // checkFields and failingField agree on every malformed answer.
    for (const typed of [
      { ...guideAnswers, accountNumber: '123' },
      { ...guideAnswers, invoiceNumber: 'abc' },
      { ...guideAnswers, meterNumber: '12' },
      { ...guideAnswers, initialLoad: '99' },
      { ...guideAnswers, initialLoad: '' },
    ]) {
      const r = checkFields(typed);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(failingField(r.rule, typed), r.field);
    }
  });

  it('reads what malformed answers name, as far as they can be read', () => {
    assert.deepEqual(
      namedNumbers({
        accountNumber: '123 456-789',
        invoiceNumber: '  ',
        meterNumber: 'gz-12',
        initialLoad: 'douze',
      }),
      { accountNumber: '123456789', invoiceNumber: null, meterNumber: 'GZ12', initialLoad: null },
    );
    assert.deepEqual(namedNumbers(guideAnswers), {
      accountNumber: '11111111111',
      invoiceNumber: '333333333333',
      meterNumber: '2222222',
      initialLoad: 24,
    });
  });

  it('never takes look-alike digits from other scripts', () => {
    // Arabic-Indic and full-width digits look like 1s to a person but are not billing numbers.
    assert.equal(ruleFor({ accountNumber: '١١١١١١١١١١١' }), 'invalid-account-number');
    assert.equal(ruleFor({ invoiceNumber: '３３３３３３３３３３３３' }), 'invalid-invoice-number');
  });

  it('reads answers by the field’s exact name, whatever the Unicode form', () => {
    const decomposed = 'Nume\u0301ro du compte';
    assert.deepEqual(answersOf([{ name: decomposed, value: '11111111111' }]), {
      accountNumber: '11111111111',
    });
    assert.deepEqual(answersOf([{ name: 'Numero du compte', value: '1' }]), {});
  });
});

describe('a share against the billing data', () => {
  const facts: BillingFacts = {
    accountExists: true,
    meterOnAccount: true,
    recentInvoices: [
      { invoiceNumber: '444444444444', invoiceDate: '2023-05-10' },
      { invoiceNumber: '333333333333', invoiceDate: '2023-04-10' },
    ],
  };
  const answers = {
    accountNumber: '11111111111',
    invoiceNumber: '444444444444',
    meterNumber: '2222222',
    initialLoad: 24,
  };

  it('accepts the latest invoice', () => assert.equal(checkBilling(answers, facts, '2023-05-20'), undefined));
  it('accepts the previous invoice while the latest is less than 30 days old', () => {
    assert.equal(checkBilling({ ...answers, invoiceNumber: '333333333333' }, facts, '2023-06-08'), undefined);
    assert.equal(
      checkBilling({ ...answers, invoiceNumber: '333333333333' }, facts, '2023-06-09'),
      'invoice-not-latest',
    );
  });
  it('says until which day the previous invoice is taken, as checkBilling decides it', () => {
    const until = previousInvoiceAcceptedUntil(facts.recentInvoices[0]!.invoiceDate);
    const previous = { ...answers, invoiceNumber: facts.recentInvoices[1]!.invoiceNumber };
    const dayAfter = new Date(Date.parse(`${until}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    assert.equal(checkBilling(previous, facts, until), undefined);
    assert.equal(checkBilling(previous, facts, dayAfter), 'invoice-not-latest');
  });

  it('rejects an unknown account, a meter of another account, an older invoice', () => {
    assert.equal(checkBilling(answers, { ...facts, accountExists: false }, '2023-05-20'), 'unknown-account');
    assert.equal(
      checkBilling(answers, { ...facts, meterOnAccount: false }, '2023-05-20'),
      'meter-not-on-account',
    );
    assert.equal(
      checkBilling({ ...answers, invoiceNumber: '222222222222' }, facts, '2023-05-20'),
      'invoice-not-latest',
    );
  });
});

describe('the shared ESPM meter', () => {
  it('must be natural gas, in a gas unit, with full access', () => {
    assert.equal(checkMeter(gasMeter, 'Read Write'), undefined);
    assert.equal(checkMeter({ ...gasMeter, unitOfMeasure: 'therms' }, 'Read Write'), undefined);
    assert.equal(checkMeter({ ...gasMeter, type: 'Electric' }, 'Read Write'), 'not-natural-gas');
    assert.equal(checkMeter(undefined, 'Read Write'), 'not-natural-gas');
    assert.equal(
      checkMeter({ ...gasMeter, unitOfMeasure: 'kWh (thousand Watt-hours)' }, 'Read Write'),
      'unsupported-unit',
    );
    assert.equal(checkMeter(gasMeter, 'Read'), 'read-only-access');
  });
});

describe('the lockout', () => {
  const at = (h: number): Date => new Date(Date.UTC(2023, 3, 19, 0) + h * 3600_000);
  it('starts at the 5th failure within 24 hours and ends 24 hours after the last', () => {
    const four = [at(0), at(1), at(2), at(3)];
    assert.equal(isLockedOut(four, at(4)), false);
    const five = [...four, at(4)];
    assert.equal(isLockedOut(five, at(5)), true);
    assert.equal(isLockedOut(five, at(27.9)), true);
    assert.equal(isLockedOut(five, at(28)), false);
  });
  it('does not count failures spread over more than 24 hours', () => {
    assert.equal(isLockedOut([at(0), at(10), at(20), at(30), at(40)], at(41)), false);
  });
});

describe('rejection notes', () => {
  it('exist in French and English and fit ESPM’s 1000 characters', () => {
    for (const [rule, note] of Object.entries(REJECTION_NOTES)) {
      assert.ok(note.fr.length > 20 && note.en.length > 20, rule);
      assert.ok(noteText(note).length <= 1000, rule);
    }
  });
});

describe('a building owner’s share (whole-building data)', () => {
  const CODE = '7K3M9QRT4V2XAB12';

  it('takes either the three numbers or a code with the initial load, never both', () => {
    assert.deepEqual(checkShareFields({ aggregationCode: ' 7k3m-9qrt-4v2x-ab12 ', initialLoad: '12' }), {
      ok: true,
      kind: 'building',
      answers: { code: CODE, initialLoad: 12 },
    });
    const numbers = checkShareFields(guideAnswers);
    assert.ok(numbers.ok && numbers.kind === 'meter');
    assert.deepEqual(checkShareFields({ ...guideAnswers, aggregationCode: CODE }), {
      ok: false,
      rule: 'numbers-and-code',
    });
    // Neither: missing fields, and the note says what to type for both flows.
    assert.deepEqual(checkShareFields({ initialLoad: '12' }), {
      ok: false,
      rule: 'missing-field',
      field: 'accountNumber',
    });
    assert.match(noteText(REJECTION_NOTES['missing-field']), /code d’agrégation.*aggregation code/);
    assert.deepEqual(checkShareFields({ aggregationCode: 'ABC', initialLoad: '12' }), {
      ok: false,
      rule: 'invalid-aggregation-code',
    });
    assert.deepEqual(checkShareFields({ aggregationCode: CODE, initialLoad: '36' }), {
      ok: false,
      rule: 'invalid-initial-load',
    });
    assert.deepEqual(checkShareFields({ aggregationCode: CODE }), {
      ok: false,
      rule: 'missing-field',
      field: 'initialLoad',
    });
  });

  it('wants a code issued and unused, or already bound to this meter; a wrong one counts toward the lockout', () => {
    assert.equal(checkCode({ state: 'active', boundTo: null }, '900'), undefined);
    assert.equal(checkCode({ state: 'used', boundTo: '900' }, '900'), undefined);
    for (const facts of [
      { state: 'used' as const, boundTo: '901' },
      { state: 'expired' as const, boundTo: null },
      { state: 'revoked' as const, boundTo: '900' },
      { state: 'unknown' as const, boundTo: null },
    ]) {
      assert.equal(checkCode(facts, '900'), 'invalid-aggregation-code');
    }
    assert.ok(IDENTITY_RULES.has('invalid-aggregation-code'));
  });

  it('wants an aggregate natural-gas meter with full access', () => {
    assert.equal(checkAggregateMeter({ ...gasMeter, aggregateMeter: true }, 'Read Write'), undefined);
    assert.equal(
      checkAggregateMeter({ ...gasMeter, aggregateMeter: false }, 'Read Write'),
      'not-aggregate-meter',
    );
    // The pending list does not carry the flag: unknown is confirmed after acceptance, not refused.
    assert.equal(checkAggregateMeter(gasMeter, 'Read Write'), undefined);
    assert.equal(checkAggregateMeter({ ...gasMeter, aggregateMeter: true }, 'Read'), 'read-only-access');
  });

  it('words its refusals without a count, a name or an account', () => {
    for (const rule of [
      'invalid-aggregation-code',
      'not-aggregate-meter',
      'building-below-threshold',
    ] as const) {
      const note = noteText(REJECTION_NOTES[rule]);
      assert.ok(note.length <= 1000);
      assert.doesNotMatch(note, /locataire|tenant|compte |account /i);
    }
  });
});
