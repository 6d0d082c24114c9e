// `npm run bench` (quick, for CI: 100 customers onboarded from a cold process, 100 shares, 100,000
// billing rows, 10,000 console links) and `npm run bench -- --full` (2,000 customers and shares,
// 1,000,000 rows, 100,000 links, serve through 20,000 new customers).
// Runs each benchmark in a child process, one after the other, and prints their reports; the figures
// and the targets are in BENCHMARKS.md. DATABASE_URL set: the PostgreSQL runs and the COPY floor too.
//
//   npm run bench [-- --full] [-- --only onboarding,sync,billing,console,serve,store]
// Every benchmark's own options (SYNC_N, BILLING_ROWS, LINKS…) pass through the environment.
import { spawnSync } from 'node:child_process';
import { FULL, machine, out, seconds } from './lib.ts';

const only = (() => {
  const at = process.argv.indexOf('--only');
  return at >= 0 ? (process.argv[at + 1] ?? '').split(',') : undefined;
})();

const BENCHES: Array<{ name: string; script: string; env: Record<string, string> }> = [
  // What a deployment's first days do: customers connect, share a property, then a meter; each
  // step a fresh `sync --once` process.
  { name: 'onboarding', script: 'bench/onboarding.ts', env: {} },
  {
    name: 'sync',
    script: 'bench/sync-throughput.ts',
    env: FULL ? {} : { SYNC_N: '100', SYNC_VARIANTS: 'gateway' },
  },
  { name: 'billing', script: 'bench/billing-import.ts', env: {} },
  {
    name: 'console',
    script: 'bench/console-list.ts',
    env: FULL ? { LINKS: '100000', RUNS: '30' } : { LINKS: '10000', RUNS: '10' },
  },
  // Memory, not time: in full, the simulator answers fast so that 20,000 customers take minutes, not hours.
  {
    name: 'serve',
    script: 'bench/serve-memory.ts',
    env: FULL ? { SERVE_RATE: '1000', SERVE_LATENCY_MS: '5' } : { SERVE_N: '50' },
  },
  { name: 'store', script: 'bench/embedded-store.ts', env: FULL ? {} : { STORE_RUNS: '1' } },
];

out(`npm run bench (${FULL ? 'full' : 'quick'}): ${machine()}`);
const started = Date.now();
let failed = 0;
for (const bench of BENCHES) {
  if (only && !only.includes(bench.name)) continue;
  out(`\n== ${bench.name} (${bench.script})`);
  const t = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', bench.script, ...(FULL ? ['--full'] : [])], {
    stdio: 'inherit',
    // Explicit variables win over the mode's defaults.
    env: { ...bench.env, ...process.env, ...(FULL ? { BENCH_FULL: '1' } : {}) },
  });
  if (r.status !== 0) failed++;
  out(
    `== ${bench.name}: ${r.status === 0 ? 'done' : `FAILED (exit ${r.status})`} in ${seconds(Date.now() - t)}`,
  );
}
out(`\nall benchmarks in ${seconds(Date.now() - started)}${failed ? `, ${failed} failed` : ''}`);
process.exitCode = failed ? 1 : 0;
