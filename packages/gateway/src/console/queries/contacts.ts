// The contacts page's reads: ESPM customers found by name, organization, e-mail, username or account.
import { CURRENT_STATUSES } from '../../exchange/link-state.ts';
import { sql } from 'kysely';
import type { Db } from './paging.ts';
import { keysetPage, PAGE_SIZE } from './paging.ts';
import { customerText, MIN_SUBSTRING, substringPattern } from '../../store/search-text.ts';

/**
 * A page of customers, newest connection first, by keyset: the page after the customer `after` (or
 * before `before`), so that the 5,000th page costs what the first does (espm_customer_by_connection).
 * A search goes through the trigram index of the customers' text (store/search-text.ts).
 */
export async function listContacts(
  db: Db,
  options: { q: string; after?: string | undefined; before?: string | undefined; limit?: number },
) {
  const q = options.q.trim();
  let base = db.selectFrom('espm_customer as c');
  if (q) {
    base = base.where((eb) =>
      eb.or([
        q.length >= MIN_SUBSTRING
          ? eb(customerText('c'), 'like', substringPattern(q))
          : eb(customerText('c'), '=', q.toLowerCase()),
        eb('c.account_id', '=', q),
      ]),
    );
  }
  const backwards = options.before !== undefined && options.after === undefined;
  const cursor = backwards ? options.before : options.after;
  let page = base.select([
    'c.account_id',
    'c.username',
    'c.first_name',
    'c.last_name',
    'c.email',
    'c.organization',
    'c.connection_status',
    'c.connected_at',
    'c.disconnected_at',
    (eb) =>
      eb
        .selectFrom('meter_link as l')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('l.espm_account_id', '=', 'c.account_id')
        .where('l.status', 'in', CURRENT_STATUSES)
        .as('meters'),
  ]);
  if (cursor !== undefined) {
    const at = sql`(select k.connected_at from espm_customer k where k.account_id = ${cursor})`;
    page = page.where(
      backwards
        ? sql<boolean>`(c.connected_at > ${at} or (c.connected_at = ${at} and c.account_id < ${cursor}))`
        : sql<boolean>`(c.connected_at < ${at} or (c.connected_at = ${at} and c.account_id > ${cursor}))`,
    );
  }
  const ordered = backwards
    ? page.orderBy('c.connected_at', 'asc').orderBy('c.account_id', 'desc')
    : page.orderBy('c.connected_at', 'desc').orderBy('c.account_id', 'asc');
  const limit = options.limit ?? PAGE_SIZE;
  const [fetched, count] = await Promise.all([
    ordered.limit(limit + 1).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    ...keysetPage(fetched, { limit, backwards, after: options.after }, (c) => c.account_id),
    total: Number(count.n),
  };
}

/** The customer an unlock confirmation names. */
export async function customerOfAccount(db: Db, accountId: string) {
  return db
    .selectFrom('espm_customer')
    .select(['account_id', 'username'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}
