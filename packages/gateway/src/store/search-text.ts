// The text the console searches by part of a word, written as the trigram indexes of migration 0013
// index it: a query must use the same expression for PostgreSQL to use the index. Substring searches
// need at least MIN_SUBSTRING characters (a trigram); a shorter text is looked up whole.
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';

export const MIN_SUBSTRING = 3;

/** A customer's names, organization, e-mail and username (espm_customer as c). */
export const customerText = (c = 'c'): RawBuilder<string> =>
  sql<string>`lower(${sql.ref(`${c}.first_name`)} || ' ' || ${sql.ref(`${c}.last_name`)} || ' ' || coalesce(${sql.ref(`${c}.organization`)}, '') || ' ' || ${sql.ref(`${c}.email`)} || ' ' || ${sql.ref(`${c}.username`)})`;

/** A share's ESPM username (meter_link as l). */
export const usernameText = (l = 'l'): RawBuilder<string> =>
  sql<string>`lower(${sql.ref(`${l}.espm_username`)})`;

/** A billed period's premise and service address (billing_period as p; indexed where premise_id is not null). */
export const premiseText = (p = 'p'): RawBuilder<string> =>
  sql<string>`lower(${sql.ref(`${p}.premise_id`)} || ' ' || coalesce(${sql.ref(`${p}.service_address`)}, ''))`;

/** A building's id and name (building as b). */
export const buildingText = (b = 'b'): RawBuilder<string> =>
  sql<string>`lower(${sql.ref(`${b}.building_id`)} || ' ' || ${sql.ref(`${b}.name`)})`;

/** A journal line's subject, outcome, details and operator (gateway_log as g). */
export const logText = (g = 'g'): RawBuilder<string> =>
  sql<string>`lower(coalesce(${sql.ref(`${g}.subject`)}, '') || ' ' || ${sql.ref(`${g}.outcome`)} || ' ' || coalesce(${sql.ref(`${g}.details`)}, '') || ' ' || coalesce(${sql.ref(`${g}.operator`)}, ''))`;

/** A LIKE pattern for text holding the value (lower case), its wildcards taken literally. */
export function substringPattern(value: string): string {
  return `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
