import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Whole-building data that no sequence of values turns back into a tenant's bill (docs/buildings.md):
// every value written for a building's month is recorded with each customer's part of it, so that a
// later change is judged against everything the aggregate meter has shown; billing periods may name
// their customer; a premise may be the owner's own, and counts for the months from its addition to
// its removal only: a premise may then leave a building and join it, or another, again, so it is in
// one building at most at a time rather than once for good.
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('building_release')
    .addColumn('building_id', 'text', (c) =>
      c.notNull().references('building.building_id').onDelete('cascade'),
    )
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('volume_m3', sql`numeric(16, 3)`, (c) => c.notNull())
    .addColumn('estimated', 'boolean', (c) => c.notNull())
    .addColumn('contributions', 'jsonb', (c) => c.notNull())
    .addColumn('released_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('building_release_pk', ['building_id', 'month', 'seq'])
    .execute();

  await db.schema.alterTable('building_month').renameColumn('accounts', 'customers').execute();
  await db.schema
    .alterTable('building_month')
    .addColumn('written_m3', sql`numeric(16, 3)`)
    .addColumn('revision_withheld', 'text')
    .execute();

  await db.schema.alterTable('billing_period').addColumn('customer_id', 'text').execute();

  await db.schema
    .alterTable('building_premise')
    .addColumn('owner_held', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('from_month', 'date')
    .addColumn('until_month', 'date')
    .execute();
  await db.schema.alterTable('building_premise').dropConstraint('building_premise_pkey').execute();
  await db.schema
    .alterTable('building_premise')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .execute();
  await db.schema
    .createIndex('building_premise_current')
    .on('building_premise')
    .column('premise_id')
    .unique()
    .where(sql.ref('until_month'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('building_premise_current').execute();
  await sql`delete from building_premise where until_month is not null`.execute(db);
  await db.schema.alterTable('building_premise').dropColumn('id').execute();
  await db.schema
    .alterTable('building_premise')
    .addPrimaryKeyConstraint('building_premise_pkey', ['premise_id'])
    .execute();
  await db.schema
    .alterTable('building_premise')
    .dropColumn('until_month')
    .dropColumn('from_month')
    .dropColumn('owner_held')
    .execute();
  await db.schema.alterTable('billing_period').dropColumn('customer_id').execute();
  await db.schema
    .alterTable('building_month')
    .dropColumn('revision_withheld')
    .dropColumn('written_m3')
    .execute();
  await db.schema.alterTable('building_month').renameColumn('customers', 'accounts').execute();
  await db.schema.dropTable('building_release').execute();
}
