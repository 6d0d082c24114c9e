// A gateway over a test store seeded for the console (test-seed.ts), with an administrator (ada), an
// operator (marie) and a viewer (victor) who sign in with TEST_PASSWORD, and an ESPM client that reaches nothing: the
// HTTP server's tests (security, hostile requests) exercise everything but ESPM. And a gateway whose
// ESPM is the simulator, for the browser tests that carry actions out against it.
import type { EspmClientOptions } from '@gaz-espm/espm';
import { EspmClient } from '@gaz-espm/espm';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { startSimulator } from '@gaz-espm/espm-simulator';
import type { GatewayConfig } from '../src/config/config.ts';
import { loadConfig } from '../src/config/config.ts';
import { upsertOperator } from '../src/console/auth/operators.ts';
import type { SeedIds } from './test-seed.ts';
import { seedConsole } from './test-seed.ts';
import type { ExchangeContext } from '../src/exchange/context.ts';
import type { Gateway } from '../src/runtime.ts';
import type { Store } from '../src/store/database.ts';
import { openTestStore } from './test-store.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

/** The configuration's ESPM settings: a closed port, so that any call fails fast. */
export const UNREACHABLE_ESPM_ENV = {
  ESPM_BASE_URL: 'http://127.0.0.1:9/ws/',
  ESPM_USERNAME: 'provider',
  ESPM_PASSWORD: 'x',
};

/** The operator Marie and the viewer Victor under the names the pages greet them by, with TEST_PASSWORD. */
export async function addNamedOperators(db: Store['db']): Promise<void> {
  for (const operator of [
    { username: 'marie', displayName: 'Marie Opératrice', role: 'operator' },
    { username: 'victor', displayName: 'Victor Lecteur', role: 'viewer' },
  ] as const) {
    await upsertOperator(db, { ...operator, password: TEST_PASSWORD });
  }
}

export async function consoleTestGateway(store: Store): Promise<{ gateway: Gateway; ids: SeedIds }> {
  const ids = await seedConsole(store.db, { now: new Date() });
  for (const [username, role] of [
    ['ada', 'admin'],
    ['marie', 'operator'],
    ['victor', 'viewer'],
  ] as const) {
    await upsertOperator(store.db, { username, role, password: TEST_PASSWORD });
  }
  return { gateway: unreachableEspmGateway(store), ids };
}

/** A gateway over the store whose ESPM client reaches nothing (UNREACHABLE_ESPM_ENV). */
export function unreachableEspmGateway(store: Store): Gateway {
  const espm = new EspmClient({
    baseUrl: UNREACHABLE_ESPM_ENV.ESPM_BASE_URL,
    username: UNREACHABLE_ESPM_ENV.ESPM_USERNAME,
    password: UNREACHABLE_ESPM_ENV.ESPM_PASSWORD,
    timeoutMs: 200,
  });
  const ctx: ExchangeContext = {
    db: store.db,
    espm,
    providerUsername: UNREACHABLE_ESPM_ENV.ESPM_USERNAME,
    sendCost: false,
    now: () => new Date(),
  };
  return { store, espm, ctx, close: async () => espm.close() };
}

export interface SimulatedGateway {
  sim: Simulator;
  gateway: Gateway;
  config: GatewayConfig;
  /** Closes the ESPM client, the simulator and the store. */
  close(): Promise<void>;
}

/** A gateway over a new test store whose ESPM is the simulator, in-process, on the wall clock. */
export async function simulatedTestGateway(
  espmOptions: Partial<Omit<EspmClientOptions, 'baseUrl' | 'username' | 'password'>> = {},
): Promise<SimulatedGateway> {
  const [sim, store] = await Promise.all([
    startSimulator({ host: '127.0.0.1', port: 0, validateRequests: false }),
    openTestStore(),
  ]);
  const { username, password } = sim.provider;
  const espm = new EspmClient({ baseUrl: sim.url, username, password, ...espmOptions });
  const ctx: ExchangeContext = {
    db: store.db,
    espm,
    providerUsername: username,
    sendCost: false,
    now: () => new Date(),
  };
  return {
    sim,
    gateway: { store, espm, ctx, close: async () => {} },
    config: loadConfig({ ESPM_BASE_URL: sim.url, ESPM_USERNAME: username, ESPM_PASSWORD: password }),
    close: async () => {
      await espm.close();
      await sim.close();
      await store.close();
    },
  };
}
