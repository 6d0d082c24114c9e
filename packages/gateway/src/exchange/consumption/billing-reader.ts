// The ESPM consumption's reading of billing's changes (billing/changes.ts): at the start of each run, the
// accepted links of the meters whose billed consumption changed since the last read are marked due, in
// the transaction that moves this reader's cursor. Marking due again what is due already changes
// nothing, so a read repeated after a crash is harmless.
import type { Kysely } from 'kysely';
import { readChanges } from '../../billing/changes.ts';
import type { Database } from '../../store/schema.ts';
import { markLinksDueForMeters } from '../link-state.ts';

export const ESPM_CONSUMPTION_READER = 'espm-consumption';

/** Marks due the links of the meters changed since the last read; returns how many changes it read. */
export async function markChangedMetersDue(db: Kysely<Database>): Promise<number> {
  return readChanges(db, ESPM_CONSUMPTION_READER, async (trx, changes) => {
    // A cancelled period never billed was never sent: ESPM has nothing to learn of it.
    const meters = new Set<string>();
    for (const c of changes)
      if (c.status === 'billed' || c.previousStatus === 'billed') meters.add(c.meterNumber);
    await markLinksDueForMeters(trx, [...meters]);
  });
}
