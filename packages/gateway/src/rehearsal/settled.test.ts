import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordedExchange } from './exchange-recorder.ts';
import { observeFacts, sameAsSimulator } from './settled.ts';

let seq = 0;
const exchange = (
  x: Partial<RecordedExchange> & Pick<RecordedExchange, 'method' | 'path'>,
): RecordedExchange => ({
  seq: ++seq,
  step: 'shares',
  at: '2026-12-07T00:00:00Z',
  durationMs: 1,
  username: 'utility',
  requestHeaders: {},
  requestBody: '',
  status: 200,
  responseHeaders: {},
  responseBody: '',
  ...x,
});

describe('what ESPM settled, read from the recorded exchanges', () => {
  it('tells an empty list answered 404 from one answered 200', () => {
    const facts = observeFacts([
      exchange({
        method: 'GET',
        path: '/wstest/connect/account/pending/list',
        status: 404,
        responseBody: '<response status="Error"/>',
      }),
      exchange({
        method: 'GET',
        path: '/wstest/share/meter/pending/list?page=1',
        responseBody: '<pendingList/>',
      }),
    ]);
    assert.deepEqual(facts['empty-list'].seen, [{ kind: 'empty-list-404' }, { kind: 'empty-list-200' }]);
    assert.equal(sameAsSimulator(facts['empty-list']), false);
  });

  it('does not take a list with items for an empty one', () => {
    const facts = observeFacts([
      exchange({
        method: 'GET',
        path: '/wstest/connect/account/pending/list',
        responseBody: '<pendingList><account><accountId>1</accountId></account></pendingList>',
      }),
    ]);
    assert.deepEqual(facts['empty-list'].seen, []);
    assert.equal(sameAsSimulator(facts['empty-list']), undefined);
  });

  it('sees a 429 without Retry-After, and the pending meter list’s aggregateMeter', () => {
    const facts = observeFacts([
      exchange({ method: 'GET', path: '/wstest/customer/list', status: 429 }),
      exchange({
        method: 'GET',
        path: '/wstest/share/meter/pending/list',
        responseBody:
          '<pendingList><meter><meterInfo><aggregateMeter>false</aggregateMeter></meterInfo></meter></pendingList>',
      }),
    ]);
    assert.deepEqual(facts['rate-limit'].seen, [{ kind: 'rate-limited', retryAfter: false }]);
    // The simulator answers 429 as EPA documents it, without Retry-After.
    assert.equal(sameAsSimulator(facts['rate-limit']), true);
    assert.deepEqual(facts['pending-meter-aggregate'].seen, [{ kind: 'aggregate-meter-carried' }]);
  });

  it('reads the consumption POST’s answer: entries with dates, or links with or without ids', () => {
    const post = (body: string) =>
      observeFacts([
        exchange({ method: 'POST', path: '/wstest/meter/5/consumptionData', responseBody: body }),
      ])['consumption-post-answer'].seen[0]?.kind;
    assert.equal(
      post('<meterData><meterConsumption><startDate>2026-01-01</startDate></meterConsumption></meterData>'),
      'entries-with-dates',
    );
    assert.equal(
      post('<meterData><links><link id="9" link="/consumptionData/9"/></links></meterData>'),
      'links-with-ids',
    );
    assert.equal(
      post('<meterData><links><link link="/consumptionData/9"/></links></meterData>'),
      'links-ids-in-paths',
    );
  });
});
