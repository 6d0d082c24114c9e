// Opens the store: PostgreSQL when DATABASE_URL is set, else embedded PostgreSQL (PGlite) in the data
// directory. Both run the same migrations and return values of the same JS types.
// Each backend's driver is imported only when that backend is opened: a command starts faster without
// loading the other one.
import { mkdirSync } from 'node:fs';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';

export interface Store {
  db: Kysely<Database>;
  kind: 'postgres' | 'embedded';
  /** Runs raw SQL for pg-boss on the same database, serialised with Kysely's own use of PGlite. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;

// int8 as a JS number on both backends (our counters stay far below 2^53); dates as their text,
// since a billing period's day must not move with the server's time zone.
const parseInt8 = (v: string): number => Number(v);
const keepText = (v: string): string => v;

export interface StoreLocation {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** For tests: an in-memory embedded store. */
  inMemory?: boolean;
}

export async function openStore(location: StoreLocation): Promise<Store> {
  const store = location.databaseUrl
    ? await openPostgres(location.databaseUrl)
    : await openEmbedded(location);
  try {
    await migrate(store.db);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

async function openPostgres(url: string): Promise<Store> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    executeSql: (text, values) => pool.query(text, values as unknown[]),
    close: () => db.destroy(),
  };
}

async function openEmbedded(location: StoreLocation): Promise<Store> {
  const [{ PGlite, types: liteTypes }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('kysely-pglite-dialect'),
  ]);
  let dataDir: string | undefined;
  if (!location.inMemory) {
    dataDir = location.dataDir ?? './data';
    mkdirSync(dataDir, { recursive: true });
  }
  const lite = new PGlite({
    ...(dataDir ? { dataDir: `${dataDir}/pg` } : {}),
    parsers: { [INT8]: parseInt8, [DATE]: keepText, [liteTypes.TIMESTAMPTZ]: (v: string) => new Date(v) },
  });
  await lite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
  return {
    db,
    kind: 'embedded',
    // PGlite has one session: a query sent beside an open Kysely transaction would join it, so pg-boss
    // goes through Kysely's connection lock.
    executeSql: (text, values) =>
      db
        .connection()
        .execute(async () =>
          values?.length
            ? lite.query(text, values)
            : lite.exec(text).then((results) => results[results.length - 1] ?? { rows: [] }),
        ),
    close: async () => {
      await db.destroy();
      if (!lite.closed) await lite.close();
    },
  };
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
