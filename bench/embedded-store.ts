// The zero-config store as a deployment runs it: `serve` on a fresh data directory (no DATABASE_URL), then
// the README's commands beside it. Prints the memory of serve (its RSS) and of the store's PostgreSQL
// server (the PSS of its processes, so shared buffers count once), both once serve is listening (before
// its first ESPM call: the simulator answers none until the measure is taken) and after an import of ROWS
// billing rows by `import-billing` beside it; the start time of a command on the existing store, with the
// server running (beside serve) and with none (the command starts it and stops it again); and the import's
// speed. Baseline in the same run: the same import and command on the PostgreSQL of DATABASE_URL, when set.
// Runs as whoever runs it: as root the server runs in a user namespace (see store/embedded-server.ts);
// `setpriv --reuid=nobody --regid=nogroup --clear-groups` runs it as a normal user.
//
//   npx tsx bench/embedded-store.ts          Options: STORE_ROWS (100,000), STORE_RUNS (5)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@gaz-espm/espm-simulator';
import { createTestDatabase } from '@gaz-espm/gateway/testing/test-store';
import { generateBillingCsv } from './billing-csv.ts';
import { fmt, gatewayCli, machine, mb, numberFromEnv, out, saveJson, seconds } from './lib.ts';
import { serverPss } from './server-pss.ts';

const ROWS = numberFromEnv('STORE_ROWS', 100_000);
const RUNS = numberFromEnv('STORE_RUNS', 5);

function rssOf(pid: number): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(text)?.[1] ?? 0) * 1024;
}

async function command(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; code: number | null; output: string }> {
  const cli = gatewayCli(args);
  const t = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, cli, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ ms: performance.now() - t, code, output }));
  });
}

async function median(runs: number, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await command(args, env);
    if (r.code !== 0) throw new Error(`${args.join(' ')} failed:\n${r.output}`);
    times.push(r.ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const user = process.getuid?.() === 0 ? 'root (server in a user namespace)' : `uid ${process.getuid?.()}`;
out(`embedded store: ${fmt(ROWS)} billing rows, ${RUNS} runs per command, as ${user}; ${machine()}`);
const dir = mkdtempSync(join(tmpdir(), 'bench-embedded-'));
const dataDir = join(dir, 'data');
const file = join(dir, 'billing.csv');
await generateBillingCsv(file, ROWS);
// The simulator holds every answer until the first measure: serve's RSS is then the one before any ESPM call.
const sim = await startSimulator({ port: 0, validateRequests: false, seed: 1 });
sim.setFaults({ latencyMs: 60_000 });
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: '',
  GATEWAY_DATA_DIR: dataDir,
  ESPM_BASE_URL: sim.url,
  ESPM_USERNAME: sim.provider.username,
  ESPM_PASSWORD: sim.provider.password,
  GATEWAY_PORT: '0',
  GATEWAY_LOG_LEVEL: 'warn',
};
const result: Record<string, number | string> = { rows: ROWS, user };
try {
  const t = performance.now();
  const serve = spawn(process.execPath, gatewayCli(['serve']), {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let said = '';
  serve.stdout.on('data', (d: Buffer) => (said += d.toString()));
  serve.stderr.on('data', (d: Buffer) => (said += d.toString()));
  while (!/listening on/.test(said)) {
    if (serve.exitCode !== null) throw new Error(`serve exited:\n${said}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  result.serveStartMs = performance.now() - t;
  result.serveRssListening = rssOf(serve.pid!);
  result.serverPssListening = serverPss(dataDir).bytes;
  out(
    `  serve listening after ${seconds(result.serveStartMs)} (fresh data directory): serve RSS ${mb(result.serveRssListening)}, ` +
      `server PSS ${mb(result.serverPssListening)}`,
  );
  sim.setFaults({});

  result.commandBesideServeMs = await median(RUNS, ['operator', 'list'], env);
  out(`  operator list beside serve (server running): median ${seconds(result.commandBesideServeMs)}`);

  const imported = await command(['import-billing', file], env);
  if (imported.code !== 0) throw new Error(`import-billing failed:\n${imported.output}`);
  result.importMs = imported.ms;
  result.importRowsPerSecond = Math.round(ROWS / (imported.ms / 1000));
  const server = serverPss(dataDir);
  result.serveRssAfterImport = rssOf(serve.pid!);
  result.serverPssAfterImport = server.bytes;
  out(
    `  import-billing ${fmt(ROWS)} rows beside serve: ${seconds(imported.ms)} (whole command), ${fmt(result.importRowsPerSecond)} rows/s; ` +
      `then serve RSS ${mb(result.serveRssAfterImport)}, server PSS ${mb(server.bytes)} (${server.processes} processes)`,
  );

  serve.kill('SIGTERM');
  await new Promise((r) => serve.once('exit', r));
  result.commandColdMs = await median(RUNS, ['operator', 'list'], env);
  out(`  operator list alone (starts and stops the server): median ${seconds(result.commandColdMs)}`);

  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase();
    try {
      const pgEnv = { ...env, DATABASE_URL: database.url };
      const pgImport = await command(['import-billing', file], pgEnv);
      if (pgImport.code !== 0) throw new Error(`import-billing on PostgreSQL failed:\n${pgImport.output}`);
      result.postgresImportMs = pgImport.ms;
      result.postgresCommandMs = await median(RUNS, ['operator', 'list'], pgEnv);
      out(
        `  baseline, PostgreSQL at DATABASE_URL: import ${seconds(pgImport.ms)} (embedded ÷ PostgreSQL ${(imported.ms / pgImport.ms).toFixed(2)}), ` +
          `operator list ${seconds(result.postgresCommandMs)} (embedded beside serve ÷ PostgreSQL ${(result.commandBesideServeMs / result.postgresCommandMs).toFixed(2)})`,
      );
    } finally {
      await database.drop();
    }
  }
  saveJson(result);
} finally {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
