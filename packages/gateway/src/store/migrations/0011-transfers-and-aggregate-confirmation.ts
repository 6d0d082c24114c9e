import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Two facts ESPM gives only after a share is accepted, kept on the link:
// - a property transfer (TRANSFERPROPERTY): the provider keeps its access and the link keeps sending
//   what the validated billing account is billed; the new holder's account and the date are recorded,
//   and the one other billing account an operator let pass (billing_account_ack) no longer holds it;
// - an aggregate meter confirmed by GET /meter: the pending list does not carry the flag, so a
//   building's link sends nothing until aggregate_confirmed_at is set.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('meter_link')
    .addColumn('holder_account_id', 'text')
    .addColumn('holder_username', 'text')
    .addColumn('transferred_at', 'timestamptz')
    .addColumn('billing_account_ack', 'text')
    .addColumn('aggregate_confirmed_at', 'timestamptz')
    .execute();
  // Building links accepted before were judged on the flag itself.
  await sql`update meter_link set aggregate_confirmed_at = decided_at
            where building_id is not null and status <> 'rejected'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('meter_link')
    .dropColumn('aggregate_confirmed_at')
    .dropColumn('billing_account_ack')
    .dropColumn('transferred_at')
    .dropColumn('holder_username')
    .dropColumn('holder_account_id')
    .execute();
}
