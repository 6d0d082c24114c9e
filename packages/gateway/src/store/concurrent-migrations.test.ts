// Several instances starting at once on a fresh PostgreSQL database: Kysely's Migrator takes a lock
// (pg_advisory_xact_lock) around the migrations, so each one is applied once and every start succeeds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore } from './database.ts';
import { migrations } from './migrations/index.ts';
import { createTestDatabase } from '../../test-support/test-store.ts';

describe(
  'migrations started by several instances at once',
  { skip: !process.env.DATABASE_URL && 'needs DATABASE_URL (PostgreSQL)' },
  () => {
    it('three openStore() on a fresh database all succeed and apply the schema once', async () => {
      const database = await createTestDatabase();
      try {
        const stores = await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl: database.url })));
        try {
          const { rows } = await sql<{
            name: string;
          }>`select name from kysely_migration order by name`.execute(stores[0]!.db);
          assert.deepEqual(
            rows.map((r) => r.name),
            Object.keys(migrations),
          );
          // The last migration's objects are there, once.
          const { rows: tables } = await sql<{ n: number }>`
          select count(*)::int as n from information_schema.tables where table_name = 'service_lease'`.execute(
            stores[1]!.db,
          );
          assert.equal(tables[0]!.n, 1);
          // Opening again is a no-op.
          const again = await openStore({ databaseUrl: database.url });
          await again.close();
        } finally {
          await Promise.all(stores.map((s) => s.close()));
        }
      } finally {
        await database.drop();
      }
    });
  },
);
