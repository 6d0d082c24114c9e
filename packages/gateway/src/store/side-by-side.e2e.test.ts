// The README's commands run side by side on the zero-config store (no DATABASE_URL, one data
// directory), beside a running `serve`, as an operator would in a terminal next to it: imports, operators
// added, sync cycles, settings pushed, history exported, and one import killed with -9 mid-file and run
// again. Afterwards the store is intact (every index checks out) and complete: every operator added is
// there and can sign in to serve's console, every billing row is there, none twice. When the last process
// lets go, the store's server stops.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { sql } from 'kysely';
import type { GatewayProcess } from '../../test-support/gateway-process.ts';
import { killLeftOver, spawnGateway } from '../../test-support/gateway-process.ts';
import { startLocalSimulator } from '../../test-support/local-simulator.ts';
import type { Store } from './database.ts';
import { openStore } from './database.ts';
import { REQUIRED_COLUMNS } from '../billing/billing-row.ts';
import { clusterDirOf } from './embedded-server.ts';

const FILES = 3;
const ACCOUNTS_PER_FILE = 40;
const MONTHS = 24;
/** The file whose import is killed: big enough to be caught mid-way. */
const BIG_ACCOUNTS = 600;
const OPERATORS = 4;

/** Billing file `file`: `accounts` accounts of one meter each, `MONTHS` monthly periods each. */
function billingFile(dir: string, file: number, accounts: number): { path: string; accountPrefix: string } {
  const accountPrefix = `2${String(file).padStart(2, '0')}`;
  const lines = [REQUIRED_COLUMNS.join(',')];
  for (let a = 0; a < accounts; a++) {
    const account = `${accountPrefix}${String(a).padStart(8, '0')}`;
    for (let m = 0; m < MONTHS; m++) {
      const start = new Date(Date.UTC(2023, m, 1));
      const end = new Date(Date.UTC(2023, m + 1, 1));
      const day = (d: Date): string => d.toISOString().slice(0, 10);
      const invoice = `4${String(file).padStart(2, '0')}${String(a * MONTHS + m).padStart(9, '0')}`;
      lines.push(
        [account, invoice, day(end), `M${account}`, day(start), day(end), String(100 + m)].join(','),
      );
    }
  }
  const path = join(dir, `billing-${file}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, accountPrefix };
}

async function until(what: string, deadline: number, check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(100);
  }
}

describe('the README commands beside a running serve, on the embedded store', () => {
  let sim: Simulator;
  let dir: string;
  let env: Record<string, string>;
  const processes: GatewayProcess[] = [];
  let store: Store | undefined;

  before(async () => {
    sim = await startLocalSimulator({ initialSettings: 'empty' });
    dir = mkdtempSync(join(tmpdir(), 'gateway-side-by-side-'));
    // The default store: DATABASE_URL unset even where the suite runs on PostgreSQL too.
    env = { DATABASE_URL: '', GATEWAY_DATA_DIR: join(dir, 'data'), GATEWAY_LOG_LEVEL: 'error' };
  });
  after(async () => {
    await killLeftOver(processes);
    await store?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function gateway(args: string[]): GatewayProcess {
    const p = spawnGateway(sim, args, env);
    processes.push(p);
    return p;
  }
  async function succeeds(p: GatewayProcess, what: string): Promise<string> {
    assert.equal(await p.exited, 0, `${what} failed:\n${p.output}`);
    return p.output;
  }

  it('imports every row, adds every operator and keeps the store intact, one import killed with -9', async (t) => {
    const t0 = Date.now();
    const mark = (what: string): void => t.diagnostic(`${what} at ${Date.now() - t0} ms`);
    const deadline = Date.now() + 240_000;
    const serve = gateway(['serve']);
    await until('serve listening', deadline, () => {
      if (serve.child.exitCode !== null)
        throw new Error(`serve exited ${serve.child.exitCode}:\n${serve.output}`);
      return /listening on http:\/\/\S+:\d+/.test(serve.output);
    });
    mark('serve listening');
    const origin = /listening on (http:\/\/\S+:\d+)/.exec(serve.output)![1]!;

    const files = Array.from({ length: FILES }, (_, f) => billingFile(dir, f + 1, ACCOUNTS_PER_FILE));
    const big = billingFile(dir, 90, BIG_ACCOUNTS);

    // The one to kill: as soon as its first rows are in the store.
    const killed = gateway(['import-billing', big.path]);
    const side: Array<{ what: string; p: GatewayProcess; exitCode?: number }> = [
      ...files.map((f) => ({ what: `import-billing ${f.path}`, p: gateway(['import-billing', f.path]) })),
      ...Array.from({ length: OPERATORS }, (_, i) => ({
        what: `operator add op${i}`,
        p: gateway(['operator', 'add', `op${i}`, '--role', i % 2 ? 'viewer' : 'operator']),
      })),
      { what: 'settings push', p: gateway(['settings', 'push']) },
      { what: 'sync --once', p: gateway(['sync', '--once']) },
      { what: 'sync --once (2)', p: gateway(['sync', '--once']) },
      // A meter nobody shared: the command opens the store beside the others and says so (exit 1).
      { what: 'export-history', p: gateway(['export-history', '123456']), exitCode: 1 },
      { what: 'operator list', p: gateway(['operator', 'list']) },
    ];

    store = await openStore({ dataDir: env.GATEWAY_DATA_DIR });
    const db = store.db;
    const periodsOf = async (prefix: string): Promise<number> => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from billing_period where account_number like ${`${prefix}%`}`.execute(db);
      return rows[0]!.n;
    };
    await until('the big import under way', deadline, async () => {
      if (killed.child.exitCode !== null)
        throw new Error(`the big import ended before it could be killed:\n${killed.output}`);
      return (await periodsOf(big.accountPrefix)) > 0;
    });
    mark('killing');
    killed.child.kill('SIGKILL');
    assert.equal(await killed.exited, null);

    const passwords = new Map<string, string>();
    for (const { what, p, exitCode } of side) {
      if (exitCode !== undefined) assert.equal(await p.exited, exitCode, `${what}:\n${p.output}`);
      const out = exitCode === undefined ? await succeeds(p, what) : p.output;
      const added = /^operator add (op\d+)$/.exec(what);
      if (added) passwords.set(added[1]!, /password: (\S+)/.exec(out)![1]!);
    }
    mark('side commands done');
    // The killed import again, as an operator would: it completes what the killed one left.
    await succeeds(gateway(['import-billing', big.path]), 'import-billing after the kill');

    mark('re-import done');
    // Complete: every row of every file, each once (the key is meter and period), every operator.
    for (const f of files) assert.equal(await periodsOf(f.accountPrefix), ACCOUNTS_PER_FILE * MONTHS, f.path);
    assert.equal(await periodsOf(big.accountPrefix), BIG_ACCOUNTS * MONTHS, big.path);
    const operators = await db
      .selectFrom('console_operator')
      .select(['username', 'role'])
      .orderBy('username')
      .execute();
    assert.deepEqual(
      operators.map((o) => `${o.username}:${o.role}`),
      Array.from({ length: OPERATORS }, (_, i) => `op${i}:${i % 2 ? 'viewer' : 'operator'}`),
    );
    // Intact: every B-tree index of the store verified against its table, parents against children.
    await sql`create extension if not exists amcheck`.execute(db);
    const { rows: indexes } = await sql<{ name: string }>`
      select c.oid::regclass::text as name from pg_index i join pg_class c on c.oid = i.indexrelid
      join pg_namespace n on n.oid = c.relnamespace join pg_am a on a.oid = c.relam
      where n.nspname = 'public' and a.amname = 'btree'`.execute(db);
    assert.ok(indexes.length > 10);
    for (const { name } of indexes) {
      await sql`select bt_index_parent_check(${name}::regclass, true)`.execute(db);
    }

    mark('checks done');
    // serve sees what the commands wrote: each operator signs in to its console.
    for (const [username, password] of passwords) {
      const form = await fetch(`${origin}/connexion`);
      const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const signedIn = await fetch(`${origin}/connexion`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password, _csrf: csrf }).toString(),
      });
      assert.equal(signedIn.status, 303, `${username} could not sign in`);
    }
    assert.equal((await fetch(`${origin}/healthz`)).status, 200);
    // The built CLI reads the console's stylesheet from the package, not from beside its own chunks.
    const css = await fetch(`${origin}/assets/console.css`);
    assert.equal(css.status, 200);
    assert.match(await css.text(), /font-family/);
    assert.doesNotMatch(serve.output, /Aborted|RuntimeError|unhandled/i);

    mark('sign-ins done');
    // The last one out stops the server: this test's connection, then serve (SIGTERM, a clean stop).
    await store.close();
    store = undefined;
    serve.child.kill('SIGTERM');
    assert.equal(await serve.exited, 0, serve.output);
    const pidFile = join(clusterDirOf(env.GATEWAY_DATA_DIR!), 'postmaster.pid');
    await until('the store server stopped', deadline, () => !existsSync(pidFile));
  });
});
