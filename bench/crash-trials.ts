// Crash trials: the gateway doing an initial sync against the ESPM simulator, on PostgreSQL, killed with
// SIGKILL (or its PostgreSQL restarted) at a random moment, once or twice, optionally while ESPM
// misbehaves; the simulator's own records are checked once it has settled: every meter share answered
// exactly once, every (meter, period) sent exactly once (no duplicate, none missing), nothing left
// 'sending' in the store.
//
//   DATABASE_URL=postgres://… npx tsx bench/crash-trials.ts [--trials 20] [--meters 200] [--seed 1]
//       [--command serve|sync] [--espm-faults] [--pg-restart] [--timeout 180]
//   npx tsx bench/crash-trials.ts --embedded [--trials 6] [--meters 200] …
//   npm run reliability:crash -- --trials 5 --meters 50
//
// Per trial (one seeded PRNG for the whole run): a fresh simulator and a fresh database (dropped after);
// M customers already connected, each with one pending meter share (the four custom fields right,
// 24 months of history asked) seeded directly in the simulator's store (bench/seed-shares.ts); 25
// months of billing for the M meters through the gateway's CSV import, the last month being the one
// before today's, so that today's acceptance sends 24 periods per meter.
//
// --command serve (the default): one `serve` process with 1 s schedules and a 5 s lease (a killed
// instance's leases expire quickly), started again after each kill. --command sync: `sync --once` run
// over and over, one after the other as cron would (each waits for the service lease a killed one
// left), the one running at the fault's moment killed; the loop goes on until everything settled.
//
// The fault comes once the simulator has answered a random number of provider requests between 1 and
// the number a fault-free sync takes (measured first by a baseline trial: no fault, no ESPM fault),
// watched through sim.requests(); half the trials get a second fault at a later random point.
//
// --pg-restart: the fault is a restart of the PostgreSQL cluster that serves DATABASE_URL's port
// (found with pg_lsclusters; local, as root), in fast or immediate mode (seeded: immediate is a crash
// of the server, with recovery), instead of a kill; a process that died of it is started again, as a
// supervisor would. The script refuses to restart the cluster on port 5432 (the machine's shared
// server) unless --i-know-this-restarts-the-shared-server is given: create a private one, e.g.
//   pg_createcluster 15 trials --port 5433 -- --auth=trust
//   pg_ctlcluster --skip-systemctl-redirect 15 trials start
//
// --espm-faults: the issue's ESPM profile on the provider's requests for the whole trial: 10 % 5xx
// (500/502/503, without effect), 5 % never answered (the setting "after processing", where the request
// took effect first, e.g. a POST whose entries were created, is switched on and off every 20–60
// requests on a seeded schedule), 3 % malformed XML (cut-off answers, the request took effect), two
// 429 storms (5 requests/s, burst 2, for 2–4 s) and one maintenance window (502 as EPA documents it, no Retry-After, for
// 2–5 s), each starting at a seeded random request count; 10 ms latency. ESPM_TIMEOUT_MS is 1500.
// Faults are counted by kind from the simulator (requests().provider.byFault); the retries ratio is
// the provider requests until the last entry arrived over the baseline's.
//
// --embedded: the zero-config store (its own PostgreSQL server in a data directory) instead of PostgreSQL; no DATABASE_URL.
// Only one process may open it, so the store is read between processes: after a kill, and once the
// simulator has everything (the process is then stopped, and what it left open or 'sending' counted).
//
// Prints one line per trial and a summary; exits 1 if any trial found a duplicate, a missing period, a
// meter share not answered exactly once, an entry left 'sending', or did not settle in time.
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultSettings, Simulator } from '@gaz-espm/espm-simulator';
import { seededRandom, startSimulator } from '@gaz-espm/espm-simulator';
import type { Store } from '@gaz-espm/gateway/store';
import { openStore } from '@gaz-espm/gateway/store';
import { createTestDatabase } from '@gaz-espm/gateway/testing/test-store';
import type { GatewayProcess } from '@gaz-espm/gateway/testing/gateway-process';
import { spawnGateway } from '@gaz-espm/gateway/testing/gateway-process';
import { workLeft } from '@gaz-espm/gateway/testing/work-left';
import { fmt, machine, out, seconds } from './lib.ts';
import { importHistory, seedCustomers, seedSimulator } from './seed-shares.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive integer`);
  return n;
}

function choice<T extends string>(name: string, values: readonly T[]): T {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return values[0]!;
  const v = process.argv[i + 1] as T;
  if (!values.includes(v)) throw new Error(`--${name} is one of ${values.join(', ')}`);
  return v;
}

const TRIALS = option('trials', 20);
const METERS = option('meters', 200);
const SEED = option('seed', 1);
const TIMEOUT_S = option('timeout', 180);
const COMMAND = choice('command', ['serve', 'sync'] as const);
const PG_RESTART = process.argv.includes('--pg-restart');
const ESPM_FAULTS = process.argv.includes('--espm-faults');
const PERIODS = 24;
const FAULT_KINDS = [
  'error',
  'timeout-before',
  'timeout-after',
  'malformed',
  'rate-limited',
  'maintenance',
] as const;

const EMBEDDED = process.argv.includes('--embedded');
if (EMBEDDED && PG_RESTART) {
  process.stderr.write('--embedded has no PostgreSQL to restart: use --pg-restart without it\n');
  process.exit(2);
}
if (!process.env.DATABASE_URL && !EMBEDDED) {
  process.stderr.write(
    'crash-trials needs DATABASE_URL (a PostgreSQL server where it may create databases), or --embedded\n',
  );
  process.exit(2);
}
const SERVER_URL = process.env.DATABASE_URL ?? '';
/** Where a trial's gateway keeps its store. */
type Location = { databaseUrl: string } | { dataDir: string };

/** The local cluster serving DATABASE_URL, for --pg-restart: "15 trials", from pg_lsclusters. */
function clusterToRestart(): { version: string; name: string; port: number } {
  const url = new URL(SERVER_URL);
  const port = Number(url.port || 5432);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`--pg-restart restarts a local cluster; DATABASE_URL's host is ${url.hostname}`);
  }
  const cluster = execSync('pg_lsclusters --no-header', { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((c) => Number(c[2]) === port);
  if (!cluster) throw new Error(`--pg-restart: no local cluster on port ${port} (pg_lsclusters)`);
  if (port === 5432 && !process.argv.includes('--i-know-this-restarts-the-shared-server')) {
    throw new Error(
      '--pg-restart would restart the cluster on port 5432, the shared server (every other database on ' +
        'it too): use a private cluster (see the header), or add --i-know-this-restarts-the-shared-server',
    );
  }
  return { version: cluster[0]!, name: cluster[1]!, port };
}
const CLUSTER = PG_RESTART ? clusterToRestart() : undefined;

const random = seededRandom(SEED);
const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Proc = GatewayProcess;

function startGateway(sim: Simulator, location: Location, args: string[]): Proc {
  return spawnGateway(sim, args, {
    ESPM_TIMEOUT_MS: ESPM_FAULTS ? '1500' : '5000',
    DATABASE_URL: 'databaseUrl' in location ? location.databaseUrl : '',
    GATEWAY_DATA_DIR: 'dataDir' in location ? location.dataDir : '',
    GATEWAY_LEASE_SECONDS: '5',
  });
}

const alive = (p: Proc): boolean => p.child.exitCode === null && p.child.signalCode === null;

async function stop(p: Proc, signal: NodeJS.Signals): Promise<void> {
  if (alive(p)) p.child.kill(signal);
  await p.exited;
}

/**
 * What runs the gateway during a trial: one `serve` (started again when it died), or `sync --once`
 * after `sync --once` until stopped.
 */
interface Runner {
  /** The process running now, if any. */
  current(): Proc | undefined;
  /** SIGKILLs the process running now; nothing starts again until resume(). */
  kill(): Promise<void>;
  resume(): void;
  /** Starts again a `serve` that died on its own (a PostgreSQL restart); returns its last output. */
  revive(): string | undefined;
  stop(): Promise<void>;
  /** Processes started, and for sync --once the exit codes ("SIGKILL" for a killed one). */
  started: number;
  /** `serve` processes that died on their own (and were started again), with their last words. */
  died: string[];
  exits: Record<string, number>;
}

function serveRunner(sim: Simulator, location: Location): Runner {
  let proc: Proc | undefined = startGateway(sim, location, ['serve']);
  const all: Proc[] = [proc];
  const runner: Runner = {
    started: 1,
    died: [],
    exits: {},
    current: () => proc,
    kill: async () => {
      if (proc) await stop(proc, 'SIGKILL');
      proc = undefined;
    },
    resume: () => {
      proc = startGateway(sim, location, ['serve']);
      all.push(proc);
      runner.started++;
    },
    revive: () => {
      if (proc && alive(proc)) return undefined;
      const last = proc?.output.slice(-300) ?? '';
      if (proc) runner.died.push(last);
      runner.resume();
      return last;
    },
    stop: async () => {
      if (proc) await stop(proc, 'SIGTERM');
      for (const p of all) await stop(p, 'SIGKILL');
    },
  };
  return runner;
}

function syncRunner(sim: Simulator, location: Location): Runner {
  let proc: Proc | undefined;
  let held = false;
  let stopped = false;
  const runner: Runner = {
    started: 0,
    died: [],
    exits: {},
    current: () => proc,
    kill: async () => {
      held = true;
      if (proc) await stop(proc, 'SIGKILL');
    },
    resume: () => {
      held = false;
    },
    revive: () => undefined,
    stop: async () => {
      // The run in hand finishes (it has nothing left to do once the trial settled), as cron's would.
      stopped = true;
      if (proc) await Promise.race([proc.exited, sleep(30_000)]);
      if (proc) await stop(proc, 'SIGKILL');
      await loop;
    },
  };
  const loop = (async () => {
    while (!stopped) {
      if (held) {
        await sleep(20);
        continue;
      }
      proc = startGateway(sim, location, ['sync', '--once']);
      runner.started++;
      const code = await proc.exited;
      const key = proc.child.signalCode ?? String(code);
      runner.exits[key] = (runner.exits[key] ?? 0) + 1;
    }
  })();
  return runner;
}

/** Waits until the simulator has counted `target` provider requests. */
async function untilRequests(
  sim: Simulator,
  runner: Runner,
  target: number,
  deadline: number,
): Promise<void> {
  while (sim.requests().provider.total < target && Date.now() < deadline) {
    runner.revive();
    await sleep(5);
  }
}

function restartPostgres(mode: 'fast' | 'immediate'): void {
  const c = CLUSTER!;
  execSync(`pg_ctlcluster --skip-systemctl-redirect -m ${mode} ${c.version} ${c.name} restart`, {
    stdio: 'ignore',
  });
}

/** A seeded plan of the ESPM faults of one trial, in provider request counts. */
interface FaultPlan {
  /** Request counts where "timeout after processing" flips, starting from `afterFirst`. */
  flips: number[];
  afterFirst: boolean;
  storms: { at: number; ms: number; seed: number }[];
  maintenance: { at: number; ms: number };
  seed: number;
}

function planFaults(expectedRequests: number): FaultPlan {
  const flips: number[] = [];
  for (let at = between(20, 60); at < 20 * expectedRequests; at += between(20, 60)) flips.push(at);
  return {
    flips,
    afterFirst: random() < 0.5,
    storms: [0, 1].map(() => ({
      at: between(1, expectedRequests),
      ms: between(2000, 4000),
      seed: between(1, 2 ** 30),
    })),
    maintenance: { at: between(1, expectedRequests), ms: between(2000, 5000) },
    seed: between(1, 2 ** 30),
  };
}

const BASE_FAULTS: Partial<FaultSettings> = {
  latencyMs: 10,
  errorRate: 0.1,
  errorStatuses: [500, 502, 503],
  timeoutRate: 0.05,
  malformedRate: 0.03,
};

/** Applies the plan as the requests go by, until stop() (which clears the faults). */
function driveFaults(sim: Simulator, plan: FaultPlan): { stop: () => Promise<void> } {
  let stopped = false;
  let after = plan.afterFirst;
  sim.setFaults({ ...BASE_FAULTS, timeoutAfterProcessing: after, seed: plan.seed });
  const flips = [...plan.flips];
  const storms = plan.storms.map((s) => ({ ...s, until: 0 }));
  let maintenanceDone = false;
  const loop = (async () => {
    while (!stopped) {
      const n = sim.requests().provider.total;
      const now = Date.now();
      while (flips.length && flips[0]! <= n) {
        flips.shift();
        after = !after;
        sim.setFaults({ timeoutAfterProcessing: after });
      }
      for (const s of storms) {
        if (s.until === 0 && s.at <= n) {
          s.until = now + s.ms;
          sim.setFaults({ rateLimitPerSecond: 5, rateLimitBurst: 2, seed: s.seed });
        } else if (s.until > 0 && s.until <= now) {
          s.until = -1;
          if (!storms.some((o) => o.until > now)) sim.setFaults({ rateLimitPerSecond: 0, seed: s.seed + 1 });
        }
      }
      if (!maintenanceDone && plan.maintenance.at <= n) {
        maintenanceDone = true;
        sim.setFaults({ maintenanceUntil: new Date(now + plan.maintenance.ms).toISOString() });
      }
      await sleep(10);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      sim.clearFaults();
    },
  };
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
  at: string[];
  /** Entries left 'sending' by each killed process, counted before the restart. */
  inDoubt: number[];
  espmFaults: Record<string, number>;
  processes: number;
  exits: Record<string, number>;
  /** `serve` processes that died on their own (PostgreSQL restarts) and were started again. */
  died: number;
  /** Per fault, ms until ESPM received a write again (undefined: nothing was left to write). */
  resumedMs: Array<number | undefined>;
  detail: string;
}

/** Counts in the store, through a fresh connection each time (survives a PostgreSQL restart). */
async function storeCounts(location: Location): Promise<{ open: number; sending: number }> {
  let store: Store | undefined;
  try {
    store = await openStore(location);
    return await workLeft(store.db);
  } catch {
    return { open: -1, sending: -1 };
  } finally {
    await store?.close().catch(() => undefined);
  }
}

async function trial(expectedRequests: number, opts: { baseline: boolean }): Promise<Trial> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'crash-trials-'));
  const sim = await startSimulator({ host: '127.0.0.1', port: 0, validateRequests: false, seed: SEED });
  const database = EMBEDDED ? { url: '', drop: async () => undefined } : await createTestDatabase();
  const location: Location = EMBEDDED ? { dataDir: join(dir, 'data') } : { databaseUrl: database.url };
  let runner: Runner | undefined;
  let faultDriver: { stop: () => Promise<void> } | undefined;
  try {
    const store = await openStore(location);
    try {
      await seedSimulator(sim, METERS);
      await seedCustomers(store, METERS);
      await importHistory(store, dir, METERS);
    } finally {
      await store.close();
    }
    // A little latency per call, so that the process is caught mid-work rather than between cycles.
    sim.setFaults({ latencyMs: 10 });
    const meterIds = Object.keys(sim.store.data.meterShares);
    const deadline = Date.now() + TIMEOUT_S * 1000;

    const faults = opts.baseline ? 0 : 1 + (random() < 0.5 ? 1 : 0);
    const targets: number[] = [];
    for (let f = 0, lo = 1; f < faults; f++) {
      targets.push(between(lo, Math.max(lo, expectedRequests)));
      lo = targets[f]! + 1;
    }
    const modes = targets.map(() => (random() < 0.5 ? 'fast' : 'immediate') as 'fast' | 'immediate');
    if (ESPM_FAULTS && !opts.baseline) faultDriver = driveFaults(sim, planFaults(expectedRequests));
    const at: string[] = [];
    const inDoubt: number[] = [];
    runner = COMMAND === 'serve' ? serveRunner(sim, location) : syncRunner(sim, location);
    // Per fault: how long from the fault until ESPM received a write again (a decision or an entry) from a
    // live process, if any was left to write.
    const resumed: Array<Promise<number | undefined>> = [];
    const writes = (): number =>
      sim.store.data.decisions.length + Object.keys(sim.store.data.consumption).length;
    const allWrites = METERS * (1 + PERIODS);
    // Counted from the moment the server is back (or the dead process's requests in flight are over).
    const writingAgain = async (faultAt: number): Promise<number | undefined> => {
      const writesAt = writes();
      while (writes() === writesAt && writes() < allWrites && Date.now() < deadline) await sleep(20);
      return writes() > writesAt ? Date.now() - faultAt : undefined;
    };
    for (let f = 0; f < faults; f++) {
      await untilRequests(sim, runner, targets[f]!, deadline);
      const count = sim.requests().provider.total;
      const faultAt = Date.now();
      if (PG_RESTART) {
        at.push(`${count} (${modes[f]})`);
        restartPostgres(modes[f]!);
        resumed.push(writingAgain(faultAt));
        await sleep(2000);
        runner.revive();
      } else {
        at.push(String(count));
        await runner.kill();
        // Writes the dead process left in doubt: entries marked 'sending' whose answer it never recorded.
        inDoubt.push((await storeCounts(location)).sending);
        resumed.push(writingAgain(faultAt));
        runner.resume();
      }
    }

    const expectedEntries = METERS * PERIODS;
    let settled = false;
    let progress = '';
    let syncedAt = 0;
    while (Date.now() < deadline) {
      const died = runner.revive();
      // Died on its own (a PostgreSQL restart, say): as an operator's supervisor would, start it again.
      if (died !== undefined) progress += ` [serve exited: ${died}]`;
      const d = sim.store.data;
      const pending = Object.values(d.meterShares).filter((s) => s.status === 'pending').length;
      const entries = sim.state().consumption.length;
      if (entries >= expectedEntries && syncedAt === 0) syncedAt = sim.requests().provider.total;
      if (pending === 0 && entries >= expectedEntries) {
        // The embedded store cannot be read beside the process: judged once it is stopped, below.
        if (EMBEDDED) {
          await sleep(3000);
          settled = true;
          break;
        }
        const counts = await storeCounts(location);
        progress = `pending ${pending}, entries ${entries}/${expectedEntries}, open ${counts.open}, sending ${counts.sending}`;
        if (counts.open === 0 && counts.sending === 0) {
          settled = true;
          break;
        }
      } else progress = `pending ${pending}, entries ${entries}/${expectedEntries}`;
      await sleep(250);
    }
    const processes = runner.started;
    const died = runner.died;
    const resumedMs = await Promise.all(resumed);
    await runner.stop();
    const exits = runner.exits;
    runner = undefined;
    await faultDriver?.stop();
    faultDriver = undefined;

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
    const counts = await storeCounts(location);
    if (EMBEDDED && settled && (counts.open !== 0 || counts.sending !== 0)) {
      settled = false;
      progress = `open ${counts.open}, sending ${counts.sending} once stopped`;
    }
    const detail = [
      settled ? '' : `not settled: ${progress}`,
      died.length
        ? `serve died of: ${[...new Set(died.map((d) => d.replace(/\s+/g, ' ').trim().slice(-160)))].join(' / ')}`
        : '',
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
    const provider = sim.requests().provider;
    return {
      faults,
      requests: provider.total,
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
      espmFaults: provider.byFault,
      processes,
      exits,
      died: died.length,
      resumedMs,
      detail,
    };
  } finally {
    await runner?.stop().catch(() => undefined);
    await faultDriver?.stop().catch(() => undefined);
    await sim.close();
    await database.drop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

const faultName = PG_RESTART
  ? `PostgreSQL restart (cluster ${CLUSTER!.version}/${CLUSTER!.name}, port ${CLUSTER!.port})`
  : `SIGKILL of ${COMMAND === 'serve' ? 'serve' : 'sync --once'}`;
out(
  `crash trials: ${TRIALS} trials, ${fmt(METERS)} meters × ${PERIODS} periods, seed ${SEED}, command ` +
    `${COMMAND === 'serve' ? 'serve' : 'sync --once (repeated)'}, store ${EMBEDDED ? 'embedded' : 'PostgreSQL'}, fault ${faultName}` +
    `${ESPM_FAULTS ? ', ESPM faults (10% 5xx, 5% timeouts before/after processing, 3% malformed, 2 × 429 storms, maintenance)' : ''}; ${machine()}`,
);
const started = Date.now();
const ok = (r: Trial): boolean =>
  r.settled && r.duplicates === 0 && r.missing === 0 && r.decisionsWrong === 0 && r.sending === 0;
const byKind = (m: Record<string, number>): string =>
  FAULT_KINDS.map((k) => `${k} ${fmt(m[k] ?? 0)}`).join(', ');
const exitsOf = (m: Record<string, number>): string =>
  Object.entries(m)
    .map(([k, n]) => `${k}×${n}`)
    .join(' ');

// The baseline: the same sync with no fault at all, for the kill moments and the retries ratio.
const base = await trial(3 * METERS, { baseline: true });
out(
  `  baseline (no fault): ${ok(base) ? 'ok' : 'FAILED'}, synced at ${fmt(base.syncedAt)} provider requests ` +
    `(${fmt(base.requests)} in all), entries ${fmt(base.entries)}, ${COMMAND === 'sync' ? `${base.processes} sync runs, ` : ''}` +
    `${seconds(base.ms)}${base.detail ? ` — ${base.detail}` : ''}`,
);
const expectedRequests = Math.max(1, base.syncedAt);
const totals = {
  inDoubt: 0,
  faults: 0,
  requests: 0,
  syncedAt: 0,
  entries: 0,
  duplicates: 0,
  missing: 0,
  decisions: 0,
  sending: 0,
  processes: 0,
  died: 0,
};
const espmTotals: Record<string, number> = {};
const exitTotals: Record<string, number> = {};
let maxRatio = 0;
const resumedAll: number[] = [];
let failed = ok(base) ? 0 : 1;
for (let i = 1; i <= TRIALS; i++) {
  const r = await trial(expectedRequests, { baseline: false });
  totals.faults += r.faults;
  totals.inDoubt += r.inDoubt.reduce((a, b) => a + Math.max(0, b), 0);
  totals.requests += r.requests;
  totals.syncedAt += r.syncedAt;
  totals.entries += r.entries;
  totals.duplicates += r.duplicates;
  totals.missing += r.missing;
  totals.decisions += r.decisionsWrong;
  totals.sending += Math.max(0, r.sending);
  totals.processes += r.processes;
  totals.died += r.died;
  for (const ms of r.resumedMs) if (ms !== undefined) resumedAll.push(ms);
  for (const [k, n] of Object.entries(r.espmFaults)) espmTotals[k] = (espmTotals[k] ?? 0) + n;
  for (const [k, n] of Object.entries(r.exits)) exitTotals[k] = (exitTotals[k] ?? 0) + n;
  const ratio = r.syncedAt / expectedRequests;
  maxRatio = Math.max(maxRatio, ratio);
  if (!ok(r)) failed++;
  out(
    `  trial ${i}: ${ok(r) ? 'ok' : 'FAILED'}, ${r.faults} ${PG_RESTART ? 'restart(s)' : 'kill(s)'} at request ` +
      `${r.at.join(', ')}${r.inDoubt.length ? ` (entries left sending: ${r.inDoubt.join(', ')})` : ''}, ` +
      `synced at ${fmt(r.syncedAt)} (×${ratio.toFixed(2)} baseline), ${fmt(r.requests)} requests in all, ` +
      `${ESPM_FAULTS ? `ESPM faults: ${byKind(r.espmFaults)}; ` : ''}` +
      `${COMMAND === 'sync' ? `${r.processes} sync runs (exits ${exitsOf(r.exits)}), ` : ''}` +
      `${COMMAND === 'serve' && PG_RESTART ? `serve died ${r.died} time(s), ` : ''}` +
      `writing again after ${r.resumedMs.map((ms) => (ms === undefined ? '–' : seconds(ms))).join(', ')}, ` +
      `entries ${fmt(r.entries)}, duplicates ${r.duplicates}, missing ${r.missing}, shares not answered ` +
      `once ${r.decisionsWrong}, sending ${r.sending}, ${seconds(r.ms)}${r.detail ? ` — ${r.detail}` : ''}`,
  );
}
out(
  `summary: ${TRIALS} trials (${failed} failed), ${fmt(METERS)} meters, ${totals.faults} ` +
    `${PG_RESTART ? 'PostgreSQL restarts' : `kills (leaving ${totals.inDoubt} entries 'sending')`}, ` +
    `${ESPM_FAULTS ? `ESPM faults ${byKind(espmTotals)}, ` : ''}` +
    `${COMMAND === 'sync' ? `${totals.processes} sync runs (exits ${exitsOf(exitTotals)}), ` : ''}` +
    `${COMMAND === 'serve' && PG_RESTART ? `serve died ${totals.died} time(s) and was started again, ` : ''}` +
    `writing again after a fault in ${resumedAll.length ? `${seconds(resumedAll.reduce((a, b) => a + b, 0) / resumedAll.length)} on average, ${seconds(Math.max(...resumedAll))} at most` : '–'}, ` +
    `${fmt(totals.requests)} provider requests (to the last entry: ${fmt(totals.syncedAt)}, ` +
    `×${(totals.syncedAt / TRIALS / expectedRequests).toFixed(2)} the baseline's ${fmt(expectedRequests)} ` +
    `on average, ×${maxRatio.toFixed(2)} at most), ${fmt(totals.entries)} entries, duplicates ` +
    `${totals.duplicates}, missing ${totals.missing}, shares not answered once ${totals.decisions}, left ` +
    `sending ${totals.sending}, ${seconds(Date.now() - started)} (${seconds((Date.now() - started) / (TRIALS + 1))} per trial, baseline included)`,
);
process.exit(failed ? 1 : 0);
