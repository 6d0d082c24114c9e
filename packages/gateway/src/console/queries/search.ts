// One box, everything it can name: customers (names, e-mail, username, ESPM account id), shares (ESPM
// meter id, meter, account and invoice numbers, ESPM account or username), the billing account an
// account, invoice or meter number or a username leads to, and buildings by id, name, premise or
// address. Each read goes through an index (prefix or trigram, store/search-text.ts) and is capped.
import { searchPremises } from '../../buildings/buildings.ts';
import { buildingText, MIN_SUBSTRING, substringPattern } from '../../store/search-text.ts';
import { findAccount } from './accounts.ts';
import { listContacts } from './contacts.ts';
import { listLinks } from './meters.ts';
import type { Db } from './paging.ts';

/** How many of each kind a search shows; the lists' own pages have the rest. */
export const SEARCH_LIMIT = 20;

export async function searchEverything(db: Db, typed: string) {
  const q = typed.trim();
  const substring = q.length >= MIN_SUBSTRING;
  const [customers, shares, account, buildings, premises] = await Promise.all([
    listContacts(db, { q, limit: SEARCH_LIMIT }),
    listLinks(db, { q, limit: SEARCH_LIMIT }),
    findAccount(db, q),
    db
      .selectFrom('building as b')
      .select(['b.building_id', 'b.name'])
      .where((eb) =>
        eb.or([
          substring
            ? eb(buildingText('b'), 'like', substringPattern(q))
            : eb(buildingText('b'), '=', q.toLowerCase()),
          eb('b.building_id', '=', q),
        ]),
      )
      .orderBy('b.building_id')
      .limit(SEARCH_LIMIT)
      .execute(),
    searchPremises(db, q, SEARCH_LIMIT),
  ]);
  return { q, customers: customers.rows, shares: shares.rows, account, buildings, premises };
}

export type SearchResults = Awaited<ReturnType<typeof searchEverything>>;
