// The contacts page's reads: ESPM customers found by name, organization, e-mail, username or account.
import { sql } from 'kysely';
import type { Db } from './paging.ts';
import { containsPattern, PAGE_SIZE } from './paging.ts';

/** What a contact search looks in: names, organization, e-mail and username, in lower case. */
const contactText = sql<string>`lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(c.organization, '') || ' ' || c.email || ' ' || c.username)`;

export async function listContacts(db: Db, options: { q: string; page: number }) {
  const q = options.q.trim();
  let base = db.selectFrom('espm_customer as c');
  if (q) {
    // lower() + like scans several times faster than ilike on each column.
    const like = containsPattern(q.toLowerCase());
    base = base.where((eb) => eb.or([eb(contactText, 'like', like), eb('c.account_id', '=', q)]));
  }
  const offset = (options.page - 1) * PAGE_SIZE;
  // One scan gives the page and the number of matches.
  const rows = await base
    .select([
      'c.account_id',
      'c.username',
      'c.first_name',
      'c.last_name',
      'c.email',
      'c.organization',
      'c.connection_status',
      'c.connected_at',
      'c.disconnected_at',
      sql<number>`count(*) over ()`.as('total'),
      (eb) =>
        eb
          .selectFrom('meter_link as l')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('l.espm_account_id', '=', 'c.account_id')
          .where('l.status', 'in', ['pending', 'accepted', 'conflict'])
          .as('meters'),
    ])
    .orderBy('c.connected_at', 'desc')
    .orderBy('c.account_id')
    .limit(PAGE_SIZE)
    .offset(offset)
    .execute();
  const total = rows.length
    ? Number(rows[0]!.total)
    : Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { rows, total, offset };
}

/** The customer an unlock confirmation names. */
export async function customerOfAccount(db: Db, accountId: string) {
  return db
    .selectFrom('espm_customer')
    .select(['account_id', 'username'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}
