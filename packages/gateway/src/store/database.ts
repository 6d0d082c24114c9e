// Opens the store: PostgreSQL when DATABASE_URL is set, else the embedded store, a PostgreSQL server of
// its own in the data directory shared by every process that opens it (embedded-server.ts). One driver
// (pg), one SQL dialect, the same migrations and the same JS types on both.
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { useEmbeddedServer } from './embedded-server.ts';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';

export interface Store {
  db: Kysely<Database>;
  /**
   * The console's connections: a few, apart from the services' pool, each statement stopped after
   * CONSOLE_STATEMENT_TIMEOUT_MS, so that people reading pages can neither hold the connections billing
   * imports and ESPM exchanges need nor keep the database busy for long.
   */
  consoleDb: Kysely<Database>;
  kind: 'postgres' | 'embedded';
  /** Runs raw SQL for pg-boss on the same database. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

/** Longest a console statement runs: a page read, a search or a slice of an export. */
export const CONSOLE_STATEMENT_TIMEOUT_MS = 5_000;
/** Connections of the console's pool: a crowd of readers waits its turn instead of taking the store. */
const CONSOLE_CONNECTIONS = 4;

const INT8 = 20;
const DATE = 1082;
const DUPLICATE_DATABASE = '42P04';

// int8 as a JS number (our counters stay far below 2^53); dates as their text, since a billing period's
// day must not move with the server's time zone.
const parseInt8 = (v: string): number => Number(v);
const keepText = (v: string): string => v;

export interface StoreLocation {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** The embedded store's database (tests open many in one data directory); default `gateway`. */
  database?: string | undefined;
}

export async function openStore(location: StoreLocation): Promise<Store> {
  const store = location.databaseUrl
    ? openPool('postgres', { connectionString: location.databaseUrl })
    : await openEmbedded(location.dataDir ?? './data', location.database ?? 'gateway');
  try {
    await migrate(store.db);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

function newPool(where: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({
    ...where,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return parseInt8;
        if (oid === DATE) return keepText;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A connection can be cut by the server (restart, failover, a dropped database): the pool replaces
  // it on next use, and the query in flight fails on its own, so its loss must not end the process as
  // an unhandled 'error' event. The pool listens to idle connections only; a checked-out one (inside a
  // transaction, say) needs its own listener.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

function openPool(kind: Store['kind'], where: pg.PoolConfig, afterClose?: () => Promise<void>): Store {
  const pool = newPool({ ...where, max: 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const consolePool = newPool({
    ...where,
    max: CONSOLE_CONNECTIONS,
    statement_timeout: CONSOLE_STATEMENT_TIMEOUT_MS,
  });
  const consoleDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: consolePool }) });
  return {
    db,
    consoleDb,
    kind,
    executeSql: (text, values) => pool.query(text, values as unknown[]),
    close: async () => {
      await Promise.all([db.destroy(), consoleDb.destroy()]);
      await afterClose?.();
    },
  };
}

async function openEmbedded(dataDir: string, database: string): Promise<Store> {
  const server = await useEmbeddedServer(dataDir);
  try {
    await createDatabase(server, database);
  } catch (e) {
    await server.release();
    throw e;
  }
  return openPool('embedded', { host: server.host, port: server.port, user: server.user, database }, () =>
    server.release(),
  );
}

/** Creates the embedded store's database on first use (two processes doing it at once both succeed). */
async function createDatabase(
  where: { host: string; port: number; user: string },
  name: string,
): Promise<void> {
  const client = new pg.Client({ ...where, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return;
    await client.query(`create database ${pg.escapeIdentifier(name)}`).catch((e: { code?: string }) => {
      // Also a unique violation on pg_database when both creations reach the catalog at once.
      if (e.code !== DUPLICATE_DATABASE && e.code !== '23505') throw e;
    });
  } finally {
    await client.end();
  }
}

const LATEST_MIGRATION = Object.keys(migrations).sort().at(-1)!;

export async function migrate(db: Kysely<Database>): Promise<void> {
  // Every start but the first after an upgrade: one query says the store is up to date, instead of
  // the Migrator's table checks and lock.
  if (await isUpToDate(db)) return;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(
      `store migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? error}`,
    );
  }
}

/** True when the store's last applied migration is the latest this code knows. */
async function isUpToDate(db: Kysely<Database>): Promise<boolean> {
  try {
    const { rows } = await sql<{
      name: string | null;
    }>`select max(name) as name from kysely_migration`.execute(db);
    return rows[0]?.name === LATEST_MIGRATION;
  } catch {
    return false; // no migration table yet: a new store
  }
}
