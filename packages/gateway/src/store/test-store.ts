// Throwaway stores for tests: an in-memory embedded store (PGlite), and a fresh PostgreSQL database
// on the server named by DATABASE_URL when it is set (CI sets it), dropped again on close.
//
//   forEachStore('billing import', (s) => {
//     it('imports the guide example', async () => { await importBillingFile(s.store.db, file); ... });
//   });
//
// runs the tests once per available store, each kind in its own describe block sharing one store
// (an embedded store takes 4–6 s to create). Tests in a block share the data: use distinct numbers,
// or call resetStore(s.store) in a beforeEach.
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore } from './database.ts';
import type { Store } from './database.ts';

export type TestStoreKind = Store['kind'];

/** The kinds tests run against here: always embedded, and postgres when DATABASE_URL is set. */
export function testStoreKinds(): TestStoreKind[] {
  return process.env.DATABASE_URL ? ['embedded', 'postgres'] : ['embedded'];
}

/**
 * A migrated, empty store. Without a kind: PostgreSQL when DATABASE_URL is set, else embedded.
 * Closing a PostgreSQL test store drops its database.
 */
export async function openTestStore(kind?: TestStoreKind): Promise<Store> {
  const chosen = kind ?? (process.env.DATABASE_URL ? 'postgres' : 'embedded');
  if (chosen === 'embedded') return openStore({ inMemory: true });
  const database = await createTestDatabase();
  let store: Store;
  try {
    store = await openStore({ databaseUrl: database.url });
  } catch (e) {
    await database.drop();
    throw e;
  }
  return {
    ...store,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** An empty PostgreSQL database on DATABASE_URL's server, for a test that opens it itself (a CLI run). */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('a postgres test database needs DATABASE_URL');
  // Unique per process and call, so parallel test files never share a database.
  const name = `gateway_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Gives the store of the current describe block; valid from its before hook on. */
export interface StoreUnderTest {
  readonly store: Store;
  readonly kind: TestStoreKind;
}

/** Declares `fn`'s tests once per available store kind, in a describe block titled `title (kind)`. */
export function forEachStore(title: string, fn: (s: StoreUnderTest) => void): void {
  for (const kind of testStoreKinds()) {
    describe(`${title} (${kind})`, () => {
      let store: Store | undefined;
      before(async () => {
        store = await openTestStore(kind);
      });
      after(async () => {
        await store?.close();
      });
      fn({
        kind,
        get store(): Store {
          if (!store) throw new Error('the test store is opened in the before hook');
          return store;
        },
      });
    });
  }
}

/** Empties every table (migrations excepted) and restarts identity counters. */
export async function resetStore(store: Store): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select quote_ident(table_name) as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'`.execute(
    store.db,
  );
  if (rows.length === 0) return;
  await sql`truncate table ${sql.raw(rows.map((r) => r.name).join(', '))} restart identity cascade`.execute(
    store.db,
  );
}
