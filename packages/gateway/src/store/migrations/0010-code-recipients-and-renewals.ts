import type { Kysely } from 'kysely';

// Codes and the links they feed end (docs/buildings.md): a code records to whom it was given, so the
// operators know whom a building's total reaches; a link fed by a code is renewed by an operator now
// and then (renewed_at; its acceptance counts as the first renewal), else it pauses.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('aggregation_code')
    .addColumn('recipient_name', 'text')
    .addColumn('recipient_contact', 'text')
    .execute();
  await db.schema.alterTable('meter_link').addColumn('renewed_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('meter_link').dropColumn('renewed_at').execute();
  await db.schema
    .alterTable('aggregation_code')
    .dropColumn('recipient_contact')
    .dropColumn('recipient_name')
    .execute();
}
