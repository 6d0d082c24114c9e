// The control API for tests, demos and benchmarks: who the provider is, a JSON dump of the state,
// reset, fault settings and request counts. Never subject to faults.
import type { FastifyInstance } from 'fastify';
import { checkFaultPatch } from '../http/faults.ts';
import type { SimContext } from '../http/context.ts';
import { jsonBody, simRoute } from '../http/sim-route.ts';
import { dumpState } from './state-dump.ts';

export function simControlRoutes(app: FastifyInstance, sim: SimContext): void {
  simRoute(app, 'GET', '/sim/provider', () => ({
    accountId: sim.store.data.providerAccountId,
    username: sim.store.provider.username,
    organization: sim.store.provider.organization,
  }));

  simRoute(app, 'POST', '/sim/reset', () => {
    sim.store.reset();
    sim.counter.reset();
    return { ok: true, providerAccountId: sim.store.data.providerAccountId };
  });

  simRoute(app, 'GET', '/sim/state', () => dumpState(sim));

  simRoute(app, 'GET', '/sim/faults', () => sim.faults.settings);
  simRoute(app, 'PUT', '/sim/faults', (req) => sim.faults.update(checkFaultPatch(jsonBody(req))));
  simRoute(app, 'DELETE', '/sim/faults', () => sim.faults.clear());

  simRoute(app, 'GET', '/sim/requests', () => sim.counter.snapshot());
  simRoute(app, 'DELETE', '/sim/requests', () => {
    sim.counter.reset();
    return sim.counter.snapshot();
  });
}
