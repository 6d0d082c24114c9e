// Onboarding from a cold process: N new customers each create an account, a property and a meter in
// the simulator's customer side, connect, share the property and share the meter (the four custom
// fields right, 24 months of history asked for), and their 25 months of billing go through the
// gateway's CSV import. Then a fresh `sync --once` process (the built CLI as a deployment runs it, the store opened and its
// migrations checked, every service once) against the simulator answering after LATENCY_MS and
// refusing beyond RATE requests/s. Its wall time, from spawn to exit, is compared to the floor
// minimum requests / RATE; then a second `sync --once` on the now existing store (nothing pending) says
// how long a start takes before its first ESPM request.
//
//   npx tsx bench/onboarding.ts [--full]     N=100 quick (embedded), 2,000 full; DATABASE_URL set:
//   PostgreSQL (a throwaway database). Options: ONBOARD_N, ONBOARD_RATE=20, ONBOARD_LATENCY_MS=200.
import { spawn } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { startSimulator } from '@gaz-espm/espm-simulator';
import { openStore } from '@gaz-espm/gateway/store';
import { createTestDatabase } from '@gaz-espm/gateway/testing/test-store';
import { FULL, fmt, gatewayCli, gatewayEnv, machine, numberFromEnv, out, saveJson, seconds } from './lib.ts';
import { connectAndShareProperty, everyCustomer, shareMeter } from './customers.ts';
import { importHistory } from './seed-shares.ts';

const N = numberFromEnv('ONBOARD_N', FULL ? 2000 : 100);
const RATE = numberFromEnv('ONBOARD_RATE', 20);
const LATENCY_MS = numberFromEnv('ONBOARD_LATENCY_MS', 200);
const CONCURRENCY = Math.ceil(RATE * (LATENCY_MS / 1000) * 1.5);
const PAGE = 20;

interface SyncRun {
  wallMs: number;
  /** From the spawn to the simulator receiving the first ESPM request. */
  firstRequestMs: number | undefined;
  /** The process's CPU time (user + system) before its first ESPM request, and in all. */
  cpuBeforeFirstMs: number | undefined;
  cpuMs: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

async function syncOnce(sim: Simulator, env: NodeJS.ProcessEnv): Promise<SyncRun> {
  let first: number | undefined;
  let cpuBeforeFirstMs: number | undefined;
  let cpuMs = 0;
  const onRequest = (req: IncomingMessage): void => {
    if (first === undefined && req.url?.startsWith('/ws/')) {
      first = Date.now();
      cpuBeforeFirstMs = cpuOf(child.pid!);
    }
  };
  sim.app.server.on('request', onRequest);
  const args = gatewayCli(['sync', '--once']);
  const started = Date.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // The machine is shared: CPU time says what the process costs whatever the load.
  const sampler = setInterval(() => (cpuMs = cpuOf(child.pid!) ?? cpuMs), 50);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallMs = Date.now() - started;
  clearInterval(sampler);
  sim.app.server.off('request', onRequest);
  return {
    wallMs,
    firstRequestMs: first === undefined ? undefined : first - started,
    cpuBeforeFirstMs,
    cpuMs,
    exitCode,
    stdout,
    stderr,
  };
}

const TICK_MS = 10; // the kernel's clock tick (USER_HZ 100) in /proc/<pid>/stat

/** utime + stime of a live process, from /proc. */
function cpuOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

function report(label: string, run: SyncRun, minimum: number, sim: Simulator): Record<string, unknown> {
  const counts = sim.requests().provider;
  const floorMs = (minimum / RATE) * 1000;
  const extra = counts.total - minimum;
  out(
    `  ${label.padEnd(30)} wall ${seconds(run.wallMs).padStart(7)}  floor ${seconds(floorMs).padStart(7)}  ` +
      `ratio ${(run.wallMs / floorMs).toFixed(2)}  first ESPM request after ${run.firstRequestMs ?? '—'} ms ` +
      `(CPU ${run.cpuBeforeFirstMs ?? '—'} ms)  CPU ${seconds(run.cpuMs)}  load ${loadavg()[0]!.toFixed(1)}  ` +
      `requests ${fmt(counts.total)} / min ${fmt(minimum)} (${extra >= 0 ? '+' : ''}${extra})  429s ${counts.byStatus['429'] ?? 0}`,
  );
  // Once started: does the process keep the client's pipe full (the start-up is the line above)?
  if (run.firstRequestMs !== undefined) {
    out(
      `    from the first ESPM request to the exit: ratio ${((run.wallMs - run.firstRequestMs) / floorMs).toFixed(2)}`,
    );
  }
  out(`    by route: ${JSON.stringify(counts.byRoute)}`);
  out(`    ${run.stdout.trim().split('\n').join('\n    ')}`);
  if (run.exitCode !== 0) out(`  sync --once exited ${run.exitCode}:\n${run.stderr}`);
  return {
    label,
    wallMs: run.wallMs,
    floorMs,
    ratio: run.wallMs / floorMs,
    firstRequestMs: run.firstRequestMs,
    cpuBeforeFirstMs: run.cpuBeforeFirstMs,
    cpuMs: run.cpuMs,
    loadAverage: loadavg()[0],
    requests: counts.total,
    minimum,
    tooMany: counts.byStatus['429'] ?? 0,
    byRoute: counts.byRoute,
  };
}

out(
  `onboarding, cold sync --once: N=${fmt(N)} new customers, rate ${RATE}/s, latency ${LATENCY_MS} ms, ` +
    `client concurrency ${CONCURRENCY}, store ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded (on disk)'}; ${machine()}`,
);
const dir = mkdtempSync(join(tmpdir(), 'bench-onboard-'));
const sim = await startSimulator({ port: 0, validateRequests: false, seed: 1 });
const database = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
const dataDir = join(dir, 'data');
let failed = false;
try {
  const t = Date.now();
  const customers = await everyCustomer(N, (i) => connectAndShareProperty(sim, i));
  const store = await openStore(database ? { databaseUrl: database.url } : { dataDir });
  try {
    await importHistory(store, dir, N);
  } finally {
    await store.close();
  }
  out(
    `  ${fmt(N)} customers connecting and sharing a property, ${fmt(N * 25)} billing rows imported in ${seconds(Date.now() - t)}`,
  );

  const env = gatewayEnv(sim, { rate: RATE, concurrency: CONCURRENCY, dataDir, databaseUrl: database?.url });
  const pages = Math.max(1, Math.ceil(N / PAGE));
  const limited = async (minimum: number, label: string): Promise<Record<string, unknown>> => {
    sim.setFaults({ latencyMs: LATENCY_MS, rateLimitPerSecond: RATE, rateLimitBurst: RATE });
    sim.resetRequests();
    const run = await syncOnce(sim, env);
    failed ||= run.exitCode !== 0;
    const r = report(label, run, minimum, sim);
    sim.clearFaults();
    return r;
  };
  const results: Record<string, unknown>[] = [];
  // Minimum: the notifications, every page of pending connections and property shares and one answer
  // each, one (empty) page of pending meter shares.
  results.push(await limited(2 + 2 * pages + 2 * N, 'connections, property shares'));
  await everyCustomer(N, (i) => shareMeter(customers[i]!, i));
  // Minimum: the notifications, one (empty) page each of connections and property shares, every page of
  // pending meter shares, one answer each, one read of each meter's entries and one POST of its 24 months.
  results.push(await limited(3 + pages + 3 * N, 'meter shares, 24 months each'));
  // Nothing pending: the notifications and the three lists, one page each; no consumption due.
  results.push(await limited(4, 'existing store, nothing new'));
  const sum = (key: 'wallMs' | 'floorMs'): number =>
    (results[0]![key] as number) + (results[1]![key] as number);
  out(
    `  onboarding, both cold runs: wall ${seconds(sum('wallMs'))}  floor ${seconds(sum('floorMs'))}  ratio ${(sum('wallMs') / sum('floorMs')).toFixed(2)}`,
  );
  saveJson({ n: N, rate: RATE, latencyMs: LATENCY_MS, concurrency: CONCURRENCY, results });
} finally {
  await sim.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
