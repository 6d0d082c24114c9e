// The gateway against the ESPM simulator, for end-to-end tests: a store (embedded, or PostgreSQL when
// DATABASE_URL is set), the simulator in-process, an ESPM client with fast retries, and a test clock.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EspmClientOptions } from '@gaz-espm/espm';
import { EspmClient } from '@gaz-espm/espm';
import type { Simulator, StartOptions } from '@gaz-espm/espm-simulator';
import { SimulatedCustomer, startSimulator } from '@gaz-espm/espm-simulator';
import type { BillingFileRow } from '../src/billing/billing-row.ts';
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from '../src/billing/billing-row.ts';
import { importBillingFile } from '../src/billing/import-billing-file.ts';
import { acceptPendingConnections } from '../src/exchange/connections.ts';
import type { ExchangeContext } from '../src/exchange/context.ts';
import type { Store } from '../src/store/database.ts';
import type { TestStoreKind } from './test-store.ts';
import { openTestStore } from './test-store.ts';

const COLUMNS = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

export interface Harness {
  sim: Simulator;
  store: Store;
  ctx: ExchangeContext;
  espm: EspmClient;
  setNow(iso: string): void;
  customer(username: string, organization?: string): Promise<SimulatedCustomer>;
  /** The customer sends its connection request and the gateway accepts it, as ESPM requires before sharing. */
  connect(customer: SimulatedCustomer): Promise<void>;
  /** Imports rows through the documented CSV import, as the billing system would. */
  importBilling(rows: BillingFileRow[]): Promise<Awaited<ReturnType<typeof importBillingFile>>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  simulator?: StartOptions;
  /** Overrides of the ESPM client's settings (timeoutMs, retries…); the defaults below otherwise. */
  espm?: Partial<Omit<EspmClientOptions, 'baseUrl' | 'username' | 'password'>>;
  /** The store kind; PostgreSQL when DATABASE_URL is set, else embedded, unless said. */
  store?: TestStoreKind;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  let now = new Date('2023-04-19T19:24:00Z');
  // Request bodies are checked against the XSDs by the simulator's own tests; here that costs ~150 ms a
  // request (a wasm instance each time) and would dominate the run.
  const sim = await startSimulator({
    host: '127.0.0.1',
    port: 0,
    now: () => now,
    validateRequests: false,
    ...options.simulator,
  });
  const store = await openTestStore(options.store);
  const espm = new EspmClient({
    baseUrl: sim.url,
    username: sim.provider.username,
    password: sim.provider.password,
    maxRps: 2000,
    maxConcurrency: 4,
    timeoutMs: 1500,
    retryBaseMs: 5,
    retryMaxMs: 40,
    outageHoldMaxMs: 40,
    maxRetries: 8,
    ...options.espm,
  });
  const ctx: ExchangeContext = {
    db: store.db,
    espm,
    providerUsername: sim.provider.username,
    sendCost: false,
    now: () => now,
  };
  const dir = mkdtempSync(join(tmpdir(), 'gateway-e2e-'));
  let files = 0;
  return {
    sim,
    store,
    ctx,
    espm,
    setNow: (iso) => {
      now = new Date(iso);
    },
    customer: (username, organization) => SimulatedCustomer.create(sim.origin, { username, organization }),
    connect: async (customer) => {
      await customer.connect();
      await acceptPendingConnections(ctx);
    },
    importBilling: async (rows) => {
      const file = join(dir, `billing-${++files}.csv`);
      const cell = (v: unknown): string =>
        v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
      writeFileSync(
        file,
        [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') + '\n',
      );
      return importBillingFile(store.db, file, { source: 'csv' });
    },
    close: async () => {
      await espm.close();
      await sim.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
