import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// The console's operations (issue 23): an administrator role that manages operators in the console;
// a sign-in failure remembers the sign-in form it came from, so that a success clears only that
// browser's failures (not an attacker's behind the same proxy address); an aggregation code remembers
// the confirmation form that issued it, so that posting the same form again issues no second code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table console_operator drop constraint console_operator_role_check`.execute(db);
  await sql`alter table console_operator add constraint console_operator_role_check
    check (role in ('admin', 'operator', 'viewer'))`.execute(db);
  await db.schema.alterTable('console_signin_failure').addColumn('form', 'text').execute();
  await db.schema.alterTable('aggregation_code').addColumn('request_token', 'text').execute();
  await db.schema
    .createIndex('aggregation_code_by_request')
    .on('aggregation_code')
    .column('request_token')
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('aggregation_code_by_request').execute();
  await db.schema.alterTable('aggregation_code').dropColumn('request_token').execute();
  await db.schema.alterTable('console_signin_failure').dropColumn('form').execute();
  await sql`update console_operator set role = 'operator' where role = 'admin'`.execute(db);
  await sql`alter table console_operator drop constraint console_operator_role_check`.execute(db);
  await sql`alter table console_operator add constraint console_operator_role_check
    check (role in ('operator', 'viewer'))`.execute(db);
}
