import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Whole-building data (docs/buildings.md): billing periods say where their meter is (premise_id,
// service_address); an operator groups premises into buildings and issues aggregation codes; a link
// may stand for a building instead of one billing meter, and then its consumption entries are calendar
// months of the building's total, with no billing meter of their own; each month's standing (sent,
// withheld and why) is kept for the operators.
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .alterTable('billing_period')
    .addColumn('premise_id', 'text')
    .addColumn('service_address', 'text')
    .execute();
  await db.schema
    .createIndex('billing_period_by_premise')
    .on('billing_period')
    .columns(['premise_id', 'period_end'])
    .where(sql.ref('premise_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('building')
    .addColumn('building_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('created_by', 'text')
    .execute();
  // A premise is in one building at most: its consumption is never counted twice.
  await db.schema
    .createTable('building_premise')
    .addColumn('premise_id', 'text', (c) => c.primaryKey())
    .addColumn('building_id', 'text', (c) =>
      c.notNull().references('building.building_id').onDelete('cascade'),
    )
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('added_by', 'text')
    .execute();
  await db.schema
    .createIndex('building_premise_by_building')
    .on('building_premise')
    .column('building_id')
    .execute();

  await db.schema
    .createTable('aggregation_code')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('building_id', 'text', (c) => c.notNull().references('building.building_id'))
    .addColumn('code_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('issued_by', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('espm_meter_id', 'text')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'text')
    .execute();
  await db.schema
    .createIndex('aggregation_code_by_building')
    .on('aggregation_code')
    .column('building_id')
    .execute();

  await db.schema
    .alterTable('meter_link')
    .addColumn('building_id', 'text', (c) => c.references('building.building_id'))
    .addColumn('aggregation_code_id', 'integer', (c) => c.references('aggregation_code.id'))
    .execute();
  await db.schema.createIndex('meter_link_by_building').on('meter_link').column('building_id').execute();
  await db.schema
    .alterTable('consumption_entry')
    .alterColumn('meter_number', (c) => c.dropNotNull())
    .execute();

  await db.schema
    .createTable('building_month')
    .addColumn('building_id', 'text', (c) =>
      c.notNull().references('building.building_id').onDelete('cascade'),
    )
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('sendable', 'withheld')`))
    .addColumn('reason', 'text')
    .addColumn('volume_m3', sql`numeric(16, 3)`, (c) => c.notNull())
    .addColumn('accounts', 'integer', (c) => c.notNull())
    .addColumn('meters', 'integer', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('building_month_pk', ['building_id', 'month'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('building_month').execute();
  await db.schema
    .alterTable('meter_link')
    .dropColumn('aggregation_code_id')
    .dropColumn('building_id')
    .execute();
  await db.schema.dropTable('aggregation_code').execute();
  await db.schema.dropTable('building_premise').execute();
  await db.schema.dropTable('building').execute();
  await db.schema.dropIndex('billing_period_by_premise').execute();
  await db.schema
    .alterTable('billing_period')
    .dropColumn('service_address')
    .dropColumn('premise_id')
    .execute();
}
