import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Runs `work` in a transaction: the caller's own when `db` already is one (Kysely does not nest them),
 * else a new one.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  work: (tx: Kysely<Database> | Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
