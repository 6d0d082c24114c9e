// Throwaway stores for tests, each a database of its own: on the embedded store's server (always), and on
// the PostgreSQL server named by DATABASE_URL when it is set (CI sets it); dropped again on close.
//
//   forEachStore('billing import', (s) => {
//     it('imports the guide example', async () => { await importBillingFile(s.store.db, file); ... });
//   });
//
// runs the tests once per available store, each kind in its own describe block sharing one store. Tests
// in a block share the data: use distinct numbers, or call resetStore(s.store) in a beforeEach.
//
// The embedded kind is the zero-config store's own path: every test process joins one cluster in the
// temporary folder (useEmbeddedServer, as any gateway process would, so the first one starts it and the
// last one out stops it), and each store is copied from a migrated template database, which is much
// faster than migrating each one.
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore } from '../src/store/database.ts';
import type { Store } from '../src/store/database.ts';
import { processAlive, useEmbeddedServer } from '../src/store/embedded-server.ts';
import { migrations } from '../src/store/migrations/index.ts';

export type TestStoreKind = Store['kind'];

/** The kinds tests run against here: always embedded, and postgres when DATABASE_URL is set. */
export function testStoreKinds(): TestStoreKind[] {
  return process.env.DATABASE_URL ? ['embedded', 'postgres'] : ['embedded'];
}

/** The data directory of the embedded server that test processes share (one per user of the machine). */
export function testDataDir(): string {
  return join(tmpdir(), `espm-gateway-tests-${process.getuid?.() ?? 'user'}`);
}

/**
 * A migrated, empty store. Without a kind: PostgreSQL when DATABASE_URL is set, else embedded.
 * Closing a test store drops its database.
 */
export async function openTestStore(kind?: TestStoreKind): Promise<Store> {
  const chosen = kind ?? (process.env.DATABASE_URL ? 'postgres' : 'embedded');
  const server = chosen === 'embedded' ? await embeddedTestServer() : postgresTestServer();
  try {
    const name = await server.createDatabase(await server.template());
    let store: Store;
    try {
      store = await server.open(name);
    } catch (e) {
      await server.drop(name);
      throw e;
    }
    return {
      ...store,
      close: async () => {
        await store.close();
        await server.drop(name);
        await server.release();
      },
    };
  } catch (e) {
    await server.release();
    throw e;
  }
}

/** An empty PostgreSQL database on DATABASE_URL's server, for a test that opens it itself (a CLI run). */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = postgresTestServer();
  const name = await server.createDatabase();
  return { url: server.urlOf(name), drop: () => server.drop(name) };
}

/** A server on which tests create, open and drop databases. */
interface TestServer {
  /** A migrated database to copy, made once per set of migrations. */
  template(): Promise<string>;
  createDatabase(template?: string): Promise<string>;
  open(name: string): Promise<Store>;
  drop(name: string): Promise<void>;
  release(): Promise<void>;
}

function postgresTestServer(): TestServer & { urlOf(name: string): string } {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('a postgres test database needs DATABASE_URL');
  const urlOf = (name: string): string => {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  return testServer({ connectionString: serverUrl }, (name) => openStore({ databaseUrl: urlOf(name) }), {
    urlOf,
    release: async () => undefined,
  });
}

let leftoversDropped = false;

async function embeddedTestServer(): Promise<TestServer> {
  const dataDir = testDataDir();
  const server = await useEmbeddedServer(dataDir);
  const admin = { host: server.host, port: server.port, user: server.user, database: 'postgres' };
  if (!leftoversDropped) {
    leftoversDropped = true;
    await dropLeftovers(admin);
  }
  return testServer(admin, (name) => openStore({ dataDir, database: name }), {
    release: () => server.release(),
  });
}

function testServer<Extra extends { release(): Promise<void> }>(
  admin: pg.ClientConfig,
  open: (name: string) => Promise<Store>,
  extra: Extra,
): TestServer & Extra {
  const createDatabase = async (template?: string): Promise<string> => {
    // Unique per process and call, so parallel test files never share a database.
    const name = `gateway_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await onServer(admin, `create database ${name}${template ? ` template ${template}` : ''}`);
    return name;
  };
  const drop = (name: string): Promise<void> =>
    onServer(admin, `drop database if exists ${name} with (force)`);
  return {
    ...extra,
    createDatabase,
    open,
    drop,
    template: async () => {
      // Named after the migrations' names and code: a migration edited while it is new gets a new template.
      const migrated = Object.entries(migrations).map(([name, m]) => `${name}:${m.up.toString()}`);
      const name = `gateway_template_${createHash('sha256').update(migrated.join()).digest('hex').slice(0, 12)}`;
      if (await databaseExists(admin, name)) return name;
      // Migrated under a name of its own, then renamed: processes making it at once all end with one.
      const building = await createDatabase();
      try {
        await (await open(building)).close();
        await onServer(admin, `alter database ${building} rename to ${name}`);
      } catch (e) {
        await drop(building);
        if (!(await databaseExists(admin, name))) throw e;
      }
      return name;
    },
  };
}

/** Databases of test processes of this machine that died before closing their stores (killed, timed out). */
function dropLeftovers(admin: pg.ClientConfig): Promise<void> {
  return withClient(admin, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `select datname as name from pg_database where datname ~ '^gateway_test_[0-9]+_'`,
    );
    for (const { name } of rows) {
      const pid = Number(name.split('_')[2]);
      if (pid === process.pid || processAlive(pid)) continue;
      await client.query(`drop database if exists ${name} with (force)`);
    }
  });
}

function databaseExists(admin: pg.ClientConfig, name: string): Promise<boolean> {
  return withClient(
    admin,
    async (client) =>
      ((await client.query('select 1 from pg_database where datname = $1', [name])).rowCount ?? 0) > 0,
  );
}

function onServer(admin: pg.ClientConfig, statement: string): Promise<void> {
  return withClient(admin, async (client) => {
    await client.query(statement);
  });
}

/** `use` with a connection of its own to the server, closed after. */
async function withClient<T>(admin: pg.ClientConfig, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(admin);
  await client.connect();
  try {
    return await use(client);
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
