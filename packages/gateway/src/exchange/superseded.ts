// "Superseded", a status derived, never stored (vocabulary/link-statuses.ts ShownStatus): a rejected
// share of an ESPM meter whose customer shared the same meter again and had it accepted. The customer
// fixed the mistake; nothing is left for the helpdesk to do about the rejection.
import { sql } from 'kysely';

/** Whether the meter link `alias` is a rejection that a later share of the same ESPM meter, accepted, superseded. */
export function isSuperseded(alias: string) {
  return sql<boolean>`(${sql.ref(`${alias}.status`)} = 'rejected' and exists (
    select 1 from meter_link later join link_decision d on d.link_id = later.id
    where later.espm_meter_id = ${sql.ref(`${alias}.espm_meter_id`)} and later.id > ${sql.ref(`${alias}.id`)}
      and d.decision = 'accepted'))`;
}
