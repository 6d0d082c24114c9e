// The gateway's command line as a child process against the simulator, with schedules of one second:
// for what kills or runs several processes (the multi-instance test, the crash trials).
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli } from './built-cli.ts';
import { createTestDatabase } from './test-store.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** What a process printed last: enough to tell why it failed, bounded over a long run. */
const KEPT_OUTPUT = 64 * 1024;

export interface GatewayProcess {
  child: ChildProcess;
  /** stdout and stderr, the last KEPT_OUTPUT characters. */
  output: string;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts the built CLI (`npm run gateway -- …args`); `env` adds to and overrides the defaults (the store's location, the lease). */
export function spawnGateway(sim: Simulator, args: string[], env: Record<string, string>): GatewayProcess {
  const child = spawn(process.execPath, [builtCli(), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      ESPM_BASE_URL: sim.url,
      ESPM_USERNAME: sim.provider.username,
      ESPM_PASSWORD: sim.provider.password,
      ESPM_MAX_RPS: '200',
      ESPM_TIMEOUT_MS: '5000',
      GATEWAY_PORT: '0',
      GATEWAY_REQUESTS_EVERY_SECONDS: '1',
      GATEWAY_NOTIFICATIONS_EVERY_SECONDS: '1',
      GATEWAY_CONSUMPTION_EVERY_SECONDS: '1',
      GATEWAY_SHUTDOWN_TIMEOUT_SECONDS: '10',
      GATEWAY_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc: GatewayProcess = {
    child,
    output: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  const keep = (d: Buffer): void => {
    proc.output = (proc.output + d.toString()).slice(-KEPT_OUTPUT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return proc;
}

/**
 * Where gateway processes under test keep their store: a database of its own on DATABASE_URL's server
 * when that is set, else a data directory of its own (the embedded store). `env` is for spawnGateway.
 */
export async function storeForProcesses(
  prefix: string,
): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const db = await createTestDatabase();
    return { env: { DATABASE_URL: db.url }, drop: db.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    // Unset, whatever the test process's own environment says.
    env: { GATEWAY_DATA_DIR: dir, DATABASE_URL: '' },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Kills those still running (a failed test leaves them so), and waits until every one has exited. */
export async function killLeftOver(processes: GatewayProcess[]): Promise<void> {
  for (const p of processes)
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
}
