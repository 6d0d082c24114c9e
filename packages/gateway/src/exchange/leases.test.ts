// Leases on links and service steps: one holder at a time, released or run out, renewed while held.
import { insertBareLink } from '../../test-support/bare-link.ts';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';
import { sql } from 'kysely';
import { forEachStore } from '../../test-support/test-store.ts';
import type { ExchangeContext } from './context.ts';
import { Leases, exclusive } from './leases.ts';
import { ActionRefused, resolveConflict, resyncLink } from './operator-actions.ts';

forEachStore('leases', (s) => {
  it('a link has one holder until it is released', async () => {
    const a = new Leases(s.store.db, { instance: 'a' });
    const b = new Leases(s.store.db, { instance: 'b' });
    const id = await insertBareLink(s.store.db, { syncDue: true });
    const held = await a.claimLink(id);
    assert.ok(held);
    assert.match(held.owner, /^a#/);
    assert.equal(await b.claimLink(id), undefined);
    assert.equal(await a.claimLink(id), undefined, 'two claims of one process exclude each other too');
    await held.release();
    const next = await b.claimLink(id);
    assert.ok(next);
    await next.release();
  });

  /** A pid no process has: that of a child that has exited. */
  function deadPid(): number {
    const child = spawnSync(process.execPath, ['-e', '0']);
    return child.pid!;
  }

  it('a link or a step leased by a process of this host that died is taken over at once', async () => {
    const dying = new Leases(s.store.db, { instance: 'dying', seconds: 600 });
    const id = await insertBareLink(s.store.db, { syncDue: true });
    assert.ok(await dying.claimLink(id));
    assert.ok(await dying.claimService('NotificationWatcher'));
    const other = new Leases(s.store.db, { instance: 'survivor' });
    assert.equal(await other.claimLink(id), undefined, 'alive, it keeps its lease');
    assert.equal(await other.claimService('NotificationWatcher'), undefined);

    await s.store.db
      .updateTable('lease_holder')
      .set({ pid: deadPid() })
      .where('instance', '=', 'dying')
      .execute();
    const link = await other.claimLink(id);
    assert.ok(link, 'a dead holder’s link is taken at once, 10 minutes before its lease runs out');
    const step = await other.claimService('NotificationWatcher');
    assert.ok(step);
    await link.release();
    await step.release();
  });

  it('a holder on another host is not judged from here: its lease runs out', async () => {
    const far = new Leases(s.store.db, { instance: 'far', seconds: 600 });
    const id = await insertBareLink(s.store.db, { syncDue: true });
    assert.ok(await far.claimLink(id));
    await s.store.db
      .updateTable('lease_holder')
      .set({ pid: deadPid(), host: 'another-host' })
      .where('instance', '=', 'far')
      .execute();
    const other = new Leases(s.store.db, { instance: 'near' });
    assert.equal(await other.claimLink(id), undefined);
    await far.releaseAll();
  });

  it('the lease of a holder that died runs out, and its late renewal finds it lost', async () => {
    const dead = new Leases(s.store.db, { instance: 'dead', seconds: 60 });
    const id = await insertBareLink(s.store.db, { syncDue: true });
    const held = await dead.claimLink(id);
    assert.ok(held);
    await sql`update meter_link set sync_lease_until = now() - interval '1 second' where id = ${id}`.execute(
      s.store.db,
    );
    const other = new Leases(s.store.db, { instance: 'other' });
    const taken = await other.claimLink(id);
    assert.ok(taken, 'an expired lease is claimed by another instance');
    assert.equal(await taken.stillHeld(), true);
    assert.equal(await held.stillHeld(), false);
    await (dead as unknown as { renew(): Promise<void> }).renew();
    assert.equal(held.lost, true);
    await held.release(); // does not release the new holder's lease
    assert.equal(await dead.claimLink(id), undefined);
    await taken.release();
    await dead.releaseAll();
  });

  it('a service step runs in one process at a time; the other skips it or waits for it', async () => {
    const a = new Leases(s.store.db, { instance: 'a' });
    const b = new Leases(s.store.db, { instance: 'b', waitForServiceMs: 5000 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const step = exclusive('TestService', async () => {
      runs++;
      await gate;
      return { done: runs };
    });
    const first = step({ db: s.store.db, leases: a });
    await new Promise((r) => setTimeout(r, 100));
    const skipped = await step({ db: s.store.db, leases: new Leases(s.store.db, { instance: 'c' }) });
    assert.match(String((skipped as { skipped: string }).skipped), /running in a#/);
    const waiting = step({ db: s.store.db, leases: b });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(runs, 1);
    release();
    assert.deepEqual(await first, { done: 1 });
    assert.deepEqual(await waiting, { done: 2 });
    assert.equal(await a.serviceHolder('TestService'), undefined);
  });

  it('an operator action on a link waits for no sync: it is refused or skipped while another run holds it', async () => {
    const id = await insertBareLink(s.store.db, { syncDue: true });
    await s.store.db
      .updateTable('meter_link')
      .set({ status: 'conflict', conflict: JSON.stringify({ periods: [] }) })
      .where('id', '=', id)
      .execute();
    const syncing = new Leases(s.store.db, { instance: 'serve' });
    const held = await syncing.claimLink(id);
    assert.ok(held);
    const ctx = {
      db: s.store.db,
      leases: new Leases(s.store.db, { instance: 'console' }),
      now: () => new Date(),
    } as unknown as ExchangeContext;
    await assert.rejects(
      resolveConflict(ctx, id, 'keep-customer', 'alice'),
      (e) => e instanceof ActionRefused && /being synced/.test(e.message),
    );
    const r = await resyncLink(ctx, id, 'alice');
    assert.equal(r.outcome, 'skipped');
    await held.release();
  });
});
