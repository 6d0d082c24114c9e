// What the console's lists share: the page size, and the search patterns. Lists page by id (keyset),
// so a page costs the same at the start and at the end of 100,000 meter links; counts use indexes or
// are capped.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';

export type Db = Kysely<Database>;

export const PAGE_SIZE = 50;

/** A LIKE pattern matching text that starts with the value, wildcards in the value taken literally. */
export function prefixPattern(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A number typed with spaces or hyphens, as on an invoice, is searched without them. */
export function normaliseNumber(q: string): string {
  return q.replace(/[\s-]/g, '');
}

/** Keyset paging: the page after `after` (newest first) or before `before`, with the ids around it. */
export interface Keyset {
  after?: number | undefined;
  before?: number | undefined;
}

/**
 * A keyset page from a read of `limit + 1` rows in its direction (the one beyond tells that more lie
 * that way), in list order, with the keys of its first and last rows where a page lies before or after.
 * Going forward, a previous page exists when the read started after one; going back, a next one always.
 */
export function keysetPage<R>(
  fetched: R[],
  read: { limit: number; backwards: boolean; after: unknown },
  key: (row: R) => string,
): { rows: R[]; prev: string | undefined; next: string | undefined } {
  const more = fetched.length > read.limit;
  const rows = fetched.slice(0, read.limit);
  if (read.backwards) rows.reverse();
  const hasPrev = read.backwards ? more : read.after !== undefined;
  const hasNext = read.backwards || more;
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows,
    prev: hasPrev && first !== undefined ? key(first) : undefined,
    next: hasNext && last !== undefined ? key(last) : undefined,
  };
}
