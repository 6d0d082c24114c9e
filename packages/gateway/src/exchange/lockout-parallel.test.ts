// The lockout under parallel decisions: 10 bad shares and then 1 good one from one ESPM account, decided
// by two processes at once. Exactly 5 identity failures are evaluated, the good share after them is
// refused as locked out, and each share gets one stored decision (and, through runCycle, one answer).
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { guideAnswers, guideBillingRows } from '../../test-support/guide-example.ts';
import type { Harness } from '../../test-support/harness.ts';
import { assertEveryServiceOk, startHarness } from '../../test-support/harness.ts';
import type { ExchangeContext } from './context.ts';
import { runCycle } from './cycle.ts';
import { Leases } from './leases.ts';
import type { RejectionRule } from './share-rules.ts';
import { decidePendingMeterShares } from './meter-shares.ts';
import { IDENTITY_RULES, LOCKOUT_FAILURES } from './share-rules.ts';

describe('the lockout under parallel share decisions', () => {
  let h: Harness | undefined;
  let n = 0;

  beforeEach(async () => {
    await h?.close();
    h = await startHarness();
    await h.importAccepted(guideBillingRows());
  });
  after(() => h?.close());

  /** One customer sharing 10 meters with a wrong account number each, then one with the right numbers. */
  async function shareElevenMeters(h: Harness): Promise<{ accountId: string; meters: string[] }> {
    const customer = await h.customer(`parallel${++n}`, 'Parallel');
    const propertyId = await h.sharedProperty(customer, 'Immeuble parallèle');
    const meters: string[] = [];
    for (let i = 0; i < 11; i++) {
      const good = i === 10;
      const answers = { ...guideAnswers(0), ...(good ? {} : { accountNumber: String(90000000000 + i) }) };
      meters.push(await h.addSharedMeter(customer, propertyId, { meter: { name: `Gaz ${i}` }, answers }));
    }
    return { accountId: customer.accountId, meters };
  }

  async function check(
    h: Harness,
    accountId: string,
    meters: string[],
    callers: 'through runCycle' | 'direct' = 'through runCycle',
  ): Promise<void> {
    const once = callers === 'through runCycle';
    const decisions = h.sim.state().decisions.filter((d) => d.kind === 'meterShare' && !d.automatic);
    for (const m of meters) {
      const n = decisions.filter((d) => d.id === m).length;
      if (once) assert.equal(n, 1, `exactly one answer for meter ${m}`);
      else assert.ok(n >= 1, `an answer for meter ${m}`);
    }
    assert.ok(decisions.every((d) => !meters.includes(d.id) || d.action === 'Reject'));
    const failures = await h.store.db
      .selectFrom('validation_failure')
      .selectAll()
      .where('espm_account_id', '=', accountId)
      .execute();
    assert.ok(failures.length <= LOCKOUT_FAILURES, `${failures.length} identity failures evaluated`);
    const links = await h.store.db
      .selectFrom('meter_link')
      .select(['espm_meter_id', 'status', 'reason_code'])
      .where('espm_account_id', '=', accountId)
      .execute();
    if (once) assert.equal(links.length, meters.length, 'one decision stored per share');
    const identity = links.filter(
      (l) => l.reason_code && IDENTITY_RULES.has(l.reason_code as RejectionRule),
    ).length;
    assert.equal(identity, LOCKOUT_FAILURES);
    const good = links.filter((l) => l.espm_meter_id === meters[10]);
    assert.ok(good.length >= 1);
    for (const l of good) assert.deepEqual([l.status, l.reason_code], ['rejected', 'locked-out']);
    const pending = await h.espm.pendingMeterShares();
    assert.deepEqual(
      pending.filter((p) => meters.includes(p.meterId)),
      [],
    );
  }

  /** Two instances run the meter-share step of runCycle at once, each with its own leases. */
  async function twoInstancesDecide(names: [string, string], waitForServiceMs: number): Promise<void> {
    const { accountId, meters } = await shareElevenMeters(h!);
    const contexts: ExchangeContext[] = names.map((name) => ({
      ...h!.ctx,
      leases: new Leases(h!.store.db, { instance: `instance-${name}`, waitForServiceMs }),
    }));
    const reports = await Promise.all(contexts.map((ctx) => runCycle(ctx, ['MeterConnectionManager'])));
    for (const r of reports) assertEveryServiceOk(r);
    await check(h!, accountId, meters);
  }

  it('two instances running the cycle on one store (service lease)', () =>
    twoInstancesDecide(['a', 'b'], 20_000));

  // serve's scheduled jobs do not wait for a service another instance holds: one decides, one skips.
  it('two serve instances whose jobs fire together (no wait for the lease)', () =>
    twoInstancesDecide(['c', 'd'], 0));

  // Without runCycle's service lease, the per-account decision lock alone keeps the count: before it, on
  // PostgreSQL, two callers evaluated 6 identity failures. What the lease alone prevents: a caller
  // working from a pending list read before the other answered decides a share again (or sends an
  // answer twice), which is why every production caller goes through runCycle.
  // The race is narrow: three accounts in turn, so that a lost lock shows (it did in 1 run of 3 with one).
  it('two callers deciding at once without the service lease', async () => {
    for (let round = 0; round < 3; round++) {
      const { accountId, meters } = await shareElevenMeters(h!);
      const summaries = await Promise.all([
        decidePendingMeterShares(h!.ctx),
        decidePendingMeterShares(h!.ctx),
      ]);
      for (const s of summaries) assert.equal(s.failed, 0, JSON.stringify(summaries));
      await check(h!, accountId, meters, 'direct');
    }
  });
});
