// The rehearsal against the simulator, end to end, with each customer side: it must keep passing, so
// that on day one against ESPM's test environment only ESPM's own answers can make it fail.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '@gaz-espm/espm-simulator';
import type { Store } from '../store/database.ts';
import { openTestStore } from '../../test-support/test-store.ts';
import { apiSide } from './api-side.ts';
import type { RehearsalResult } from './rehearsal.ts';
import { rehearse } from './rehearsal.ts';
import { renderReport } from './report.ts';
import { FACT_IDS, SIMULATOR_ANSWERS } from './settled.ts';
import { STEP_IDS } from './steps.ts';
import { assertEveryStepPassed, espmOf, simulatorWithCustomer } from './test-simulator.ts';

describe('the rehearsal against the simulator, customer side "api" (EPA’s Test-only services)', () => {
  let sim: Simulator;
  let store: Store;
  let result: RehearsalResult;
  let customer: { username: string; password: string };

  before(async () => {
    // The customer list limited to one call a second: the rehearsal meets ESPM's rate limit once or twice.
    const s = await simulatorWithCustomer({
      faults: { rateLimitPerSecond: 1, rateLimitBurst: 1, routes: ['GET /customer/list'] },
    });
    sim = s.sim;
    customer = s;
    store = await openTestStore();
    result = await rehearse({
      espm: espmOf(sim),
      customer,
      side: (services) => apiSide(services),
      store,
    });
  });
  after(async () => {
    await store.close();
    await sim.close();
  });

  it('passes every step, in the guide’s order', () => {
    assert.deepEqual(
      result.steps.map((s) => s.id),
      STEP_IDS,
    );
    assertEveryStepPassed(result);
    assert.equal(result.passed, true);
  });

  it('leaves the provider with no customer, and the customer’s meter shares ended', () => {
    const state = sim.state();
    assert.equal(state.connections.filter((c) => c.status === 'accepted').length, 0);
    assert.equal(state.meterShares.filter((s) => s.status === 'accepted').length, 0);
  });

  it('sees in ESPM what the simulator says it does', () => {
    for (const id of FACT_IDS) assert.deepEqual(result.facts[id].seen, SIMULATOR_ANSWERS[id], id);
  });

  it('reports every step, every exchange with its credentials masked, and what ESPM settled', () => {
    const page = renderReport(result, 'en', { passwords: [customer.password, sim.provider.password] });
    for (const id of STEP_IDS) assert.match(page, new RegExp(`id="step-${id}"`));
    assert.match(page, /What ESPM settled/);
    assert.match(page, /Every step passed/);
    assert.ok(result.exchanges.length > 20);
    assert.equal(page.includes(customer.password), false);
    assert.equal(page.includes(sim.provider.password), false);
    assert.equal(
      page.includes(Buffer.from(`${customer.username}:${customer.password}`).toString('base64')),
      false,
    );
    assert.match(page, /Basic •+ \(repetition_client\)/);
    assert.match(page, /POST \/wstest\/meter\/\d+\/consumptionData/);
    const fr = renderReport(result, 'fr', { passwords: [] });
    assert.match(fr, /Ce qu’ESPM a tranché/);
  });
});
