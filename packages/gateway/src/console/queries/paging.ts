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
