// Owns the simulated data: creation of a fresh state, id counters, and the change signal the snapshot
// saver listens to. Domain modules read and write `data` directly and call `touch()` after a change.
import { espmDateTime } from '../clock.ts';
import type { ProviderOptions } from '../options.ts';
import { DEMO_CUSTOM_FIELDS, DEMO_SETTINGS } from './demo.ts';
import type { AccountRecord, ConsumptionRecord, IdCounters, SimData } from './model.ts';

// Distinct ranges per kind make a stray id easy to recognise in logs and tests.
const FIRST_IDS: IdCounters = {
  account: 100_000,
  property: 2_000_000,
  meter: 5_000_000,
  consumption: 90_000_000,
  notification: 700_000,
  customField: 800_000,
};

export interface StoreOptions {
  provider: ProviderOptions;
  initialSettings: 'demo' | 'empty';
  now: () => Date;
}

export class SimStore {
  data: SimData;
  private listeners: Array<() => void> = [];
  // Entry ids per meter, derived from data.consumption so a meter's entries are found without a scan.
  private byMeter: Map<string, Set<string>> | undefined;
  // Account ids by lower-cased username, derived from data.accounts: every request authenticates, and a
  // scan of 20,000 accounts takes ~20 ms. Accounts are added through addAccount, which keeps it current.
  private byUsername: Map<string, string> | undefined;

  constructor(private readonly options: StoreOptions) {
    this.data = this.fresh();
  }

  now(): Date {
    return this.options.now();
  }

  /** The current time as ESPM writes it in audits. */
  timestamp(): string {
    return espmDateTime(this.options.now());
  }

  nextId(kind: keyof IdCounters): string {
    this.data.counters[kind] += 1;
    return String(this.data.counters[kind]);
  }

  get provider(): AccountRecord {
    return this.data.accounts[this.data.providerAccountId]!;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  touch(): void {
    for (const l of this.listeners) l();
  }

  /** Adds a record under its id and signals the change. */
  insert<K extends 'properties' | 'meters' | 'customFields'>(
    table: K,
    record: SimData[K][string],
  ): SimData[K][string] {
    this.data[table][record.id] = record;
    this.touch();
    return record;
  }

  entriesOfMeter(meterId: string): ConsumptionRecord[] {
    if (!this.byMeter) {
      this.byMeter = new Map();
      for (const e of Object.values(this.data.consumption)) this.indexEntry(e);
    }
    return [...(this.byMeter.get(meterId) ?? [])].map((id) => this.data.consumption[id]!);
  }

  /** The account with this username, letter case aside (ESPM's usernames are unique that way). */
  accountByUsername(username: string): AccountRecord | undefined {
    if (!this.byUsername) {
      this.byUsername = new Map();
      for (const a of Object.values(this.data.accounts)) this.indexAccount(a);
    }
    const wanted = username.toLowerCase();
    const id = this.byUsername.get(wanted);
    const account = id === undefined ? undefined : this.data.accounts[id];
    return account?.username.toLowerCase() === wanted ? account : undefined;
  }

  addAccount(account: AccountRecord): void {
    this.data.accounts[account.id] = account;
    if (this.byUsername) this.indexAccount(account);
  }

  private indexAccount(a: AccountRecord): void {
    const key = a.username.toLowerCase();
    if (!this.byUsername!.has(key)) this.byUsername!.set(key, a.id);
  }

  putEntry(entry: ConsumptionRecord): void {
    this.data.consumption[entry.id] = entry;
    if (this.byMeter) this.indexEntry(entry);
  }

  deleteEntry(entry: ConsumptionRecord): void {
    delete this.data.consumption[entry.id];
    this.byMeter?.get(entry.meterId)?.delete(entry.id);
  }

  private indexEntry(e: ConsumptionRecord): void {
    let ids = this.byMeter!.get(e.meterId);
    if (!ids) this.byMeter!.set(e.meterId, (ids = new Set()));
    ids.add(e.id);
  }

  reset(): void {
    this.byMeter = undefined;
    this.byUsername = undefined;
    this.data = this.fresh();
    this.touch();
  }

  /** Replaces the state with a loaded snapshot, keeping the provider credentials of this run's options. */
  load(data: SimData): void {
    if (data.format !== 'espm-simulator/1')
      throw new Error(`unknown snapshot format: ${String(data.format)}`);
    this.data = data;
    this.byMeter = undefined;
    this.byUsername = undefined;
    const provider = this.provider;
    provider.username = this.options.provider.username;
    provider.password = this.options.provider.password;
  }

  private fresh(): SimData {
    const counters = { ...FIRST_IDS };
    const providerId = String(++counters.account);
    const created = this.timestamp();
    const p = this.options.provider;
    const data: SimData = {
      format: 'espm-simulator/1',
      counters,
      providerAccountId: providerId,
      accounts: {
        [providerId]: {
          id: providerId,
          username: p.username,
          password: p.password,
          contact: {
            firstName: 'Services Web',
            lastName: p.organization,
            email: 'webservices@example.com',
            jobTitle: 'Web services',
            phone: '514-555-0100',
            address: {
              address1: '1717 rue du Havre',
              city: 'Montréal',
              state: 'QC',
              postalCode: 'H2K 2X3',
              country: 'CA',
            },
          },
          organization: p.organization,
          languagePreference: 'fr_CA',
          isProvider: true,
          createdDate: created,
        },
      },
      properties: {},
      meters: {},
      connections: {},
      propertyShares: {},
      meterShares: {},
      consumption: {},
      notifications: [],
      settings: { termsOfUse: { kind: 'none' }, supportedMeterTypes: [] },
      customFields: {},
      customFieldValues: { account: {}, property: {}, meter: {} },
      decisions: [],
    };
    if (this.options.initialSettings === 'demo') {
      data.settings = structuredClone(DEMO_SETTINGS);
      for (const definition of DEMO_CUSTOM_FIELDS) {
        const id = String(++data.counters.customField);
        data.customFields[id] = { id, definition: { ...definition } };
      }
    }
    return data;
  }
}
