import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCliArgs } from './cli-args.ts';

describe('the command line', () => {
  it('reads the port, the provider, the snapshot, the seed, faults and rules', () => {
    const o = parseCliArgs([
      '--port',
      '8080',
      '--provider-username',
      'energir_ws',
      '--snapshot',
      'data/sim.json',
      '--seed',
      '7',
      '--rate-limit',
      '5',
      '--error-rate',
      '0.1',
      '--error-statuses',
      '502,503',
      '--timeout-after-processing',
      '--fault-routes',
      'POST /meter/:meterId/consumptionData, GET /notification/list',
      '--future-period',
      'error',
      '--no-meter-accept-accepts-property',
    ]);
    assert.equal(o.port, 8080);
    assert.deepEqual(o.provider, { username: 'energir_ws' });
    assert.equal(o.snapshotFile, 'data/sim.json');
    assert.equal(o.seed, 7);
    assert.deepEqual(o.faults, {
      rateLimitPerSecond: 5,
      errorRate: 0.1,
      errorStatuses: [502, 503],
      timeoutAfterProcessing: true,
      routes: ['POST /meter/:meterId/consumptionData', 'GET /notification/list'],
    });
    assert.deepEqual(o.rules, { futurePeriod: 'error', acceptMeterShareAcceptsPropertyShare: false });
  });

  it('answers as EPA’s examples do unless told --friendly', () => {
    assert.equal(parseCliArgs([]).shape, undefined);
    assert.equal(parseCliArgs(['--friendly']).shape, 'friendly');
  });

  it('answers empty lists with 200 unless told --empty-lists-404', () => {
    assert.equal(parseCliArgs([]).faults?.emptyListsAs404, undefined);
    assert.equal(parseCliArgs(['--empty-lists-404']).faults?.emptyListsAs404, true);
  });

  it('refuses a value that is not a number or not a known outcome', () => {
    assert.throws(() => parseCliArgs(['--port', 'abc']), /--port needs a number/);
    assert.throws(() => parseCliArgs(['--future-period', 'maybe']), /error, warning, accept/);
    assert.throws(() => parseCliArgs(['--what']));
  });
});
