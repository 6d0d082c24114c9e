import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { buildMeterData, parseNotificationList, parseResponse } from '../espm.ts';
import type { Simulator } from '../index.ts';
import {
  asProvider,
  call,
  monthlyEntries,
  sharedMeter,
  simJson,
  testSimulator,
} from '../../test-support/index.ts';
import { FaultInjector } from './faults.ts';

describe('the fault injector on its own', () => {
  it('refills its token bucket at the configured rate, saying how long to wait only in the friendly shape', () => {
    for (const friendly of [false, true]) {
      let now = 0;
      const f = new FaultInjector({ rateLimitPerSecond: 2, rateLimitBurst: 2 }, 1, () => now, friendly);
      assert.equal(f.decide().kind, 'pass');
      assert.equal(f.decide().kind, 'pass');
      const refused = f.decide();
      assert.equal(refused.kind, 'reject');
      assert.equal(refused.kind === 'reject' && refused.error.status, 429);
      // EPA's error page documents 429 without Retry-After.
      assert.deepEqual(
        refused.kind === 'reject' && refused.error.headers,
        friendly ? { 'Retry-After': '1' } : {},
      );
      now = 500;
      assert.equal(f.decide().kind, 'pass', 'half a second gives one token back');
    }
  });

  it('says how long maintenance lasts only in the friendly shape (EPA documents no Retry-After)', () => {
    const until = new Date(60_000).toISOString();
    const headersOf = (retryAfter: boolean) => {
      const d = new FaultInjector({ maintenanceUntil: until }, 1, () => 0, retryAfter).decide();
      assert.equal(d.kind === 'reject' && d.error.status, 502);
      return d.kind === 'reject' ? d.error.headers : undefined;
    };
    assert.deepEqual(headersOf(false), {});
    assert.deepEqual(headersOf(true), { 'Retry-After': '60' });
  });

  it('draws the same faults again from the same seed', () => {
    const run = () => {
      const f = new FaultInjector({ errorRate: 0.3, malformedRate: 0.3 }, 99);
      return Array.from({ length: 30 }, () => {
        const d = f.decide();
        return d.kind === 'reject' ? d.error.status : d.kind === 'pass' && d.malformed ? 'cut' : 'ok';
      });
    };
    assert.deepEqual(run(), run());
  });
});

describe('faults on the provider calls', () => {
  let sim: Simulator;
  let meterId: string;
  before(async () => {
    sim = await testSimulator();
    ({ meterId } = await sharedMeter(sim, 'pannes'));
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.clearFaults();
    sim.resetRequests();
  });
  const list = () => asProvider(sim).get('/notification/list?clear=false');

  it('adds latency to provider calls only', async () => {
    await simJson(sim, 'PUT', '/sim/faults', undefined, { latencyMs: 150 });
    let t = Date.now();
    assert.equal((await list()).status, 200);
    assert.ok(Date.now() - t >= 140, 'the provider waited');
    t = Date.now();
    await simJson(sim, 'GET', '/sim/state');
    assert.ok(Date.now() - t < 140, 'the control API did not');
  });

  it('rate-limits with 429 and a -200 envelope, without Retry-After as EPA documents it', async () => {
    sim.setFaults({ rateLimitPerSecond: 1, rateLimitBurst: 2 });
    const statuses = [];
    let limited;
    for (let i = 0; i < 4; i++) {
      const r = await list();
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    assert.deepEqual(statuses, [200, 200, 429, 429]);
    assert.equal(limited!.headers.get('retry-after'), null);
    assert.equal(parseResponse(limited!.body).errors[0]!.errorNumber, '-200');
    assert.equal(sim.requests().provider.byStatus['429'], 2);
  });

  it('answers a seeded share of 5xx, the same share for the same seed', async () => {
    const run = async () => {
      sim.setFaults({ errorRate: 0.4, seed: 42 });
      const out = [];
      for (let i = 0; i < 15; i++) out.push((await list()).status);
      return out;
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    assert.ok(first.some((s) => s === 200));
    assert.ok(first.some((s) => s >= 500));
    assert.ok(
      first.every((s) => [200, 500, 502, 503].includes(s)),
      first.join(','),
    );
  });

  it('never answers a timed-out request', async () => {
    sim.setFaults({ timeoutRate: 1 });
    await assert.rejects(
      call(sim, 'GET', '/notification/list', sim.provider, undefined, AbortSignal.timeout(300)),
      {
        name: 'TimeoutError',
      },
    );
    assert.equal(sim.requests().provider.byStatus.timeout, 1);
  });

  it('can time out after the consumption entries were created', async () => {
    sim.setFaults({
      timeoutRate: 1,
      timeoutAfterProcessing: true,
      routes: ['POST /meter/:meterId/consumptionData'],
    });
    const body = buildMeterData(monthlyEntries(3, '2024-01-01'));
    await assert.rejects(
      call(sim, 'POST', `/meter/${meterId}/consumptionData`, sim.provider, body, AbortSignal.timeout(300)),
    );
    assert.equal(sim.state().consumption.filter((e) => e.meterId === meterId).length, 3);
    assert.equal((await list()).status, 200, 'other routes are not affected');
  });

  it('cuts answers so their XML is malformed', async () => {
    sim.setFaults({ malformedRate: 1 });
    const r = await list();
    assert.equal(r.status, 200);
    assert.throws(() => parseNotificationList(r.body));
  });

  it('answers 502 during a maintenance window as EPA documents, and the control API still works', async () => {
    const until = new Date(Date.now() + 30_000).toISOString();
    const put = await simJson(sim, 'PUT', '/sim/faults', undefined, { maintenanceUntil: until });
    assert.equal(put.status, 200);
    const r = await list();
    assert.equal(r.status, 502);
    assert.equal(r.headers.get('retry-after'), null);
    assert.equal((await simJson(sim, 'DELETE', '/sim/faults')).status, 200);
    assert.equal((await list()).status, 200);
  });

  it('refuses an unknown or out-of-range fault setting', async () => {
    assert.equal((await simJson(sim, 'PUT', '/sim/faults', undefined, { errorRate: 2 })).status, 400);
    assert.equal((await simJson(sim, 'PUT', '/sim/faults', undefined, { explode: true })).status, 400);
  });

  it('counts provider requests per route and status, apart from the customer side', async () => {
    await list();
    await asProvider(sim).get('/meter/1');
    const counts = sim.requests();
    assert.equal(counts.provider.byRoute['GET /notification/list'], 1);
    assert.deepEqual(counts.provider.byRouteAndStatus['GET /meter/:meterId'], { 404: 1 });
    assert.equal(counts.others.total, 0);
  });
});
