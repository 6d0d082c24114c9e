import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildingMonths } from './building-months.ts';
import { roundedCubicMetres } from './decimal-fraction.ts';
import type { BuildingPeriod } from './monthly-totals.ts';
import { monthlyTotals } from './monthly-totals.ts';

const RULE = { minCustomers: 2, maxCustomerPercent: 80, settlementDays: 0 };

function period(meter: string, account: string, start: string, end: string, volume: string): BuildingPeriod {
  return {
    meterNumber: meter,
    accountNumber: account,
    periodStart: start,
    periodEnd: end,
    volumeM3: volume,
    estimated: false,
    customerId: null,
    ownerHeld: false,
    fromMonth: null,
    untilMonth: null,
  };
}

describe('a building’s monthly totals', () => {
  it('prorates a period by day onto the calendar months it spans, exactly', () => {
    // 2021-04-16..2021-05-16: 31 days, 15 in April and 16 in May.
    const [april, may] = monthlyTotals(
      [period('A1', '1000000001', '2021-04-16', '2021-05-16', '251')],
      '2021-07-01',
    );
    assert.equal(april!.month, '2021-04-01');
    assert.equal(roundedCubicMetres(april!.litres), '121.452'); // 251 × 15/31 = 121.4516…
    assert.equal(roundedCubicMetres(may!.litres), '129.548'); // 251 × 16/31 = 129.5483…
    // The two halves are the bill, to the litre, before any rounding.
    assert.equal(april!.litres.den, 31n);
    assert.equal(april!.litres.num + may!.litres.num, 251_000n * 31n);
  });

  it('rounds a month once, half up, from the sum of its exact shares', () => {
    // Two meters each give 0.0005 m³ to January: rounded apart they would give 0.002, together 0.001.
    const months = buildingMonths(
      [
        period('A1', '1000000001', '2021-01-31', '2021-02-01', '0.001'),
        period('A2', '1000000002', '2021-01-31', '2021-02-01', '0.001'),
      ],
      '2021-03-15',
      RULE,
    );
    assert.equal(months[0]!.volumeM3, '0.001');
  });

  it('waits for every meter active in the month: a month is complete once all its days are billed', () => {
    const periods = [
      period('A1', '1000000001', '2021-01-01', '2021-01-31', '100'),
      period('A1', '1000000001', '2021-02-01', '2021-02-28', '100'),
      // Billed every two months, its February comes with its next bill.
      period('B1', '1000000002', '2020-12-15', '2021-02-14', '120'),
    ];
    const months = buildingMonths(periods, '2021-03-10', RULE);
    assert.deepEqual(
      months.map((m) => [m.month, m.withheld]),
      [
        ['2020-12-01', 'too-few-customers'], // only B1 consumed in December
        ['2021-01-01', null],
        ['2021-02-01', 'incomplete'],
      ],
    );
  });

  it('counts a meter that starts or stops mid-month for its days only, once its end is behind us', () => {
    const periods = [
      period('A1', '1000000001', '2021-01-01', '2021-03-31', '90'),
      // Moved in on 2021-01-10.
      period('B1', '1000000002', '2021-01-10', '2021-02-09', '31'),
      // Moved out on 2021-02-09: not billed since; after 92 days the meter has ended.
    ];
    const early = buildingMonths(periods, '2021-04-02', RULE);
    assert.deepEqual(
      early.map((m) => [m.month, m.withheld, m.meters]),
      [
        ['2021-01-01', null, 2],
        ['2021-02-01', 'incomplete', 2],
        ['2021-03-01', 'incomplete', 2],
      ],
    );
    const later = buildingMonths(periods, '2021-06-01', RULE);
    assert.deepEqual(
      later.map((m) => [m.month, m.withheld, m.meters, m.volumeM3]),
      [
        ['2021-01-01', null, 2, '53.000'], // 31 days of A1 (1 m³ a day) and 22 of B1
        // 28 of A1 and 9 of B1: billed for less than half of February, B1 gives no cover.
        ['2021-02-01', 'too-few-customers', 2, '37.000'],
        ['2021-03-01', 'too-few-customers', 1, '31.000'],
        // A1 was billed to the end of March, too recently to have ended: its April bill may still come.
        ['2021-04-01', 'incomplete', 1, '0.000'],
        ['2021-05-01', 'incomplete', 1, '0.000'],
      ],
    );
  });

  it('lets two bills of one meter share their boundary day, each spreading its own volume', () => {
    const months = monthlyTotals(
      [
        period('A1', '1000000001', '2021-01-01', '2021-01-31', '31'),
        period('A1', '1000000001', '2021-01-31', '2021-02-28', '29'),
      ],
      '2021-03-05',
    );
    assert.deepEqual(
      months.map((m) => [roundedCubicMetres(m.litres), m.complete]),
      [
        ['32.000', true],
        ['28.000', true],
      ],
    );
  });

  it('waits the settlement delay after a complete month before it may be written', () => {
    const periods = [
      period('A1', '1000000001', '2021-01-01', '2021-01-31', '31'),
      period('B1', '1000000002', '2021-01-01', '2021-01-31', '31'),
    ];
    const rule = { ...RULE, settlementDays: 45 };
    assert.equal(buildingMonths(periods, '2021-03-17', rule)[0]!.withheld, 'unsettled'); // 45 days after
    assert.equal(buildingMonths(periods, '2021-03-18', rule)[0]!.withheld, null);
  });

  it('counts customers: one customer’s accounts once, the owner’s own never', () => {
    const periods = [
      { ...period('A1', '1000000001', '2021-01-01', '2021-01-31', '31'), customerId: 'C1' },
      { ...period('A2', '1000000002', '2021-01-01', '2021-01-31', '31'), customerId: 'C1' },
      { ...period('A3', '1000000003', '2021-01-01', '2021-01-31', '31'), ownerHeld: true },
    ];
    const [january] = buildingMonths(periods, '2021-03-20', RULE);
    assert.equal(january!.customers, 1);
    assert.equal(january!.withheld, 'too-few-customers');
    assert.equal(january!.volumeM3, '93.000'); // the owner's volume is in the total all the same
  });

  it('counts a premise only in its months in the building: added for March, removed after April', () => {
    const joined = { fromMonth: '2021-03-01', untilMonth: '2021-04-01' };
    const periods = [
      period('A1', '1000000001', '2021-01-01', '2021-05-31', '151'),
      // Billed from mid-February to mid-March: only its March days are the building's.
      { ...period('B1', '1000000002', '2021-02-15', '2021-03-16', '30'), ...joined },
      { ...period('B1', '1000000002', '2021-03-17', '2021-05-31', '76'), ...joined },
    ];
    const months = buildingMonths(periods, '2021-09-15', RULE);
    assert.deepEqual(
      months.map((m) => [m.month, m.meters, m.volumeM3, m.complete]),
      [
        ['2021-01-01', 1, '31.000', true],
        ['2021-02-01', 1, '28.000', true],
        ['2021-03-01', 2, '62.000', true], // 31 of A1, 16 + 15 of B1
        ['2021-04-01', 2, '60.000', true],
        ['2021-05-01', 1, '31.000', true],
      ],
    );
  });

  it('sends no month that is not over', () => {
    const months = monthlyTotals(
      [period('A1', '1000000001', '2021-01-01', '2021-01-31', '31')],
      '2021-01-31',
    );
    assert.deepEqual(months, []);
  });
});
