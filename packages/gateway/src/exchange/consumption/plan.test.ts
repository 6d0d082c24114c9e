import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GUIDE, GUIDE_PERIODS, GUIDE_PERIOD_BEFORE_WINDOW } from '../../../test-support/guide-example.ts';
import type { LinkWindow, PlannedPeriod, SentEntry } from './plan.ts';
import { monthsBefore, planLinkSync, sharedDays } from './plan.ts';
import { convertFromCubicMeters, sameDecimal } from './units.ts';

const period = (
  start: string,
  end: string,
  m3: number,
  extra: Partial<PlannedPeriod> = {},
): PlannedPeriod => ({
  meterNumber: GUIDE.meterNumber,
  periodStart: start,
  periodEnd: end,
  volumeM3: String(m3),
  cost: null,
  estimated: false,
  rngPercent: null,
  status: 'billed',
  revision: 1,
  billedAt: new Date('2023-04-01T00:00:00Z'),
  ...extra,
});
const guidePeriods = [GUIDE_PERIOD_BEFORE_WINDOW, ...GUIDE_PERIODS].map(([s, e, v]) => period(s, e, v));
const window: LinkWindow = {
  historyFrom: monthsBefore(GUIDE.acceptedOn, GUIDE.initialLoad),
  firstBillDate: '2020-01-01',
  unit: 'cm (Cubic meters)',
  sendCost: false,
  providerUsername: 'gaz_provider',
  heldBack: new Set(),
  contentDecides: false,
};

describe('the history sent on acceptance', () => {
  it('is the guide’s 23 periods for 24 months accepted on 2023-04-19', () => {
    assert.equal(window.historyFrom, '2021-04-19');
    const plan = planLinkSync(guidePeriods, [], window, []);
    assert.equal(plan.creates.length, 23);
    assert.deepEqual(plan.creates[0]!.entry, {
      startDate: '2021-04-16',
      endDate: '2021-05-16',
      usage: '251',
      estimatedValue: false,
    });
    assert.equal(plan.creates[22]!.entry.startDate, '2023-03-08');
  });

  it('is nothing for an initial load of 0', () => {
    const plan = planLinkSync(
      guidePeriods,
      [],
      { ...window, historyFrom: monthsBefore(GUIDE.acceptedOn, 0) },
      [],
    );
    assert.equal(plan.creates.length, 0);
  });

  it('leaves out periods ending before the meter’s first bill date', () => {
    const plan = planLinkSync(guidePeriods, [], { ...window, firstBillDate: '2022-01-01' }, []);
    assert.equal(plan.beforeFirstBill.length, 8);
    assert.equal(plan.creates.length, 15);
  });
});

describe('each later run', () => {
  const sentAll: SentEntry[] = GUIDE_PERIODS.map(([s, , v], i) => ({
    id: i + 1,
    periodStart: s,
    espmEntryId: String(9000 + i),
    usage: String(v),
    estimated: false,
    rngPercent: null,
    cost: null,
    billingRevision: 1,
    withheld: false,
  }));

  it('sends only the new period', () => {
    const plan = planLinkSync(
      [...guidePeriods, period('2023-04-09', '2023-05-09', 240)],
      sentAll,
      window,
      undefined,
    );
    assert.deepEqual(
      plan.creates.map((c) => c.entry.startDate),
      ['2023-04-09'],
    );
    assert.equal(plan.updates.length + plan.deletes.length, 0);
  });

  it('updates a corrected period in place and deletes a cancelled one', () => {
    const periods = guidePeriods.map((p) =>
      p.periodStart === '2022-01-25'
        ? { ...p, volumeM3: '290.5', revision: 2 }
        : p.periodStart === '2022-02-26'
          ? { ...p, status: 'cancelled' as const, revision: 2 }
          : p.periodStart === '2022-03-27'
            ? { ...p, revision: 2 }
            : p,
    );
    const plan = planLinkSync(periods, sentAll, window, undefined);
    assert.deepEqual(
      plan.updates.map((u) => [u.sent.espmEntryId, u.entry.usage]),
      [['9009', '290.5']],
    );
    assert.deepEqual(
      plan.deletes.map((d) => d.sent.espmEntryId),
      ['9010'],
    );
    assert.equal(plan.unchangedRevisions.length, 1);
    assert.equal(plan.creates.length, 0);
  });

  it('compares a building’s months by content, having no revision: a changed total is updated in place', () => {
    const months = guidePeriods.map((p) => ({ ...p, meterNumber: null, revision: 0 }));
    const sent = sentAll.map((e) => ({ ...e, billingRevision: 0 }));
    const corrected = months.map((p) => (p.periodStart === '2022-01-25' ? { ...p, volumeM3: '300.25' } : p));
    const buildingWindow = { ...window, contentDecides: true };
    assert.deepEqual(planLinkSync(months, sent, buildingWindow, undefined).updates, []);
    const plan = planLinkSync(corrected, sent, buildingWindow, undefined);
    assert.deepEqual(
      plan.updates.map((u) => [u.sent.espmEntryId, u.entry.usage]),
      [['9009', '300.25']],
    );
    assert.equal(plan.creates.length + plan.unchangedRevisions.length, 0);
  });
});

describe('a meter that already holds entries', () => {
  it('adopts entries that match, and holds back periods overlapping the customer’s own bills', () => {
    const espm = [
      {
        id: '1',
        startDate: '2021-04-16',
        endDate: '2021-05-16',
        usage: '251.000',
        audit: { createdBy: 'gaz_provider' },
      },
      {
        id: '2',
        startDate: '2022-01-01',
        endDate: '2022-01-31',
        usage: '300',
        audit: { createdBy: 'code201' },
      },
      // sharing exactly one day with a period is allowed
      {
        id: '3',
        startDate: '2023-04-08',
        endDate: '2023-04-30',
        usage: '50',
        audit: { createdBy: 'code201' },
      },
    ];
    const plan = planLinkSync(guidePeriods, [], window, espm);
    assert.deepEqual(
      plan.adoptions.map((a) => a.espm.id),
      ['1'],
    );
    assert.deepEqual(
      plan.conflicts.map((c) => c.period.periodStart),
      ['2021-12-24', '2022-01-25'],
    );
    assert.equal(plan.creates.length, 23 - 1 - 2);
  });

  it('in conflict, holds back only the overlapped periods, even corrected, and sends the rest', () => {
    const held = new Set(['2021-12-24', '2022-01-25']);
    const corrected = guidePeriods.map((p) =>
      held.has(p.periodStart) ? { ...p, volumeM3: '1', revision: 2 } : p,
    );
    const next = period('2023-04-09', '2023-05-09', 222);
    const plan = planLinkSync([...corrected, next], [], { ...window, heldBack: held }, undefined);
    const starts = plan.creates.map((c) => c.period.periodStart);
    assert.ok(!starts.some((s) => held.has(s)));
    assert.equal(plan.creates.length, 23 - 2 + 1);
    assert.ok(starts.includes('2023-04-09'));
  });
});

describe('units', () => {
  it('converts m³ exactly into every natural gas unit', () => {
    for (const [m3, unit, converted] of [
      ['251', 'cm (Cubic meters)', '251'],
      ['100', 'cf (cubic feet)', '3531.47'],
      ['100', 'ccf (hundred cubic feet)', '35.3147'],
      ['100', 'kcf (thousand cubic feet)', '3.53147'],
      ['1000', 'MCF(million cubic feet)', '0.0353147'],
      ['100', 'kBtu (thousand Btu)', '3642'],
      ['100', 'MBtu (million Btu)', '3.642'],
      ['100', 'therms', '36.42'],
      ['100', 'GJ', '3.842513903'],
      ['0.001', 'MCF(million cubic feet)', '0.000000035'],
    ] as const)
      assert.equal(convertFromCubicMeters(m3, unit), converted, `${m3} m³ in ${unit}`);
  });
  it('compares decimals by value', () => {
    assert.equal(sameDecimal('251', '251.000'), true);
    assert.equal(sameDecimal('251', '251.001'), false);
  });
});

describe('dates', () => {
  it('counts months back to the same day, or the month’s last day', () => {
    assert.equal(monthsBefore('2023-04-19', 24), '2021-04-19');
    assert.equal(monthsBefore('2024-03-31', 1), '2024-02-29');
    assert.equal(monthsBefore('2023-01-15', 13), '2021-12-15');
  });
  it('counts shared days inclusively', () => {
    assert.equal(sharedDays('2021-04-16', '2021-05-16', '2021-05-16', '2021-06-16'), 1);
    assert.equal(sharedDays('2021-04-16', '2021-05-16', '2021-05-17', '2021-06-16'), 0);
    assert.equal(sharedDays('2021-04-16', '2021-05-16', '2021-05-10', '2021-06-16'), 7);
  });
});
