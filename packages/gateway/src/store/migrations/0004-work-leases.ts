import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Several gateway instances (serve, sync --once) on one database share the work through leases:
// - a meter link is synced by the holder of its lease only (sync_lease_owner until sync_lease_until);
// - a service step (connections, property shares, meter-share decisions, notifications) runs in one
//   process at a time, the holder of its row in service_lease.
// A lease is claimed with one atomic statement, renewed while the work goes on, released at its end;
// the lease of an instance that died expires, and another instance takes the work over.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('meter_link')
    .addColumn('sync_lease_owner', 'text')
    .addColumn('sync_lease_until', 'timestamptz')
    .execute();
  await db.schema
    .createTable('service_lease')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'timestamptz', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('service_lease').ifExists().execute();
  await db.schema
    .alterTable('meter_link')
    .dropColumn('sync_lease_until')
    .dropColumn('sync_lease_owner')
    .execute();
}
