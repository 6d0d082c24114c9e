// GET /sim/state: everything a test may want to assert on, as plain JSON (passwords left out).
import type { SimContext } from '../http/context.ts';

export function dumpState(sim: SimContext) {
  const d = sim.store.data;
  return {
    providerAccountId: d.providerAccountId,
    accounts: Object.values(d.accounts).map(({ password: _p, ...a }) => a),
    properties: Object.values(d.properties),
    meters: Object.values(d.meters),
    connections: Object.values(d.connections),
    propertyShares: Object.values(d.propertyShares),
    meterShares: Object.values(d.meterShares),
    consumption: Object.values(d.consumption).map((e) => ({
      ...e,
      createdBy: e.audit.createdBy,
      lastUpdatedBy: e.audit.lastUpdatedBy,
    })),
    notifications: d.notifications,
    settings: d.settings,
    customFields: Object.values(d.customFields).map((f) => ({ id: f.id, ...f.definition })),
    customFieldValues: d.customFieldValues,
    decisions: d.decisions,
    requests: sim.counter.snapshot(),
    faults: sim.faults.settings,
  };
}

export type StateDump = ReturnType<typeof dumpState>;
