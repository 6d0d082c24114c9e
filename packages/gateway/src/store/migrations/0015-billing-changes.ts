import type { Kysely } from 'kysely';

// Billing records what changed and knows no destination (issue 24): each period a billing import
// writes leaves a row in billing_change, in the import's transaction; each reader (the ESPM consumption,
// and any later destination) keeps in change_reader the last change it has acted on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('billing_change')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('meter_number', 'text', (c) => c.notNull())
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('account_number', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('previous_status', 'text')
    .execute();
  await db.schema
    .createTable('change_reader')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_id', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('change_reader').execute();
  await db.schema.dropTable('billing_change').execute();
}
