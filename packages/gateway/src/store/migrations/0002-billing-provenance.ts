import type { Kysely } from 'kysely';

// What the billing import needs beyond the first schema:
// - each period remembers the import and line that last wrote it, and each import the SHA-256 of its
//   content, so that importing a file again can skip a row that a later line of the same file already
//   replaced (otherwise a period corrected further down a large file would flip back and forth);
// - rows replaced by a later row of the same file are counted apart from imported and unchanged ones;
// - the import finds a meter's periods around a span of dates through (meter_number, period_end).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('billing_period')
    .addColumn('import_id', 'integer')
    .addColumn('import_line', 'integer')
    .execute();
  await db.schema
    .createIndex('billing_period_by_meter_end')
    .on('billing_period')
    .columns(['meter_number', 'period_end'])
    .execute();

  await db.schema
    .alterTable('billing_import')
    .addColumn('content_sha256', 'text')
    .addColumn('rows_replaced', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('billing_import_by_content')
    .on('billing_import')
    .column('content_sha256')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('billing_import_by_content').execute();
  await db.schema
    .alterTable('billing_import')
    .dropColumn('rows_replaced')
    .dropColumn('content_sha256')
    .execute();
  await db.schema.dropIndex('billing_period_by_meter_end').execute();
  await db.schema.alterTable('billing_period').dropColumn('import_line').dropColumn('import_id').execute();
}
