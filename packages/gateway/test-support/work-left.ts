// What a run still has to finish: links not answered or with periods waiting, and writes in doubt.
// Multi-instance and crash tests wait on it before checking the simulator's records.
import type { Kysely } from 'kysely';
import type { Database } from '../src/store/schema.ts';

export async function workLeft(db: Kysely<Database>): Promise<{ open: number; sending: number }> {
  const open = await db
    .selectFrom('meter_link')
    .select('id')
    .where((eb) => eb.or([eb('sync_due', '=', true), eb('answered_at', 'is', null)]))
    .execute();
  const sending = await db
    .selectFrom('consumption_entry')
    .select('id')
    .where('state', '=', 'sending')
    .execute();
  return { open: open.length, sending: sending.length };
}
