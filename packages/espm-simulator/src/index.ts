// startSimulator: the in-process entry point for tests, benchmarks and the CLI.
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { DomainContext } from './domain/context.ts';
import { MESSAGES, SimError } from './errors.ts';
import type { ObservedResponse, SimContext } from './http/context.ts';
import type { FaultSettings } from './http/faults.ts';
import { checkFaultPatch, FaultInjector } from './http/faults.ts';
import type { RequestCounts } from './http/request-counter.ts';
import { RequestCounter } from './http/request-counter.ts';
import { buildApp } from './http/server.ts';
import type { SimulatorOptions } from './options.ts';
import { resolveOptions } from './options.ts';
import type { StateDump } from './routes/state-dump.ts';
import { dumpState } from './routes/state-dump.ts';
import { autoSave, loadSnapshot } from './state/snapshot.ts';
import { SimStore } from './state/store.ts';

export type { FaultSettings } from './http/faults.ts';
export type { RequestCounts } from './http/request-counter.ts';
export type { ObservedResponse } from './http/context.ts';
export type { ResponseShape, Rules, SimulatorOptions } from './options.ts';
export type { StateDump } from './routes/state-dump.ts';
export type { SimData } from './state/model.ts';
export { SimStore } from './state/store.ts';
export { GUIDE_FIELD_NAMES, SimulatedCustomer } from './simulated-customer.ts';
export { seededRandom } from './prng.ts';
export type { Random } from './prng.ts';
export type { CustomerProfile, MeterShareAnswers } from './simulated-customer.ts';

export interface Simulator {
  /** The ESPM base URL, ending in /ws/ (the same routes answer under /wstest/). */
  url: string;
  testUrl: string;
  /** http://host:port, for /sim/ calls. */
  origin: string;
  customerPageUrl: string;
  providerAccountId: string;
  provider: { username: string; password: string };
  /** The live state, for tests that seed or inspect records directly. */
  store: SimStore;
  /** The same JSON as GET /sim/state. */
  state(): StateDump;
  setFaults(patch: Partial<FaultSettings> & { seed?: number }): FaultSettings & { seed: number };
  clearFaults(): FaultSettings & { seed: number };
  requests(): Record<'provider' | 'others', RequestCounts>;
  resetRequests(): void;
  reset(): void;
  /** Fastify's app, for inject(). */
  app: FastifyInstance;
  close(): Promise<void>;
}

export interface StartOptions extends SimulatorOptions {
  /** Called with every answer sent on an ESPM path (tests check them against the XSDs). */
  observe?: (r: ObservedResponse) => void;
}

export async function startSimulator(options: StartOptions = {}): Promise<Simulator> {
  const o = resolveOptions(options);
  const store = new SimStore({ provider: o.provider, initialSettings: o.initialSettings, now: o.now });
  if (o.snapshotFile) {
    const snapshot = loadSnapshot(o.snapshotFile);
    if (snapshot) store.load(snapshot);
  }
  const saver = o.snapshotFile ? autoSave(store, o.snapshotFile) : undefined;
  const faults = new FaultInjector(
    checkFaultPatch({ ...options.faults }),
    o.seed,
    Date.now,
    o.shape === 'friendly',
  );
  const domain: DomainContext = {
    store,
    rules: o.rules,
    pendingPageSize: o.pendingPageSize,
    consumptionPageSize: o.consumptionPageSize,
    denied: () =>
      faults.forbiddenAsNotFound()
        ? new SimError(404, MESSAGES.notFound('This resource'))
        : new SimError(403, MESSAGES.accessDenied),
  };
  const sim: SimContext = {
    store,
    domain,
    faults,
    counter: new RequestCounter(),
    validateRequests: o.validateRequests,
    shape: o.shape,
    hung: new Set(),
    ...(options.observe ? { observe: options.observe } : {}),
  };
  const app = buildApp(sim, o.logger);
  await app.listen({ host: o.host, port: o.port });
  const { port } = app.server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host === '0.0.0.0' ? '127.0.0.1' : o.host;
  const origin = `http://${host}:${port}`;
  return {
    url: `${origin}/ws/`,
    testUrl: `${origin}/wstest/`,
    origin,
    customerPageUrl: `${origin}/sim/customer/`,
    get providerAccountId() {
      return store.data.providerAccountId;
    },
    provider: { username: o.provider.username, password: o.provider.password },
    store,
    state: () => dumpState(sim),
    setFaults: (patch) => faults.update(checkFaultPatch(patch as Record<string, unknown>)),
    clearFaults: () => faults.clear(),
    requests: () => sim.counter.snapshot(),
    resetRequests: () => sim.counter.reset(),
    reset: () => {
      store.reset();
      sim.counter.reset();
    },
    app,
    async close() {
      for (const socket of sim.hung) socket.destroy();
      await app.close();
      saver?.stop();
    },
  };
}
