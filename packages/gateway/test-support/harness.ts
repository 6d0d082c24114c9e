// The gateway against the ESPM simulator, for end-to-end tests: a store (embedded, or PostgreSQL when
// DATABASE_URL is set), the simulator in-process, an ESPM client with fast retries, and a test clock.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EspmClientOptions } from '@gaz-espm/espm';
import { EspmClient } from '@gaz-espm/espm';
import type { MeterShareAnswers, Simulator, StartOptions } from '@gaz-espm/espm-simulator';
import { SimulatedCustomer } from '@gaz-espm/espm-simulator';
import type { Selectable } from 'kysely';
import type { BillingFileRow } from '../src/billing/billing-row.ts';
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from '../src/billing/billing-row.ts';
import { importBillingFile } from '../src/billing/import-billing-file.ts';
import { acceptPendingConnections } from '../src/exchange/connections.ts';
import type { ExchangeContext } from '../src/exchange/context.ts';
import type { CycleReport } from '../src/exchange/cycle.ts';
import { runCycle } from '../src/exchange/cycle.ts';
import type { Store } from '../src/store/database.ts';
import type { GatewayLogTable, LinkDecisionTable, MeterLinkTable } from '../src/store/schema.ts';
import { startLocalSimulator } from './local-simulator.ts';
import type { TestStoreKind } from './test-store.ts';
import { openTestStore } from './test-store.ts';

const COLUMNS = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** A meter a customer creates and shares: a natural-gas meter billed since 2020 unless said. */
export interface MeterToShare {
  meter?: Partial<Parameters<SimulatedCustomer['createMeter']>[1]>;
  answers: Partial<MeterShareAnswers>;
  accessLevel?: 'Read' | 'Read Write';
}

/** A building owner's aggregate meter, shared with the building's aggregation code. */
export function aggregateMeterShare(aggregationCode: string, initialLoad = '12'): MeterToShare {
  return {
    meter: { name: 'Gaz naturel — bâtiment entier', aggregateMeter: true },
    answers: { aggregationCode, initialLoad },
  };
}

/** How far the customer's connection has gone when its shares are sent: ESPM takes them either way. */
export type Connection = 'accepted' | 'requested';

export interface Harness {
  sim: Simulator;
  store: Store;
  ctx: ExchangeContext;
  espm: EspmClient;
  setNow(iso: string): void;
  customer(username: string, organization?: string): Promise<SimulatedCustomer>;
  /** The customer sends its connection request and the gateway accepts it, as ESPM requires before sharing. */
  connect(customer: SimulatedCustomer): Promise<void>;
  /**
   * The customer creates a property and its meters, connects, and shares the property and then each
   * meter, as the guide tells it to.
   */
  shareNewProperty(
    customer: SimulatedCustomer,
    property: string,
    meters: MeterToShare[],
    connection?: Connection,
  ): Promise<{ propertyId: string; meterIds: string[] }>;
  /** shareNewProperty with one meter. */
  shareNewMeter(
    customer: SimulatedCustomer,
    property: string,
    meter: MeterToShare,
    connection?: Connection,
  ): Promise<{ propertyId: string; meterId: string }>;
  /** The customer creates a property, connects and shares the property: its meters come after. */
  sharedProperty(customer: SimulatedCustomer, property: string): Promise<string>;
  /** The customer adds a meter to a property and shares it. */
  addSharedMeter(customer: SimulatedCustomer, propertyId: string, meter: MeterToShare): Promise<string>;
  /** The meter's newest link: each share of a meter makes one. */
  linkOf(meterId: string): Promise<Selectable<MeterLinkTable>>;
  /** The link's decisions, oldest first. */
  decisionsOf(linkId: number): Promise<Array<Selectable<LinkDecisionTable>>>;
  /** The journal's lines about a subject (a meter, a building…), oldest first. */
  journalOf(subject: string): Promise<Array<Selectable<GatewayLogTable>>>;
  /** Runs a cycle (of the services given, else all) and asserts that every service ran without an error. */
  cleanCycle(only?: Parameters<typeof runCycle>[1]): Promise<CycleReport>;
  /** Imports rows through the documented CSV import, as the billing system would. */
  importBilling(rows: BillingFileRow[]): Promise<Awaited<ReturnType<typeof importBillingFile>>>;
  /** importBilling of rows none of which may be rejected: the rejections are the failure's message. */
  importAccepted(rows: BillingFileRow[]): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  simulator?: StartOptions;
  /** Overrides of the ESPM client's settings (timeoutMs, retries…); the defaults below otherwise. */
  espm?: Partial<Omit<EspmClientOptions, 'baseUrl' | 'username' | 'password'>>;
  /** The store kind; PostgreSQL when DATABASE_URL is set, else embedded, unless said. */
  store?: TestStoreKind;
}

/** The report, once asserted that every service of the cycle ran without an error. */
export function assertEveryServiceOk(report: CycleReport): CycleReport {
  assert.ok(
    report.services.every((s) => s.ok),
    JSON.stringify(report.services),
  );
  return report;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  let now = new Date('2023-04-19T19:24:00Z');
  const sim = await startLocalSimulator({ now: () => now, ...options.simulator });
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
  const connect = async (customer: SimulatedCustomer, connection: Connection = 'accepted'): Promise<void> => {
    await customer.connect();
    if (connection === 'accepted') await acceptPendingConnections(ctx);
  };
  const createMeter = (customer: SimulatedCustomer, propertyId: string, m: MeterToShare): Promise<string> =>
    customer.createMeter(propertyId, { name: 'Gaz naturel', firstBillDate: '2020-01-01', ...m.meter });
  const importBilling: Harness['importBilling'] = async (rows) => {
    const file = join(dir, `billing-${++files}.csv`);
    const cell = (v: unknown): string =>
      v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
    writeFileSync(
      file,
      [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') + '\n',
    );
    return importBillingFile(store.db, file, { source: 'csv' });
  };
  const shareNewProperty: Harness['shareNewProperty'] = async (customer, property, meters, connection) => {
    const propertyId = await customer.createProperty(property);
    const meterIds: string[] = [];
    for (const m of meters) meterIds.push(await createMeter(customer, propertyId, m));
    await connect(customer, connection);
    await customer.shareProperty(propertyId);
    for (const [i, m] of meters.entries()) await customer.shareMeter(meterIds[i]!, m.answers, m.accessLevel);
    return { propertyId, meterIds };
  };
  return {
    sim,
    store,
    ctx,
    espm,
    setNow: (iso) => {
      now = new Date(iso);
    },
    customer: (username, organization) => SimulatedCustomer.create(sim.origin, { username, organization }),
    connect: (customer) => connect(customer),
    shareNewProperty,
    shareNewMeter: async (customer, property, meter, connection) => {
      const { propertyId, meterIds } = await shareNewProperty(customer, property, [meter], connection);
      return { propertyId, meterId: meterIds[0]! };
    },
    sharedProperty: async (customer, property) => {
      const propertyId = await customer.createProperty(property);
      await connect(customer);
      await customer.shareProperty(propertyId);
      return propertyId;
    },
    addSharedMeter: async (customer, propertyId, meter) => {
      const meterId = await createMeter(customer, propertyId, meter);
      await customer.shareMeter(meterId, meter.answers, meter.accessLevel);
      return meterId;
    },
    linkOf: (meterId) =>
      store.db
        .selectFrom('meter_link')
        .selectAll()
        .where('espm_meter_id', '=', meterId)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow(),
    decisionsOf: (linkId) =>
      store.db.selectFrom('link_decision').selectAll().where('link_id', '=', linkId).orderBy('id').execute(),
    journalOf: (subject) =>
      store.db.selectFrom('gateway_log').selectAll().where('subject', '=', subject).orderBy('id').execute(),
    cleanCycle: async (only) => assertEveryServiceOk(await runCycle(ctx, only)),
    importBilling,
    importAccepted: async (rows) => {
      const report = await importBilling(rows);
      assert.equal(report.exitCode, 0, JSON.stringify(report.rejections));
    },
    close: async () => {
      await espm.close();
      await sim.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
