import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// The console's searches by part of a word (a name, an e-mail, an address, a line of the journal) go
// through trigram indexes, which serve `like '%text%'` without reading every row; pg_trgm ships with
// PostgreSQL (contrib) and with the embedded store, and is a trusted extension (the database's owner
// may create it). Where a server lacks it the same searches still work, unindexed, each stopped by the
// console's statement timeout (Store.consoleDb). The contacts list pages by the order it shows.

/** The expressions searched (store/search-text.ts writes the same ones). */
const TRIGRAM_INDEXES: Array<[name: string, table: string, expression: string, where?: string]> = [
  [
    'espm_customer_text_trgm',
    'espm_customer',
    `lower(first_name || ' ' || last_name || ' ' || coalesce(organization, '') || ' ' || email || ' ' || username)`,
  ],
  ['meter_link_username_trgm', 'meter_link', 'lower(espm_username)'],
  [
    'billing_period_premise_trgm',
    'billing_period',
    `lower(premise_id || ' ' || coalesce(service_address, ''))`,
    'premise_id is not null',
  ],
  ['building_text_trgm', 'building', `lower(building_id || ' ' || name)`],
  [
    'gateway_log_text_trgm',
    'gateway_log',
    `lower(coalesce(subject, '') || ' ' || outcome || ' ' || coalesce(details, '') || ' ' || coalesce(operator, ''))`,
  ],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index espm_customer_by_connection on espm_customer (connected_at desc, account_id)`.execute(
    db,
  );
  await sql`create index gateway_log_by_subject_id on gateway_log (subject, id)`.execute(db);
  const { rows } = await sql<{ n: number }>`
    select count(*)::integer as n from pg_available_extensions where name = 'pg_trgm'`.execute(db);
  if (!rows[0]?.n) return;
  await sql`create extension if not exists pg_trgm`.execute(db);
  for (const [name, table, expression, where] of TRIGRAM_INDEXES) {
    await sql`create index ${sql.raw(name)} on ${sql.raw(table)} using gin ((${sql.raw(expression)}) gin_trgm_ops)
      ${where ? sql.raw(`where ${where}`) : sql``}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of TRIGRAM_INDEXES) await sql`drop index if exists ${sql.raw(name)}`.execute(db);
  await sql`drop index gateway_log_by_subject_id`.execute(db);
  await sql`drop index espm_customer_by_connection`.execute(db);
}
