import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchContext } from './consumption-rules.ts';
import { checkBatch, sharedDays } from './consumption-rules.ts';

const ctx: BatchContext = {
  firstBillDate: '2020-01-01',
  today: '2025-06-15',
  rules: { startBeforeFirstBillDate: 'accept', futurePeriod: 'accept' },
};
const entry = (startDate: string, endDate: string, usage = '100') => ({ startDate, endDate, usage });

describe('consumption entry rules', () => {
  it('counts the days two bills have in common, both ends included', () => {
    assert.equal(sharedDays(entry('2024-01-01', '2024-01-31'), entry('2024-01-31', '2024-02-29')), 1);
    assert.equal(sharedDays(entry('2024-01-01', '2024-01-31'), entry('2024-02-01', '2024-02-29')), 0);
    assert.equal(sharedDays(entry('2024-01-01', '2024-01-31'), entry('2024-01-15', '2024-02-14')), 17);
  });

  it('lets consecutive bills share exactly one day', () => {
    const v = checkBatch(
      [entry('2024-01-31', '2024-02-29')],
      [{ id: '1', ...entry('2024-01-01', '2024-01-31') }],
      ctx,
    );
    assert.deepEqual(v.errors, []);
  });

  it('refuses a bill overlapping an existing one by more than a day, naming both', () => {
    const v = checkBatch(
      [entry('2024-01-30', '2024-02-29')],
      [{ id: '9', ...entry('2024-01-01', '2024-01-31') }],
      ctx,
    );
    assert.equal(v.errors.length, 1);
    assert.match(
      v.errors[0]!,
      /^Consumption entry 2024-01-30–2024-02-29: .*2024-01-01–2024-01-31 \(id 9\) by 2 days/,
    );
  });

  it('refuses bills of one request that overlap each other, one error per bad bill', () => {
    const v = checkBatch(
      [
        entry('2024-01-01', '2024-01-31'),
        entry('2024-01-20', '2024-02-20'),
        entry('2024-03-01', '2024-03-31'),
      ],
      [],
      ctx,
    );
    assert.equal(v.errors.length, 2);
    assert.match(v.errors[0]!, /2024-01-01–2024-01-31.*same request/);
    assert.match(v.errors[1]!, /2024-01-20–2024-02-20.*same request/);
  });

  it('refuses an end before the start, a negative usage and a missing usage', () => {
    const v = checkBatch(
      [
        entry('2024-02-01', '2024-01-01'),
        entry('2024-03-01', '2024-03-31', '-5'),
        entry('2024-04-01', '2024-04-30', ''),
      ],
      [],
      ctx,
    );
    assert.deepEqual(
      v.errors.map((e) => e.split(': ')[1]),
      ['the end date is before the start date.', 'the usage is negative.', 'the usage is missing.'],
    );
  });

  it('treats a start before the first bill date and a future period as configured', () => {
    const batch = [entry('2019-12-01', '2019-12-31'), entry('2025-06-01', '2025-06-30')];
    assert.deepEqual(checkBatch(batch, [], ctx).errors, []);
    const warn = checkBatch(batch, [], {
      ...ctx,
      rules: { startBeforeFirstBillDate: 'warning', futurePeriod: 'warning' },
    });
    assert.deepEqual(warn.errors, []);
    assert.match(warn.warnings[0]![0]!, /first bill date/);
    assert.match(warn.warnings[1]![0]!, /future/);
    const err = checkBatch(batch, [], {
      ...ctx,
      rules: { startBeforeFirstBillDate: 'error', futurePeriod: 'error' },
    });
    assert.equal(err.errors.length, 2);
  });
});
