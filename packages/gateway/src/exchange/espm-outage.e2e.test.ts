// ESPM down for long (EPA announces weekend-long upgrades) or refusing every call with a 429 that says no
// delay (the form EPA documents): every call is held, one request at a time asks whether ESPM is back,
// the runs stop at the first such answer instead of failing each link, and the operator gets one alert.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { guideAnswers, guideBillingRows } from '../../test-support/guide-example.ts';
import type { Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import type { FaultSettings } from '@gaz-espm/espm-simulator';
import type { Alerts } from '../observability/alerts.ts';
import { startAlerts } from '../observability/alerts.ts';
import { espmAttempts } from '../observability/events.ts';
import type { CycleReport } from './cycle.ts';
import { runCycle } from './cycle.ts';

const MAX_RETRIES = 4;
const CYCLES = 4;

const OUTAGES: Array<[string, Partial<FaultSettings>]> = [
  ['a maintenance (502 on every call)', { maintenanceUntil: '2100-01-01T00:00:00Z' }],
  ['a 429 without Retry-After on every call', { errorRate: 1, errorStatuses: [429] }],
];

for (const [name, fault] of OUTAGES)
  describe(`a sync during ${name}`, () => {
    let h: Harness;
    let alerts: { alerts: Alerts; stop: () => Promise<void> };
    const alerted: Array<{ alert: string; status: string }> = [];
    const meterIds: string[] = [];

    before(async () => {
      h = await startHarness({
        espm: { maxRetries: MAX_RETRIES, onAttempt: (a) => espmAttempts.emit(a) },
      });
      const log = {
        warn: (o: { event?: string; alert?: string; status?: string }) => {
          if (o.event === 'alert') alerted.push({ alert: o.alert!, status: o.status! });
        },
        info: (o: { event?: string; alert?: string; status?: string }) => {
          if (o.event === 'alert') alerted.push({ alert: o.alert!, status: o.status! });
        },
        error: () => {},
      } as unknown as Parameters<typeof startAlerts>[0]['log'];
      alerts = startAlerts({
        webhookUrl: undefined,
        afterFailures: 3,
        billingStaleHours: 1e6,
        log,
        db: h.store.db,
        checkEveryMs: 3_600_000,
      });
      await h.importAccepted(guideBillingRows());
      for (const i of [1, 2]) {
        const customer = await h.customer(`outage${i}`);
        const { meterId } = await h.shareNewMeter(customer, `Bureau ${i}`, { answers: guideAnswers() });
        meterIds.push(meterId);
      }
      // Shares decided before ESPM goes down, so that consumption is due for each link.
      await runCycle(h.ctx, ['ConnectionManager', 'PropertyShareManager', 'MeterConnectionManager']);
    });
    after(async () => {
      await alerts.stop();
      await h.close();
    });

    it('asks ESPM one call at a time, fails no link, and alerts once', async () => {
      h.sim.resetRequests();
      const reports: CycleReport[] = [];
      h.sim.setFaults({ seed: 3, ...fault });
      try {
        for (let i = 0; i < CYCLES; i++) reports.push(await runCycle(h.ctx));
      } finally {
        h.sim.clearFaults();
      }
      // Each cycle stops at its first call that ran out of retries: the links are not each tried.
      const requests = h.sim.requests().provider.total;
      assert.ok(requests <= CYCLES * (MAX_RETRIES + 1), `${requests} requests in ${CYCLES} cycles`);
      const linkErrors = await h.store.db
        .selectFrom('gateway_log')
        .select('subject')
        .where('service', '=', 'ConsumptionUpdater')
        .where('subject', 'in', meterIds)
        .execute();
      assert.deepEqual(linkErrors, []);
      assert.deepEqual(alerted, [{ alert: 'espm-unavailable', status: 'firing' }]);
      assert.ok(reports.every((r) => r.fatal !== undefined));
    });

    it('sends every link its data once ESPM is back, and says the alert is resolved', async () => {
      const report = await runCycle(h.ctx);
      assert.equal(report.fatal, undefined, JSON.stringify(report));
      for (const meterId of meterIds) {
        assert.equal(h.sim.state().consumption.filter((e) => e.meterId === meterId).length, 23);
      }
      assert.deepEqual(alerted.at(-1), { alert: 'espm-unavailable', status: 'resolved' });
      assert.equal(alerted.length, 2);
    });
  });
