// Crash trials: one `serve` process doing an initial sync against the ESPM simulator, on PostgreSQL,
// killed with SIGKILL at a random moment (once, sometimes twice), restarted, and the simulator's own
// records checked once it has settled: every meter share answered exactly once, every (meter, period)
// sent exactly once (no duplicate, none missing), nothing left 'sending' in the store.
//
//   DATABASE_URL=postgres://… npx tsx bench/crash-trials.ts [--trials 20] [--meters 200] [--seed 1]
//                                                           [--pg-restart] [--timeout 180]
//   npm run reliability:crash -- --trials 5 --meters 50
//
// Per trial (one seeded PRNG for the whole run): a fresh simulator and a fresh database (dropped after);
// M customers already connected, each with one pending meter share (the four custom fields right,
// 24 months of history asked) seeded directly in the simulator's store (bench/seed-shares.ts); 25
// months of billing for the M meters through the gateway's CSV import, the last month being the one
// before today's, so that today's acceptance sends 24 periods per meter. `serve` runs with 1 s
// schedules and a 5 s lease, so that a killed instance's leases expire quickly. The kill comes once
// the simulator has answered a random number of provider requests between 1 and the expected total
// (the fewest counted when the last entry arrived in earlier trials; 3 × M before the first), watched
// through sim.requests() (the total also counts the idle 1 s polling until the trial settles);
// half the trials get a second kill at a later random point after the restart. With --pg-restart the
// fault is a PostgreSQL restart (pg_ctlcluster … restart; root, local cluster) instead of a kill, and
// `serve` is started again only if it died of it. That mode has not been run yet: it restarts the
// whole PostgreSQL server, every other database on it (a concurrent `npm test`, say) included.
//
// Prints one line per trial and a summary; exits 1 if any trial found a duplicate, a missing period, a
// meter share not answered exactly once, an entry left 'sending', or did not settle in time.
import type { ChildProcess } from 'node:child_process';
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { startSimulator } from '@gaz-espm/espm-simulator';
import type { Store } from '../packages/gateway/src/store/database.ts';
import { openStore } from '../packages/gateway/src/store/database.ts';
import { createTestDatabase } from '../packages/gateway/src/store/test-store.ts';
import { workLeft } from '../packages/gateway/src/testing/work-left.ts';
import { fmt, machine, out, seconds } from './lib.ts';
import { firstMonthFor, importBilling, seedCustomers, seedSimulator } from './seed-shares.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive integer`);
  return n;
}

const TRIALS = option('trials', 20);
const METERS = option('meters', 200);
const SEED = option('seed', 1);
const TIMEOUT_S = option('timeout', 180);
const PG_RESTART = process.argv.includes('--pg-restart');
const PERIODS = 24;
const MAIN = 'packages/gateway/src/cli/main.ts';

if (!process.env.DATABASE_URL) {
  process.stderr.write(
    'crash-trials needs DATABASE_URL (a PostgreSQL server where it may create databases)\n',
  );
  process.exit(2);
}

/** mulberry32: small, seeded, good enough to pick kill moments reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Serve {
  child: ChildProcess;
  output: string;
  exited: Promise<void>;
}

function startServe(sim: Simulator, databaseUrl: string): Serve {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
    env: {
      ...process.env,
      ESPM_BASE_URL: sim.url,
      ESPM_USERNAME: sim.provider.username,
      ESPM_PASSWORD: sim.provider.password,
      ESPM_MAX_RPS: '200',
      ESPM_TIMEOUT_MS: '5000',
      DATABASE_URL: databaseUrl,
      GATEWAY_PORT: '0',
      GATEWAY_REQUESTS_EVERY_SECONDS: '1',
      GATEWAY_NOTIFICATIONS_EVERY_SECONDS: '1',
      GATEWAY_CONSUMPTION_EVERY_SECONDS: '1',
      GATEWAY_LEASE_SECONDS: '5',
      GATEWAY_SHUTDOWN_TIMEOUT_SECONDS: '10',
      GATEWAY_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const serve: Serve = {
    child,
    output: '',
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
  };
  const keep = (d: Buffer): void => {
    serve.output = (serve.output + d.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return serve;
}

const alive = (s: Serve): boolean => s.child.exitCode === null && s.child.signalCode === null;

async function stop(s: Serve, signal: NodeJS.Signals): Promise<void> {
  if (alive(s)) s.child.kill(signal);
  await s.exited;
}

/** Waits until the simulator has counted `target` provider requests (or the child died). */
async function untilRequests(sim: Simulator, serve: Serve, target: number, deadline: number): Promise<void> {
  while (sim.requests().provider.total < target && alive(serve) && Date.now() < deadline) await sleep(5);
}

function restartPostgres(): void {
  const version = readdirSync('/etc/postgresql')[0];
  execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main restart`, { stdio: 'ignore' });
}

interface Trial {
  faults: number;
  requests: number;
  /** Provider requests counted when the last entry reached the simulator. */
  syncedAt: number;
  entries: number;
  duplicates: number;
  missing: number;
  decisionsWrong: number;
  sending: number;
  settled: boolean;
  ms: number;
  at: number[];
  /** Entries left 'sending' by each killed process, counted before the restart. */
  inDoubt: number[];
  detail: string;
}

/** Counts in the store, through a fresh connection each time (survives a PostgreSQL restart). */
async function storeCounts(url: string): Promise<{ open: number; sending: number }> {
  let store: Store | undefined;
  try {
    store = await openStore({ databaseUrl: url });
    return await workLeft(store.db);
  } catch {
    return { open: -1, sending: -1 };
  } finally {
    await store?.close().catch(() => undefined);
  }
}

async function trial(expectedRequests: number): Promise<Trial> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'crash-trials-'));
  const sim = await startSimulator({ host: '127.0.0.1', port: 0, validateRequests: false, seed: SEED });
  const database = await createTestDatabase();
  const serves: Serve[] = [];
  try {
    const store = await openStore({ databaseUrl: database.url });
    try {
      await seedSimulator(sim, METERS);
      await seedCustomers(store, METERS);
      const months = Array.from({ length: 25 }, (_, m) => m);
      await importBilling(store, dir, METERS, months, firstMonthFor(new Date()));
    } finally {
      await store.close();
    }
    // A little latency per call, so that the process is caught mid-work rather than between cycles.
    sim.setFaults({ latencyMs: 10 });
    const meterIds = Object.keys(sim.store.data.meterShares);
    const deadline = Date.now() + TIMEOUT_S * 1000;

    const faults = 1 + (random() < 0.5 ? 1 : 0);
    const at: number[] = [];
    const inDoubt: number[] = [];
    let lo = 1;
    let current = startServe(sim, database.url);
    serves.push(current);
    for (let f = 0; f < faults; f++) {
      const target = between(lo, Math.max(lo, expectedRequests));
      await untilRequests(sim, current, target, deadline);
      const count = sim.requests().provider.total;
      at.push(count);
      lo = count + 1;
      if (PG_RESTART) {
        restartPostgres();
        await sleep(2000);
        if (!alive(current)) {
          current = startServe(sim, database.url);
          serves.push(current);
        }
      } else {
        await stop(current, 'SIGKILL');
        // Writes the dead process left in doubt: entries marked 'sending' whose answer it never recorded.
        inDoubt.push((await storeCounts(database.url)).sending);
        current = startServe(sim, database.url);
        serves.push(current);
      }
    }

    const expectedEntries = METERS * PERIODS;
    let settled = false;
    let progress = '';
    let syncedAt = 0;
    while (Date.now() < deadline) {
      if (!alive(current)) {
        // Died on its own (a PostgreSQL restart, say): as an operator's supervisor would, start it again.
        progress += ` [serve exited: ${current.output.slice(-300)}]`;
        current = startServe(sim, database.url);
        serves.push(current);
      }
      const d = sim.store.data;
      const pending = Object.values(d.meterShares).filter((s) => s.status === 'pending').length;
      const entries = sim.state().consumption.length;
      if (entries >= expectedEntries && syncedAt === 0) syncedAt = sim.requests().provider.total;
      if (pending === 0 && entries >= expectedEntries) {
        const counts = await storeCounts(database.url);
        progress = `pending ${pending}, entries ${entries}/${expectedEntries}, open ${counts.open}, sending ${counts.sending}`;
        if (counts.open === 0 && counts.sending === 0) {
          settled = true;
          break;
        }
      } else progress = `pending ${pending}, entries ${entries}/${expectedEntries}`;
      await sleep(250);
    }
    await stop(current, 'SIGTERM');

    const state = sim.state();
    const perShare = new Map<string, number>();
    for (const dcs of state.decisions.filter((x) => x.kind === 'meterShare'))
      perShare.set(dcs.id, (perShare.get(dcs.id) ?? 0) + 1);
    const decisionsWrong = meterIds.filter((id) => perShare.get(id) !== 1).length;
    const perPeriod = new Map<string, number>();
    for (const e of state.consumption) {
      const key = `${e.meterId} ${e.startDate} ${e.endDate}`;
      perPeriod.set(key, (perPeriod.get(key) ?? 0) + 1);
    }
    const duplicateKeys = [...perPeriod].filter(([, n]) => n > 1);
    const duplicates = duplicateKeys.reduce((s, [, n]) => s + n - 1, 0);
    const perMeter = new Map<string, number>();
    for (const key of perPeriod.keys()) {
      const m = key.split(' ')[0]!;
      perMeter.set(m, (perMeter.get(m) ?? 0) + 1);
    }
    const missing = meterIds.reduce((s, id) => s + Math.max(0, PERIODS - (perMeter.get(id) ?? 0)), 0);
    const counts = await storeCounts(database.url);
    const detail = [
      settled ? '' : `not settled: ${progress}`,
      duplicateKeys.length
        ? `duplicates: ${duplicateKeys
            .slice(0, 5)
            .map(([k, n]) => `${k} ×${n}`)
            .join('; ')}`
        : '',
      decisionsWrong
        ? `shares not answered once: ${meterIds
            .filter((id) => perShare.get(id) !== 1)
            .slice(0, 5)
            .map((id) => `${id} ×${perShare.get(id) ?? 0}`)
            .join('; ')}`
        : '',
    ]
      .filter(Boolean)
      .join(' | ');
    return {
      faults,
      requests: sim.requests().provider.total,
      syncedAt,
      entries: state.consumption.length,
      duplicates,
      missing,
      decisionsWrong,
      sending: counts.sending,
      settled,
      ms: Date.now() - started,
      at,
      inDoubt,
      detail,
    };
  } finally {
    for (const s of serves) await stop(s, 'SIGKILL');
    await sim.close();
    await database.drop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

out(
  `crash trials: ${TRIALS} trials, ${fmt(METERS)} meters × ${PERIODS} periods, seed ${SEED}, fault ` +
    `${PG_RESTART ? 'PostgreSQL restart' : 'SIGKILL of serve'}; ${machine()}`,
);
const started = Date.now();
let expectedRequests = 3 * METERS;
const totals = {
  inDoubt: 0,
  faults: 0,
  requests: 0,
  entries: 0,
  duplicates: 0,
  missing: 0,
  decisions: 0,
  sending: 0,
};
let failed = 0;
for (let i = 1; i <= TRIALS; i++) {
  const r = await trial(expectedRequests);
  if (r.syncedAt > 0) expectedRequests = Math.min(expectedRequests, r.syncedAt);
  totals.faults += r.faults;
  totals.inDoubt += r.inDoubt.reduce((a, b) => a + b, 0);
  totals.requests += r.requests;
  totals.entries += r.entries;
  totals.duplicates += r.duplicates;
  totals.missing += r.missing;
  totals.decisions += r.decisionsWrong;
  totals.sending += Math.max(0, r.sending);
  const ok = r.settled && r.duplicates === 0 && r.missing === 0 && r.decisionsWrong === 0 && r.sending === 0;
  if (!ok) failed++;
  out(
    `  trial ${i}: ${ok ? 'ok' : 'FAILED'}, ${r.faults} ${PG_RESTART ? 'restart(s)' : 'kill(s)'} at request ` +
      `${r.at.join(', ')}${r.inDoubt.length ? ` (entries left sending: ${r.inDoubt.join(', ')})` : ''} (synced at ${fmt(r.syncedAt)}, ${fmt(r.requests)} in all), entries ${fmt(r.entries)}, duplicates ${r.duplicates}, ` +
      `missing ${r.missing}, shares not answered once ${r.decisionsWrong}, sending ${r.sending}, ` +
      `${seconds(r.ms)}${r.detail ? ` — ${r.detail}` : ''}`,
  );
}
out(
  `summary: ${TRIALS} trials (${failed} failed), ${fmt(METERS)} meters, ${totals.faults} ` +
    `${PG_RESTART ? 'PostgreSQL restarts' : `kills (leaving ${totals.inDoubt} entries 'sending')`}, ${fmt(totals.requests)} provider requests, ` +
    `${fmt(totals.entries)} entries, duplicates ${totals.duplicates}, missing ${totals.missing}, shares not ` +
    `answered once ${totals.decisions}, left sending ${totals.sending}, ${seconds(Date.now() - started)} ` +
    `(${seconds((Date.now() - started) / TRIALS)} per trial)`,
);
process.exit(failed ? 1 : 0);
