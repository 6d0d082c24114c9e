// The ESPM writes of one link's sync. Each is made only while the run still holds the link's lease: a
// process that stalled longer than its lease (and whose link another instance took over) stops before
// the write instead of sending what the other instance sends too. And only while the link still sends:
// a link revoked or paused during the run (an operator revoked the building's code, its renewal ran
// out) gets nothing more, not even the rest of a run already under way. Reads need no such check.
import type { ConsumptionEntry, EspmClient } from '@gaz-espm/espm';
import type { Kysely } from 'kysely';
import type { Database, LinkStatus } from '../../store/schema.ts';
import type { Lease } from '../leases.ts';
import { SENDING_STATUSES } from '../link-state.ts';

export interface ConsumptionWriter {
  /** ESPM's ids of the created entries, in the order of `entries`. */
  create(meterId: string, entries: ConsumptionEntry[]): Promise<string[]>;
  update(entryId: string, entry: ConsumptionEntry): Promise<void>;
  delete(entryId: string): Promise<void>;
}

export class LeaseLost extends Error {
  override name = 'LeaseLost';
  constructor() {
    super('another instance took this link over (lease ran out)');
  }
}

/** The link stopped sending (revoked or paused) while the run was under way: the run stops. */
export class LinkStopped extends Error {
  override name = 'LinkStopped';
  constructor(readonly status: LinkStatus) {
    super(`the link was ${status} during the run`);
  }
}

export function leaseCheckedWriter(
  espm: EspmClient,
  lease: Lease,
  link: { db: Kysely<Database>; id: number },
): ConsumptionWriter {
  const held = async (): Promise<void> => {
    if (!(await lease.stillHeld())) throw new LeaseLost();
    const { status } = await link.db
      .selectFrom('meter_link')
      .select('status')
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    if (!(SENDING_STATUSES as readonly LinkStatus[]).includes(status)) throw new LinkStopped(status);
  };
  return {
    create: async (meterId, entries) => {
      await held();
      return espm.createConsumption(meterId, entries);
    },
    update: async (entryId, entry) => {
      await held();
      await espm.updateConsumption(entryId, entry);
    },
    delete: async (entryId) => {
      await held();
      await espm.deleteConsumption(entryId);
    },
  };
}
