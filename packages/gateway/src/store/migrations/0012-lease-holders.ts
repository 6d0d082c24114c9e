import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Each process that claims leases says where it runs (lease_holder), and each lease says which process
// holds it: a lease whose process is known dead (same host, its pid gone) is taken over at once instead
// of after the lease runs out (exchange/leases.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('lease_holder')
    .addColumn('instance', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.alterTable('meter_link').addColumn('sync_lease_instance', 'text').execute();
  await db.schema.alterTable('service_lease').addColumn('instance', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('service_lease').dropColumn('instance').execute();
  await db.schema.alterTable('meter_link').dropColumn('sync_lease_instance').execute();
  await db.schema.dropTable('lease_holder').ifExists().execute();
}
