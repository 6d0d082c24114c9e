// A meter link written straight into the store, with no ESPM behind it: for the tests of what billing,
// leases and readers do with links (the ESPM side's own tests share meters through the simulator).
import type { Kysely } from 'kysely';
import type { Database, LinkStatus } from '../src/store/schema.ts';

export async function insertBareLink(
  db: Kysely<Database>,
  link: { meterNumber?: string; espmMeterId?: string; status?: LinkStatus; syncDue?: boolean } = {},
): Promise<number> {
  const { id } = await db
    .insertInto('meter_link')
    .values({
      espm_meter_id: link.espmMeterId ?? `${Math.floor(Math.random() * 1e9)}`,
      espm_property_id: '1000',
      espm_account_id: '2000',
      access_level: 'Read Write',
      custom_fields: '{}',
      meter_number: link.meterNumber ?? null,
      status: link.status ?? 'accepted',
      received_at: new Date(),
      sync_due: link.syncDue ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
