import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// The operators' console: its operators, their sessions, failed sign-ins (rate limit shared by every
// instance), and the indexes its lists and searches need to stay fast with 100,000 meter links.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_operator')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('operator', 'viewer')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('disabled_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('console_session')
    // sha256 of the random id the cookie carries: a leaked table does not give usable sessions.
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) =>
      c.notNull().references('console_operator.username').onDelete('cascade'),
    )
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('flash', 'jsonb')
    .execute();
  await db.schema.createIndex('console_session_by_user').on('console_session').column('username').execute();
  await db.schema
    .createIndex('console_session_by_last_seen')
    .on('console_session')
    .column('last_seen_at')
    .execute();

  await db.schema
    .createTable('console_signin_failure')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('failed_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('console_signin_failure_by_key')
    .on('console_signin_failure')
    .columns(['username', 'ip', 'failed_at'])
    .execute();

  // Search by number, exact or by prefix: pattern_ops indexes serve `like 'x%'` whatever the collation.
  for (const column of ['espm_meter_id', 'account_number', 'meter_number', 'invoice_number']) {
    await sql`create index ${sql.raw(`meter_link_prefix_${column}`)}
              on meter_link (${sql.raw(column)} text_pattern_ops)`.execute(db);
  }
  // The home page's links with a notice (few among many).
  await sql`create index meter_link_with_notice on meter_link (id) where notice is not null`.execute(db);
  // The log filtered by service or status, newest first.
  await db.schema
    .createIndex('gateway_log_by_service_id')
    .on('gateway_log')
    .columns(['service', 'id'])
    .execute();
  await db.schema
    .createIndex('gateway_log_by_status_id')
    .on('gateway_log')
    .columns(['status', 'id'])
    .execute();
  // Billing freshness on the home page, and the accounts locked out now.
  await db.schema.createIndex('billing_period_by_end').on('billing_period').column('period_end').execute();
  await db.schema
    .createIndex('validation_failure_by_time')
    .on('validation_failure')
    .column('failed_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of [
    'meter_link_with_notice',
    'meter_link_prefix_espm_meter_id',
    'meter_link_prefix_account_number',
    'meter_link_prefix_meter_number',
    'meter_link_prefix_invoice_number',
    'gateway_log_by_service_id',
    'gateway_log_by_status_id',
    'billing_period_by_end',
    'validation_failure_by_time',
  ]) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
  await db.schema.dropTable('console_signin_failure').ifExists().execute();
  await db.schema.dropTable('console_session').ifExists().execute();
  await db.schema.dropTable('console_operator').ifExists().execute();
}
