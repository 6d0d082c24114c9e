// Opens the store: PostgreSQL when DATABASE_URL is set, else embedded PostgreSQL (PGlite) in the data
// directory. Both run the same migrations and return values of the same JS types.
import { mkdirSync } from 'node:fs';
import { PGlite, types as liteTypes } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
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
  const store = location.databaseUrl ? openPostgres(location.databaseUrl) : await openEmbedded(location);
  try {
    await migrate(store.db);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

function openPostgres(url: string): Store {
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

export async function migrate(db: Kysely<Database>): Promise<void> {
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
