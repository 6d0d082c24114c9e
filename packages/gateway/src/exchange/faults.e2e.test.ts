// ESPM misbehaving during a run: rate limits, server errors, and a POST whose answer never comes.
// Whatever happens, each period ends up in ESPM exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GUIDE_PERIODS, guideAnswers, guideBillingRows } from '../../test-support/guide-example.ts';
import type { Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import type { EspmClient } from '@gaz-espm/espm';
import { syncLink } from './consumption/sync-link.ts';
import { runCycle } from './cycle.ts';

describe('a sync run while ESPM misbehaves', () => {
  let h: Harness;
  let n = 0;

  before(async () => {
    h = await startHarness();
    await h.importAccepted(guideBillingRows());
  });
  after(() => h.close());

  async function sharedMeter() {
    const customer = await h.customer(`faulty${++n}`);
    const { meterId } = await h.shareNewMeter(customer, 'Bureau', { answers: guideAnswers() });
    return { customer, meterId };
  }

  function entriesOf(meterId: string) {
    return h.sim.state().consumption.filter((e) => e.meterId === meterId);
  }

  function assertExactlyOnce(meterId: string): void {
    const entries = entriesOf(meterId);
    const starts = entries.map((e) => e.startDate).sort();
    assert.deepEqual(
      starts,
      GUIDE_PERIODS.map(([s]) => s),
    );
  }

  it('rides out 429s and server errors and still sends each period once', async () => {
    const { meterId } = await sharedMeter();
    h.sim.setFaults({ seed: 7, errorRate: 0.3, rateLimitPerSecond: 40, rateLimitBurst: 5 });
    try {
      for (let i = 0; i < 4; i++) await runCycle(h.ctx);
    } finally {
      h.sim.clearFaults();
    }
    const counts = h.sim.requests().provider.byStatus;
    assert.ok((counts['429'] ?? 0) + (counts['500'] ?? 0) + (counts['502'] ?? 0) + (counts['503'] ?? 0) > 0);
    await runCycle(h.ctx);
    assertExactlyOnce(meterId);
    const decisions = h.sim.state().decisions.filter((d) => d.kind === 'meterShare' && d.id === meterId);
    assert.equal(decisions.length, 1);
  });

  it('settles a POST whose entries were created but whose answer never came, without a duplicate', async () => {
    const { meterId } = await sharedMeter();
    h.sim.setFaults({
      seed: 1,
      timeoutRate: 1,
      timeoutAfterProcessing: true,
      routes: ['POST /meter/:meterId/consumptionData'],
    });
    try {
      await runCycle(h.ctx);
    } finally {
      h.sim.clearFaults();
    }
    assert.equal(entriesOf(meterId).length, 23);
    const rows = await h.store.db
      .selectFrom('consumption_entry')
      .innerJoin('meter_link', 'meter_link.id', 'consumption_entry.link_id')
      .select(['consumption_entry.state', 'consumption_entry.espm_entry_id'])
      .where('meter_link.espm_meter_id', '=', meterId)
      .execute();
    assert.equal(rows.length, 23);
    assert.ok(rows.every((r) => r.state === 'sent' && r.espm_entry_id));
    await runCycle(h.ctx);
    assertExactlyOnce(meterId);
  });

  it('finishes on the next run what a crash between the POST and its recording left undone', async () => {
    const { meterId } = await sharedMeter();
    await runCycle(h.ctx, ['ConnectionManager', 'PropertyShareManager', 'MeterConnectionManager']);
    const link = await h.linkOf(meterId);
    // ESPM creates the entries, then the process dies before it records their ids: the call never returns.
    const dying = Object.create(h.espm) as EspmClient;
    dying.createConsumption = async (id, entries) => {
      await h.espm.createConsumption(id, entries);
      return new Promise<string[]>(() => undefined);
    };
    // Its lease ran out with it (leases.test.ts shows that): this run's own check always passes.
    const dyingLease = { owner: 'dead', lost: false, stillHeld: async () => true, release: async () => {} };
    void syncLink({ ...h.ctx, espm: dying }, link.id, dyingLease);
    for (let i = 0; i < 200 && entriesOf(meterId).length < 23; i++)
      await new Promise((r) => setTimeout(r, 10));
    const inDoubt = await h.store.db
      .selectFrom('consumption_entry')
      .select('state')
      .where('link_id', '=', link.id)
      .where('state', '=', 'sending')
      .execute();
    assert.equal(inDoubt.length, 23);
    await runCycle(h.ctx);
    await runCycle(h.ctx);
    assertExactlyOnce(meterId);
  });

  it('refuses to run with bad credentials, saying so', async () => {
    const { EspmClient } = await import('@gaz-espm/espm');
    const wrong = new EspmClient({
      baseUrl: h.sim.url,
      username: h.sim.provider.username,
      password: 'wrong',
      retryBaseMs: 1,
    });
    try {
      const report = await runCycle({ ...h.ctx, espm: wrong });
      assert.match(report.fatal ?? '', /unauthorized/);
    } finally {
      await wrong.close();
    }
  });
});
