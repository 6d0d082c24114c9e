// Memory of `serve` through an initial sync: N meter shares waiting in the simulator (200 quick, 20,000
// with --full), the gateway's `serve` command in a child process on short schedules, its RSS sampled
// from /proc every 250 ms until every meter's 24 months are in the simulator. The peak is the child's
// VmHWM (the kernel's high-water mark of its RSS). Latency and rate limit as in sync-throughput.ts.
//
//   npx tsx bench/serve-memory.ts [--full]     Options: SERVE_N, SERVE_RATE=20, SERVE_LATENCY_MS=200,
//                                               SERVE_TIMEOUT_S (gives up; default 3 × the floor + 120)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@gaz-espm/espm-simulator';
import { openStore } from '@gaz-espm/gateway/store';
import { createTestDatabase } from '@gaz-espm/gateway/testing/test-store';
import { FULL, fmt, gatewayEnv, machine, mb, numberFromEnv, out, saveJson, seconds } from './lib.ts';
import { firstMonthFor, importBilling, seedCustomers, seedSimulator } from './seed-shares.ts';

const N = numberFromEnv('SERVE_N', FULL ? 20_000 : 200);
const RATE = numberFromEnv('SERVE_RATE', 20);
const LATENCY_MS = numberFromEnv('SERVE_LATENCY_MS', 200);
const CONCURRENCY = Math.ceil(RATE * (LATENCY_MS / 1000) * 1.5);
const FLOOR_S = (3 * N + Math.ceil(N / 20)) / RATE;
const TIMEOUT_S = numberFromEnv('SERVE_TIMEOUT_S', 3 * FLOOR_S + 120);

function procStatus(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
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

out(
  `serve memory: N=${fmt(N)} shares, rate ${RATE}/s, latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}, ` +
    `store ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded (on disk)'}; ${machine()}`,
);
const dir = mkdtempSync(join(tmpdir(), 'bench-serve-'));
const sim = await startSimulator({ port: 0, validateRequests: false, seed: 1 });
const database = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
const dataDir = join(dir, 'data');
try {
  const t = Date.now();
  const store = await openStore(database ? { databaseUrl: database.url } : { dataDir });
  try {
    await seedSimulator(sim, N);
    await seedCustomers(store, N);
    const months = Array.from({ length: 25 }, (_, m) => m);
    await importBilling(store, dir, N, months, firstMonthFor(new Date()));
  } finally {
    await store.close();
  }
  out(`  seeded ${fmt(N)} shares and ${fmt(N * 25)} billing rows in ${seconds(Date.now() - t)}`);
  sim.setFaults({ latencyMs: LATENCY_MS, rateLimitPerSecond: RATE, rateLimitBurst: RATE });

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
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/gateway/src/cli/main.ts', 'serve'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const pid = child.pid!;
  let peak = 0;
  let hwm = 0;
  let entries = 0;
  const expected = N * 24;
  const samples: Array<[number, number]> = [];
  let lastReport = Date.now();
  let rssAtFirstCall: number | undefined;
  while (!exited && (Date.now() - started) / 1000 < TIMEOUT_S) {
    await new Promise((r) => setTimeout(r, 250));
    const s = procStatus(pid);
    if (s) {
      peak = Math.max(peak, s.rss);
      hwm = Math.max(hwm, s.hwm);
      samples.push([Date.now() - started, s.rss]);
    }
    if (rssAtFirstCall === undefined && s && sim.requests().provider.total > 0) rssAtFirstCall = s.rss;
    entries = Object.keys(sim.store.data.consumption).length;
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      out(
        `    ${seconds(Date.now() - started)}: ${fmt(entries)}/${fmt(expected)} entries, RSS ${mb(s?.rss ?? 0)}`,
      );
    }
    if (entries >= expected) break;
  }
  const wallMs = Date.now() - started;
  const final = procStatus(pid);
  if (final) hwm = Math.max(hwm, final.hwm);
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  const counts = sim.requests().provider;
  const done = entries >= expected;
  out(
    `  ${done ? 'synced' : 'NOT finished'}: ${fmt(entries)}/${fmt(expected)} entries in ${seconds(wallMs)} (from the child's start, floor ${seconds(FLOOR_S * 1000)})`,
  );
  out(
    `  peak RSS of serve: ${mb(Math.max(hwm, peak))} (VmHWM ${mb(hwm)}, sampled max ${mb(peak)}); ` +
      `RSS at its first ESPM call (started, nothing synced yet): ${mb(rssAtFirstCall ?? 0)}`,
  );
  out(`  requests ${fmt(counts.total)}, 429s ${counts.byStatus['429'] ?? 0}`);
  if (!done) out(`  serve's stderr (end):\n${stderr}`);
  saveJson({
    n: N,
    done,
    entries,
    wallMs,
    peakRssBytes: Math.max(hwm, peak),
    requests: counts.total,
    samples,
  });
} finally {
  await sim.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
}
