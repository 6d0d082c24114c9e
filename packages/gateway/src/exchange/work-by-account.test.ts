import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExchangeContext } from './context.ts';
import { workByAccount } from './work-by-account.ts';

// Only the client's concurrency matters to the helper.
const ctx = { espm: { maxConcurrency: 2 } } as unknown as ExchangeContext;
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

describe('pending requests worked account by account', () => {
  const requests = ['a1', 'b1', 'a2', 'c1', 'b2', 'a3', 'd1', 'e1'].map((id) => ({ account: id[0]!, id }));

  it('answers different accounts side by side, up to twice the client’s concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    const summary = await workByAccount(
      ctx,
      requests,
      (r) => r.account,
      async () => {
        most = Math.max(most, ++inFlight);
        await tick();
        inFlight--;
        return 'done' as const;
      },
      { done: 0 },
    );
    assert.deepEqual(summary, { done: 8 });
    assert.equal(most, 4);
  });

  it('answers one account’s requests one at a time, in ESPM’s order', async () => {
    const busy = new Set<string>();
    const order: string[] = [];
    await workByAccount(
      ctx,
      requests,
      (r) => r.account,
      async (r) => {
        assert.ok(!busy.has(r.account), `two requests of account ${r.account} at once`);
        busy.add(r.account);
        await tick();
        order.push(r.id);
        busy.delete(r.account);
        return r.id.endsWith('2') ? ('failed' as const) : ('done' as const);
      },
      { done: 0, failed: 0 },
    );
    for (const account of ['a', 'b']) {
      const mine = order.filter((id) => id.startsWith(account));
      assert.deepEqual(mine, [...mine].sort());
    }
    assert.equal(order.length, 8);
  });

  it('starts nothing more once an item throws, and throws once every worker has stopped', async () => {
    const started: string[] = [];
    let inFlight = 0;
    const run = workByAccount(
      ctx,
      requests,
      (r) => r.account,
      async (r) => {
        started.push(r.id);
        inFlight++;
        await tick();
        inFlight--;
        if (r.id === 'b1') throw new Error('the store is gone');
        return 'done' as const;
      },
      { done: 0 },
    );
    await assert.rejects(run, /the store is gone/);
    assert.equal(inFlight, 0);
    assert.ok(started.length < requests.length, `started ${started.join(', ')}`);
  });

  it('does nothing for an empty list', async () => {
    assert.deepEqual(
      await workByAccount(
        ctx,
        [],
        () => 'x',
        () => Promise.resolve('done' as const),
        { done: 0 },
      ),
      {
        done: 0,
      },
    );
  });
});
