// The ESPM writes of one link's sync. Each is made only while the run still holds the link's lease: a
// process that stalled longer than its lease (and whose link another instance took over) stops before
// the write instead of sending what the other instance sends too. Reads need no such check.
import type { ConsumptionEntry, EspmClient } from '@gaz-espm/espm';
import type { Lease } from '../leases.ts';

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

export function leaseCheckedWriter(espm: EspmClient, lease: Lease): ConsumptionWriter {
  const held = async (): Promise<void> => {
    if (!(await lease.stillHeld())) throw new LeaseLost();
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
