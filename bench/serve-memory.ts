// Memory of `serve` through a deployment's first days. N new customers (200 quick, 20,000 with --full)
// each create an account, a property and a gas meter in the simulator's customer side, connect and share
// the property; their 25 months of billing go through the gateway's CSV import. Then the gateway's `serve`
// command starts cold in a child process, on short schedules, and accepts the connections and property
// shares; once it has accepted them all, the customers share their meters (the four custom fields right,
// 24 months of history asked for: ESPM takes a meter share only from a connected customer), and serve
// decides the shares and uploads the history. Its RSS is sampled from /proc every 250 ms until every
// meter's 24 months are in the simulator; the peak is the child's VmHWM (the kernel's high-water mark of
// its RSS). Printed by phase (starting, connections and property shares, meter shares, consumption) and
// at milestones of the entries synced; on the embedded store, its PostgreSQL server's PSS beside it.
// The simulator answers after LATENCY_MS and refuses beyond RATE requests/s; the gateway's client is
// configured with the same rate.
//
//   npx tsx bench/serve-memory.ts [--full]     DATABASE_URL set: PostgreSQL (a throwaway database).
//   Options: SERVE_N, SERVE_RATE=20, SERVE_LATENCY_MS=200, SERVE_TIMEOUT_S (gives up; default 3 × the
//   floor + 120 s + 0.1 s per customer). The sizes: SERVE_RATE=1000 SERVE_LATENCY_MS=5.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { startSimulator } from '@gaz-espm/espm-simulator';
import { openStore } from '@gaz-espm/gateway/store';
import { createTestDatabase } from '@gaz-espm/gateway/testing/test-store';
import { connectAndShareProperty, everyCustomer, shareMeter } from './customers.ts';
import {
  FULL,
  fmt,
  gatewayCli,
  gatewayEnv,
  machine,
  mb,
  numberFromEnv,
  out,
  saveJson,
  seconds,
} from './lib.ts';
import { importHistory } from './seed-shares.ts';
import { serverPss } from './server-pss.ts';

const N = numberFromEnv('SERVE_N', FULL ? 20_000 : 200);
const RATE = numberFromEnv('SERVE_RATE', 20);
const LATENCY_MS = numberFromEnv('SERVE_LATENCY_MS', 200);
const CONCURRENCY = Math.ceil(RATE * (LATENCY_MS / 1000) * 1.5);
const PAGES = Math.max(1, Math.ceil(N / 20));
// onboarding.ts's minimum for its two runs: every page of pending connections, property shares and meter
// shares, one answer each, one read of each meter's entries and one POST of its 24 months.
const MINIMUM = 5 + 3 * PAGES + 5 * N;
const FLOOR_S = MINIMUM / RATE;
// Against a fast simulator the gateway's own work sets the pace: 20,000 customers took 960 s (2 cores).
const TIMEOUT_S = numberFromEnv('SERVE_TIMEOUT_S', 3 * FLOOR_S + 120 + 0.1 * N);
const PHASES = ['starting', 'connections and property shares', 'meter shares', 'consumption'] as const;
const MILESTONES = [0.1, 0.25, 0.5, 0.75, 1];

function procStatus(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number | undefined => {
      const v = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1];
      return v === undefined ? undefined : Number(v) * 1024;
    };
    const rss = kb('VmRSS');
    const hwm = kb('VmHWM');
    // An exited child (a zombie until reaped) has no memory lines.
    return rss === undefined || hwm === undefined ? undefined : { rss, hwm };
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** How many records of `records` have one of `statuses`. */
function counted(records: Record<string, { status: string }>, ...statuses: string[]): number {
  let n = 0;
  for (const r of Object.values(records)) if (statuses.includes(r.status)) n++;
  return n;
}

/** The entries in the simulator: ids are never reused, so created minus `base` while nothing deletes. */
const entriesCreated = (sim: Simulator, base: number): number => sim.store.data.counters.consumption - base;

interface PhaseMemory {
  startMs: number;
  endMs?: number;
  minRss: number;
  maxRss: number;
  endRss: number;
  maxServerPss: number;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

out(
  `serve memory: N=${fmt(N)} new customers, rate ${RATE}/s, latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}, ` +
    `store ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded (on disk)'}; ${machine()}`,
);
const dir = mkdtempSync(join(tmpdir(), 'bench-serve-'));
const sim = await startSimulator({ port: 0, validateRequests: false, seed: 1 });
const database = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
const dataDir = join(dir, 'data');
let failed = false;
try {
  let t = Date.now();
  const customers = await everyCustomer(N, (i) => connectAndShareProperty(sim, i));
  out(`  ${fmt(N)} customers connected and shared a property in ${seconds(Date.now() - t)}`);
  t = Date.now();
  const store = await openStore(database ? { databaseUrl: database.url } : { dataDir });
  try {
    await importHistory(store, dir, N);
  } finally {
    await store.close();
  }
  out(`  ${fmt(N * 25)} billing rows imported in ${seconds(Date.now() - t)}`);
  sim.setFaults({ latencyMs: LATENCY_MS, rateLimitPerSecond: RATE, rateLimitBurst: RATE });
  sim.resetRequests();
  const entriesBase = sim.store.data.counters.consumption;
  const entriesBefore = Object.keys(sim.store.data.consumption).length;

  const env = gatewayEnv(
    sim,
    { rate: RATE, concurrency: CONCURRENCY, dataDir, databaseUrl: database?.url },
    {
      GATEWAY_PORT: String(await freePort()),
      GATEWAY_REQUESTS_EVERY_SECONDS: '1',
      GATEWAY_CONSUMPTION_EVERY_SECONDS: '5',
    },
  );
  const started = Date.now();
  const child = spawn(process.execPath, gatewayCli(['serve']), { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exit = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let exited = false;
  void exit.then(() => (exited = true));
  const pid = child.pid!;
  const elapsed = (): number => Date.now() - started;
  const server = (): number => {
    if (database) return 0;
    try {
      return serverPss(dataDir).bytes;
    } catch {
      return 0; // not started yet, or stopping
    }
  };

  let peak = 0;
  let hwm = 0;
  let rss = 0;
  let serverPeak = 0;
  let entries = 0;
  const expected = N * 24;
  const samples: Array<[number, number]> = [];
  const phases: PhaseMemory[] = [];
  const enter = (ms: number): void => {
    const previous = phases.at(-1);
    if (previous) previous.endMs = ms;
    phases.push({ startMs: ms, minRss: rss, maxRss: rss, endRss: rss, maxServerPss: 0 });
  };
  enter(0);
  const milestones: Array<{ share: number; ms: number; entries: number; rss: number; serverPss: number }> =
    [];
  let sharing: Promise<void> | undefined;
  let sharedMs: number | undefined;
  let sharingError: unknown;
  let rssAtFirstCall: number | undefined;
  let lastReport = Date.now();
  for (let tick = 0; !exited && elapsed() / 1000 < TIMEOUT_S && sharingError === undefined; tick++) {
    await new Promise((r) => setTimeout(r, 250));
    const s = procStatus(pid);
    if (s) {
      rss = s.rss;
      peak = Math.max(peak, s.rss);
      hwm = Math.max(hwm, s.hwm);
      samples.push([elapsed(), s.rss]);
      const p = phases.at(-1)!;
      p.minRss = Math.min(p.minRss || rss, rss);
      p.maxRss = Math.max(p.maxRss, rss);
      p.endRss = rss;
    }
    const phase = phases.length - 1;
    if (phase === 0) {
      if (sim.requests().provider.total > 0) {
        rssAtFirstCall = rss;
        enter(elapsed());
      }
      continue;
    }
    // The counts walk the simulator's records (in this process): once a second is enough.
    if (tick % 4 !== 0) continue;
    const serverNow = server();
    serverPeak = Math.max(serverPeak, serverNow);
    phases.at(-1)!.maxServerPss = Math.max(phases.at(-1)!.maxServerPss, serverNow);
    entries = entriesCreated(sim, entriesBase);
    while (milestones.length < MILESTONES.length && entries >= MILESTONES[milestones.length]! * expected) {
      const share = MILESTONES[milestones.length]!;
      milestones.push({ share, ms: elapsed(), entries, rss, serverPss: serverNow });
      out(
        `    ${seconds(elapsed())}: ${share * 100}% of the entries (${fmt(entries)}), RSS ${mb(rss)}` +
          (database ? '' : `, server PSS ${mb(serverNow)}`),
      );
    }
    const data = sim.store.data;
    if (
      phase === 1 &&
      counted(data.connections, 'accepted') === N &&
      counted(data.propertyShares, 'accepted') === N
    ) {
      out(`    ${seconds(elapsed())}: every connection and property share accepted, RSS ${mb(rss)}`);
      enter(elapsed());
      // The customers, connected, share their meters (20 at a time) while serve runs on.
      sharing = everyCustomer(N, (i) => shareMeter(customers[i]!, i)).then(
        () => {
          sharedMs = elapsed();
          out(`    ${seconds(sharedMs)}: every customer has shared the meter`);
        },
        (e: unknown) => void (sharingError = e),
      );
    } else if (phase === 2 && sharedMs !== undefined && counted(data.meterShares, 'pending') === 0) {
      out(
        `    ${seconds(elapsed())}: every meter share answered (${fmt(counted(data.meterShares, 'accepted'))} accepted), ` +
          `RSS ${mb(rss)}`,
      );
      enter(elapsed());
    } else if (phase === 3 && entries >= expected) {
      // Confirms the count once: every meter's 24 months, none twice.
      entries = Object.keys(data.consumption).length - entriesBefore;
      if (entries >= expected) break;
    }
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      out(
        `    ${seconds(elapsed())}: ${PHASES[phase]}; ${fmt(entries)}/${fmt(expected)} entries, RSS ${mb(rss)}` +
          (database ? '' : `, server PSS ${mb(serverNow)}`) +
          `, requests ${fmt(sim.requests().provider.total)}, load ${load()}`,
      );
    }
  }
  const wallMs = elapsed();
  phases.at(-1)!.endMs = wallMs;
  const final = procStatus(pid);
  if (final) hwm = Math.max(hwm, final.hwm);
  child.kill('SIGTERM');
  // serve's own shutdown gives the job in hand 30 s.
  await Promise.race([exit, new Promise((r) => setTimeout(r, 40_000).unref())]);
  if (!exited) child.kill('SIGKILL');
  await sharing;
  const counts = sim.requests().provider;
  const done = entries >= expected;
  failed = !done;
  out(
    `  ${done ? 'synced' : 'NOT finished'}: ${fmt(entries)}/${fmt(expected)} entries in ${seconds(wallMs)} ` +
      `(from the child's start; floor ${seconds(FLOOR_S * 1000)}, the minimum requests at ${RATE}/s)`,
  );
  const top = Math.max(hwm, peak);
  const first = rssAtFirstCall ?? 0;
  const working = Math.max(0, ...phases.slice(1).map((p) => p.maxRss));
  out(
    `  peak RSS of serve: ${mb(top)} (VmHWM ${mb(hwm)}, sampled max ${mb(peak)})` +
      (database ? '' : `; embedded server's PSS peak ${mb(serverPeak)}`),
  );
  out(
    `  RSS at its first ESPM call (started, nothing done yet) ${mb(first)}; from then on up to ${mb(working)}`,
  );
  for (const [i, p] of phases.entries()) {
    out(
      `    ${PHASES[i]!.padEnd(32)} ${seconds(p.startMs).padStart(8)} – ${seconds(p.endMs ?? wallMs).padStart(8)}  ` +
        `RSS ${mb(p.minRss)}–${mb(p.maxRss)}, at its end ${mb(p.endRss)}` +
        (database || i === 0 ? '' : `; server PSS up to ${mb(p.maxServerPss)}`),
    );
  }
  out(
    `  requests ${fmt(counts.total)} (minimum ${fmt(MINIMUM)}), 429s ${counts.byStatus['429'] ?? 0}; load ${load()}`,
  );
  if (sharingError !== undefined) out(`  a meter share failed: ${String(sharingError)}`);
  if (!done) out(`  serve's stderr (end):\n${stderr}`);
  saveJson({
    n: N,
    store: database ? 'postgresql' : 'embedded',
    rate: RATE,
    latencyMs: LATENCY_MS,
    concurrency: CONCURRENCY,
    done,
    entries,
    wallMs,
    peakRssBytes: top,
    vmHwmBytes: hwm,
    rssAtFirstCallBytes: rssAtFirstCall,
    maxRssFromFirstCallBytes: working,
    serverPssPeakBytes: database ? undefined : serverPeak,
    phases: phases.map((p, i) => ({ phase: PHASES[i], ...p })),
    milestones,
    requests: counts.total,
    minimum: MINIMUM,
    tooMany: counts.byStatus['429'] ?? 0,
    loadAverage: loadavg(),
    samples,
  });
} finally {
  await sim.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
