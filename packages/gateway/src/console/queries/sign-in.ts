// The sign-in's read: the operator a username names.
import type { Db } from './paging.ts';

export async function operatorNamed(db: Db, username: string) {
  return db.selectFrom('console_operator').selectAll().where('username', '=', username).executeTakeFirst();
}
