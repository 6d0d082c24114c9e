import type { Kysely } from 'kysely';

// billing_period's index on updated_at answered no query (changed periods are found through the links
// marked due, and by meter and dates): every billing row imported paid for one more B-tree insert for
// nothing, a sixth of the index upkeep that dominates a large import (BENCHMARKS.md, issue 15).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('billing_period_by_update').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('billing_period_by_update').on('billing_period').column('updated_at').execute();
}
