import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Migrations take Kysely<unknown>: they must not depend on today's schema types.
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;

  await db.schema
    .createTable('billing_invoice')
    .addColumn('invoice_number', 'text', (c) => c.primaryKey())
    .addColumn('account_number', 'text', (c) => c.notNull())
    .addColumn('invoice_date', 'date', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex('billing_invoice_by_account')
    .on('billing_invoice')
    .columns(['account_number', 'invoice_date'])
    .execute();

  await db.schema
    .createTable('billing_period')
    .addColumn('meter_number', 'text', (c) => c.notNull())
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    .addColumn('account_number', 'text', (c) => c.notNull())
    .addColumn('invoice_number', 'text', (c) => c.notNull())
    .addColumn('volume_m3', sql`numeric(14, 3)`, (c) => c.notNull())
    .addColumn('cost', sql`numeric(14, 2)`)
    .addColumn('estimated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('rng_percent', sql`numeric(5, 2)`)
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('billed', 'cancelled')`))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('billing_period_pk', ['meter_number', 'period_start'])
    .addCheckConstraint('billing_period_dates', sql`period_end >= period_start`)
    .execute();
  await db.schema
    .createIndex('billing_period_by_account')
    .on('billing_period')
    .columns(['account_number', 'meter_number'])
    .execute();
  await db.schema.createIndex('billing_period_by_update').on('billing_period').column('updated_at').execute();

  await db.schema
    .createTable('billing_import')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('operator', 'text')
    .execute();
  await db.schema
    .createTable('billing_import_rejection')
    .addColumn('import_id', 'integer', (c) => c.notNull().references('billing_import.id').onDelete('cascade'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('billing_import_rejection_by_import')
    .on('billing_import_rejection')
    .columns(['import_id', 'line'])
    .execute();

  await db.schema
    .createTable('espm_customer')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('organization', 'text')
    .addColumn('phone', 'text')
    .addColumn('connection_status', 'text', (c) => c.notNull())
    .addColumn('connected_at', 'timestamptz', (c) => c.notNull())
    .addColumn('disconnected_at', 'timestamptz')
    .addColumn('lockout_cleared_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('espm_property')
    .addColumn('property_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('address', 'text')
    .addColumn('share_status', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('meter_link')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('espm_meter_id', 'text', (c) => c.notNull())
    .addColumn('espm_property_id', 'text', (c) => c.notNull())
    .addColumn('espm_account_id', 'text', (c) => c.notNull())
    .addColumn('espm_username', 'text')
    .addColumn('meter_name', 'text')
    .addColumn('meter_type', 'text')
    .addColumn('unit_of_measure', 'text')
    .addColumn('first_bill_date', 'date')
    .addColumn('access_level', 'text', (c) => c.notNull())
    .addColumn('custom_fields', 'jsonb', (c) => c.notNull())
    .addColumn('account_number', 'text')
    .addColumn('invoice_number', 'text')
    .addColumn('meter_number', 'text')
    .addColumn('initial_load', 'integer')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'accepted', 'rejected', 'conflict', 'revoked')`),
    )
    .addColumn('reason_code', 'text')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_note', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('history_from', 'date')
    .addColumn('last_synced_at', 'timestamptz')
    .addColumn('last_period_end', 'date')
    .addColumn('sync_due', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('conflict', 'jsonb')
    .addColumn('notice', 'text')
    .execute();
  // One current link per ESPM meter: a meter shared again after a rejection or a removal gets a new link.
  await sql`create unique index meter_link_current on meter_link (espm_meter_id)
            where status in ('pending', 'accepted', 'conflict')`.execute(db);
  await db.schema.createIndex('meter_link_by_meter_number').on('meter_link').column('meter_number').execute();
  await db.schema
    .createIndex('meter_link_by_account_number')
    .on('meter_link')
    .column('account_number')
    .execute();
  await db.schema.createIndex('meter_link_by_status').on('meter_link').columns(['status', 'id']).execute();
  await db.schema
    .createIndex('meter_link_by_espm_account')
    .on('meter_link')
    .column('espm_account_id')
    .execute();
  await sql`create index meter_link_sync_due on meter_link (id) where sync_due`.execute(db);

  await db.schema
    .createTable('link_decision')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('link_id', 'integer', (c) => c.notNull().references('meter_link.id').onDelete('cascade'))
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('rule', 'text')
    .addColumn('note', 'text')
    .addColumn('operator', 'text')
    .execute();
  await db.schema.createIndex('link_decision_by_link').on('link_decision').column('link_id').execute();

  await db.schema
    .createTable('validation_failure')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('espm_account_id', 'text', (c) => c.notNull())
    .addColumn('failed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('link_id', 'integer')
    .addColumn('rule', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('validation_failure_by_account')
    .on('validation_failure')
    .columns(['espm_account_id', 'failed_at'])
    .execute();

  await db.schema
    .createTable('consumption_entry')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('link_id', 'integer', (c) => c.notNull().references('meter_link.id').onDelete('cascade'))
    .addColumn('meter_number', 'text', (c) => c.notNull())
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    .addColumn('espm_entry_id', 'text')
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('pending', 'sending', 'sent', 'adopted', 'withheld', 'deleted')`),
    )
    .addColumn('operation', 'text')
    .addColumn('usage', 'numeric', (c) => c.notNull())
    .addColumn('unit_of_measure', 'text', (c) => c.notNull())
    .addColumn('volume_m3', sql`numeric(14, 3)`, (c) => c.notNull())
    .addColumn('estimated', 'boolean', (c) => c.notNull())
    .addColumn('rng_percent', sql`numeric(5, 2)`)
    .addColumn('cost', sql`numeric(14, 2)`)
    .addColumn('billing_revision', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // Never two live entries for one billing period on one link: the root of "nothing is sent twice".
  await sql`create unique index consumption_entry_once on consumption_entry (link_id, period_start)
            where state <> 'deleted'`.execute(db);
  await db.schema
    .createIndex('consumption_entry_by_espm_id')
    .on('consumption_entry')
    .column('espm_entry_id')
    .execute();

  await db.schema
    .createTable('espm_notification')
    .addColumn('notification_id', 'text', (c) => c.primaryKey())
    .addColumn('type_code', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('username', 'text')
    .addColumn('property_id', 'text')
    .addColumn('meter_id', 'text')
    .addColumn('created_date', 'text')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('handled_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('gateway_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('done', 'error')`))
    .addColumn('details', 'text')
    .addColumn('operator', 'text')
    .execute();
  await db.schema.createIndex('gateway_log_by_time').on('gateway_log').column('at').execute();
  await db.schema
    .createIndex('gateway_log_by_service')
    .on('gateway_log')
    .columns(['service', 'at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('the initial schema is not rolled back; restore a backup instead');
}
