// The billing pages' reads: the latest imports and one import with its rejected lines.
import type { Db } from './paging.ts';

export async function recentImports(db: Db, limit = 15, rejectionsPerImport = 100) {
  const imports = await db
    .selectFrom('billing_import')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  // The first lines of each import only: a bad file can reject thousands (its own page shows more).
  return Promise.all(
    imports.map(async (i) => ({
      ...i,
      rejections:
        i.rows_rejected > 0
          ? await db
              .selectFrom('billing_import_rejection')
              .selectAll()
              .where('import_id', '=', i.id)
              .orderBy('line')
              .limit(rejectionsPerImport)
              .execute()
          : [],
    })),
  );
}

export async function importDetail(db: Db, id: number, limit = 1000) {
  const row = await db.selectFrom('billing_import').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const rejections = await db
    .selectFrom('billing_import_rejection')
    .selectAll()
    .where('import_id', '=', id)
    .orderBy('line')
    .limit(limit)
    .execute();
  return { ...row, rejections };
}

/** Billing imports, newest first, from before the import `before` (exports). */
export async function importsBefore(db: Db, limit: number, before?: number) {
  let q = db.selectFrom('billing_import').selectAll();
  if (before !== undefined) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}
