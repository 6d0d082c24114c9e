import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBillingRow } from './billing-row.ts';
import type { BillingColumn, BillingRowCheck, RawBillingRow } from './billing-row.ts';
import { rowReasonText } from './reason-text.ts';
import { GUIDE_MAY_CELLS, guideMayRow } from '../../test-support/billing-rows.ts';

const guideRow: RawBillingRow = GUIDE_MAY_CELLS;

function reasonFor(changes: RawBillingRow): string | undefined {
  return reasonOf(checkBillingRow({ ...guideRow, ...changes }));
}

function reasonOf(check: BillingRowCheck): string | undefined {
  return check.problems && rowReasonText('en', check.problems);
}

/** The guide's row with each [column, value] in place of its own is rejected for the reason given. */
function assertRejected(cases: Array<[BillingColumn, unknown, string]>): void {
  for (const [column, value, reason] of cases) assert.equal(reasonFor({ [column]: value }), reason);
}

/** A test of one column: values the guide's row is accepted with, and values rejected for the reason given. */
type ColumnTest = [
  title: string,
  column: BillingColumn,
  accepted: string[],
  rejected: Array<[string, string]>,
];

function itTestsEachColumn(tests: ColumnTest[]): void {
  for (const [title, column, accepted, rejected] of tests) {
    it(title, () => {
      for (const value of accepted) assert.equal(reasonFor({ [column]: value }), undefined, value);
      assertRejected(rejected.map(([value, reason]) => [column, value, reason]));
    });
  }
}

describe('a billing row', () => {
  it('reads the guide example with its defaults: not estimated, no cost, no RNG share, billed', () => {
    assert.deepEqual(checkBillingRow(guideRow).row, guideMayRow());
  });

  it('reads the customer an account belongs to, an identifier like a premise', () => {
    assert.equal(checkBillingRow({ ...guideRow, customer_id: ' CL-77 ' }).row?.customerId, 'CL-77');
    assert.match(reasonFor({ customer_id: 'CL 77' })!, /customer_id "CL 77" is not 1 to 40 letters/);
    assert.match(reasonFor({ customer_id: '=1+1' })!, /customer_id .* spreadsheet formula/);
  });

  it('reads where the meter is: its premise and service address, addresses with commas and quotes', () => {
    const { row } = checkBillingRow({
      ...guideRow,
      premise_id: ' PR-4455 ',
      service_address: '1000, rue "Sherbrooke" Ouest, Montréal',
    });
    assert.equal(row?.premiseId, 'PR-4455');
    assert.equal(row?.serviceAddress, '1000, rue "Sherbrooke" Ouest, Montréal');
  });

  it('rejects a premise that is not an identifier and an address that is not one printable line', () => {
    assert.match(reasonFor({ premise_id: 'PR 4455' })!, /premise_id "PR 4455" is not 1 to 40 letters/);
    assert.match(
      reasonFor({ premise_id: '=HYPERLINK(1)' })!,
      /premise_id .* looks like a spreadsheet formula/,
    );
    assert.match(reasonFor({ service_address: '@SUM(A1)' })!, /service_address .* spreadsheet formula/);
    assert.match(reasonFor({ service_address: 'a\u0007b' })!, /control or text-direction character/);
    // A right-to-left override or isolate makes an address read otherwise than it is stored.
    for (const bidi of ['\u202e', '\u2067', '\u200f'])
      assert.match(reasonFor({ service_address: `12 rue ${bidi}tseuO` })!, /text-direction character/);
    assert.match(reasonFor({ service_address: 'x'.repeat(201) })!, /longer than 200/);
    assert.match(reasonFor({ premise_id: 12 as unknown as string })!, /premise_id must be given as text/);
  });

  it('reads the optional columns, trimming cells and ignoring the case of words', () => {
    const { row } = checkBillingRow({
      ...guideRow,
      volume_m3: ' 200.125 ',
      cost: '99.10',
      estimated: 'TRUE',
      rng_percent: '12.5',
      status: 'Cancelled',
    });
    assert.equal(row?.volumeM3, '200.125');
    assert.equal(row?.cost, '99.10');
    assert.equal(row?.estimated, true);
    assert.equal(row?.rngPercent, '12.5');
    assert.equal(row?.status, 'cancelled');
  });

  it('takes blank optional cells as their defaults', () => {
    const { row } = checkBillingRow({ ...guideRow, cost: '', estimated: ' ', rng_percent: '', status: '' });
    assert.deepEqual(
      [row?.cost, row?.estimated, row?.rngPercent, row?.status],
      [null, false, null, 'billed'],
    );
  });

  it('takes JSON numbers for amounts and JSON booleans for estimated', () => {
    const { row } = checkBillingRow({
      ...guideRow,
      volume_m3: 251.5,
      cost: 120,
      rng_percent: 0,
      estimated: true,
    });
    assert.deepEqual(
      [row?.volumeM3, row?.cost, row?.rngPercent, row?.estimated],
      ['251.5', '120', '0', true],
    );
  });

  describe('identifiers, in the formats of the ESPM custom fields', () => {
    itTestsEachColumn([
      [
        'accepts account numbers of 10 or 11 digits and rejects others',
        'account_number',
        ['1111111111'],
        [
          ['111111111', 'account_number "111111111" is not 10 or 11 digits'],
          ['111111111111', 'account_number "111111111111" is not 10 or 11 digits'],
          ['1111111111A', 'account_number "1111111111A" is not 10 or 11 digits'],
        ],
      ],
      [
        'accepts invoice numbers of exactly 12 digits',
        'invoice_number',
        [],
        [
          ['33333333333', 'invoice_number "33333333333" is not 12 digits'],
          ['3333 3333 3333', 'invoice_number "3333 3333 3333" is not 12 digits'],
        ],
      ],
      [
        'accepts meter numbers of 7 to 18 letters or digits',
        'meter_number',
        ['AB12345', 'A'.repeat(18)],
        [
          ['222222', 'meter_number "222222" is not 7 to 18 letters or digits'],
          ['2222-222', 'meter_number "2222-222" is not 7 to 18 letters or digits'],
          ['A'.repeat(19), `meter_number "${'A'.repeat(19)}" is not 7 to 18 letters or digits`],
        ],
      ],
    ]);

    it('rejects cells that a spreadsheet would run as formulas', () => {
      assertRejected([
        [
          'account_number',
          '=HYPERLINK("http://x","11111111111")',
          'account_number "=HYPERLINK(\\"http://x\\",\\"11111111111\\")" looks like a spreadsheet formula',
        ],
        [
          'invoice_number',
          '+333333333333',
          'invoice_number "+333333333333" looks like a spreadsheet formula',
        ],
        ['meter_number', '-2222222', 'meter_number "-2222222" looks like a spreadsheet formula'],
        ['meter_number', '@SUM(A1)', 'meter_number "@SUM(A1)" looks like a spreadsheet formula'],
        ['period_start', '=TODAY()', 'period_start "=TODAY()" looks like a spreadsheet formula'],
        ['volume_m3', '=A1*2', 'volume_m3 "=A1*2" looks like a spreadsheet formula'],
      ]);
    });

    it('wants identifiers as text in JSON, since a number loses leading zeros', () => {
      assertRejected([
        ['account_number', 11111111111, 'account_number must be given as text, not a number'],
        ['meter_number', true, 'meter_number must be given as text, not a boolean'],
        ['invoice_date', { y: 2021 }, 'invoice_date must be given as text, not an object'],
      ]);
    });

    it('cuts a huge value short in the reason', () => {
      const reason = reasonFor({ meter_number: 'x'.repeat(10_000) });
      assert.equal(reason, `meter_number "${'x'.repeat(40)}…" is not 7 to 18 letters or digits`);
    });
  });

  describe('dates', () => {
    it('wants YYYY-MM-DD', () => {
      assertRejected([
        ['invoice_date', '2021/06/20', 'invoice_date "2021/06/20" is not a date written YYYY-MM-DD'],
        ['invoice_date', '20-06-2021', 'invoice_date "20-06-2021" is not a date written YYYY-MM-DD'],
        ['period_start', '2021-5-17', 'period_start "2021-5-17" is not a date written YYYY-MM-DD'],
      ]);
    });

    it('wants real calendar dates, leap days included', () => {
      assert.equal(reasonFor({ period_start: '2020-02-29', period_end: '2020-03-28' }), undefined);
      assertRejected([
        ['period_start', '2021-02-29', 'period_start 2021-02-29 is not a real calendar date'],
        ['period_end', '2100-02-29', 'period_end 2100-02-29 is not a real calendar date'],
        ['invoice_date', '2021-04-31', 'invoice_date 2021-04-31 is not a real calendar date'],
        ['invoice_date', '2021-13-01', 'invoice_date 2021-13-01 is not a real calendar date'],
        ['invoice_date', '0000-01-01', 'invoice_date 0000-01-01 is not a real calendar date'],
      ]);
    });

    it('wants the period to end on or after its start', () => {
      assert.equal(reasonFor({ period_start: '2021-06-17', period_end: '2021-06-17' }), undefined);
      assert.equal(
        reasonFor({ period_start: '2024-02-01', period_end: '2024-01-31' }),
        'period_end 2024-01-31 is before period_start 2024-02-01',
      );
    });
  });

  describe('amounts, with a decimal point', () => {
    itTestsEachColumn([
      [
        'wants a volume of zero or more with at most 3 decimals',
        'volume_m3',
        ['0', '251.125'],
        [
          ['-1', 'volume_m3 -1 is negative'],
          ['251.1255', 'volume_m3 251.1255 has more than 3 decimals'],
          ['251,5', 'volume_m3 "251,5" uses a comma; decimals use a point'],
          ['1 251', 'volume_m3 "1 251" is not a number'],
          ['1e3', 'volume_m3 "1e3" is not a number'],
          ['123456789012', 'volume_m3 "123456789012" is too large'],
        ],
      ],
      [
        'wants a cost with at most 2 decimals; a credit may be negative',
        'cost',
        ['-12.50'],
        [
          ['12.505', 'cost 12.505 has more than 2 decimals'],
          ['12$', 'cost "12$" is not a number'],
        ],
      ],
      [
        'wants an RNG share from 0 to 100 with at most 2 decimals',
        'rng_percent',
        ['100'],
        [
          ['100.01', 'rng_percent 100.01 is above 100'],
          ['5.125', 'rng_percent 5.125 has more than 2 decimals'],
          ['-5', 'rng_percent -5 is negative'],
        ],
      ],
    ]);
  });

  it('wants estimated as true or false and status as billed or cancelled', () => {
    assertRejected([
      ['estimated', 'yes', 'estimated "yes" is neither true nor false'],
      ['estimated', 1, 'estimated "1" is neither true nor false'],
      ['status', 'void', 'status "void" is neither billed nor cancelled'],
    ]);
  });

  it('names every missing required column, and every problem of the row in one reason', () => {
    assert.equal(
      reasonOf(checkBillingRow({})),
      'account_number is missing; invoice_number is missing; invoice_date is missing; meter_number is missing; ' +
        'period_start is missing; period_end is missing; volume_m3 is missing',
    );
    assert.equal(
      reasonFor({ account_number: '123', volume_m3: '' }),
      'account_number "123" is not 10 or 11 digits; volume_m3 is missing',
    );
  });
});
