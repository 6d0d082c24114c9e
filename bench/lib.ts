// Small helpers shared by the benchmark scripts (bench/run.ts runs them all).
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { builtCli } from '@gaz-espm/gateway/testing/built-cli';

/** True when the script was started with --full (through `npm run bench -- --full`). */
export const FULL = process.argv.includes('--full') || process.env.BENCH_FULL === '1';

export function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return n;
}

export function machine(): string {
  return `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString()}`;
}

export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

export function fmt(n: number): string {
  return n.toLocaleString('en');
}

/** Samples this process's RSS every `everyMs` and keeps the peak. */
export function rssSampler(everyMs = 100): { peak: () => number; stop: () => number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  timer.unref();
  return {
    peak: () => peak,
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** Writes a machine-readable summary next to the human output when BENCH_JSON names a file. */
export function saveJson(result: unknown): void {
  const file = process.env.BENCH_JSON;
  if (file) writeFileSync(file, JSON.stringify(result, null, 2));
}

export function dateOnly(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** First and last day of the month `offset` months after (year, month0). */
export function monthPeriod(year: number, month0: number): { start: string; end: string } {
  const start = new Date(Date.UTC(year, month0, 1));
  const end = new Date(Date.UTC(year, month0 + 1, 0));
  return { start: dateOnly(start), end: dateOnly(end) };
}

/**
 * The environment of a gateway process the benchmark spawns: pointed at the simulator with the client's
 * limits, on the benchmark's PostgreSQL database or else the embedded store in `dataDir`, quiet logs.
 */
export function gatewayEnv(
  sim: { url: string; provider: { username: string; password: string } },
  o: { rate: number; concurrency: number; dataDir: string; databaseUrl: string | undefined },
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ESPM_BASE_URL: sim.url,
    ESPM_USERNAME: sim.provider.username,
    ESPM_PASSWORD: sim.provider.password,
    ESPM_MAX_RPS: String(o.rate),
    ESPM_MAX_CONCURRENCY: String(o.concurrency),
    GATEWAY_DATA_DIR: o.dataDir,
    GATEWAY_LOG_LEVEL: 'warn',
    ...extra,
  };
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

/**
 * The arguments of `node` running the gateway's CLI as a deployment does: the built JavaScript, built
 * from the source as it is now into a folder of the benchmark's own, so that a `serve` running from
 * `npm run build`'s output beside it keeps its chunks.
 */
export function gatewayCli(args: string[]): string[] {
  return [builtCli(), ...args];
}
