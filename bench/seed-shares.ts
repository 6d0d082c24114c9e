// N meter shares waiting in the simulator, the matching billing data in the gateway's store: the
// starting point of sync-throughput.ts and of the crash trials (crash-trials.ts). Meter i belongs to its
// own customer (account 300000+i), already connected; its share carries the right four custom fields
// (the latest invoice, 24 months of history). onboarding.ts and serve-memory.ts, whose customers go
// through the customer side (customers.ts), take the same four answers and billing from here.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { SimulatedCustomer } from '@gaz-espm/espm-simulator';
import { sql } from 'kysely';
import { importBillingFile } from '@gaz-espm/gateway/billing';
import type { Store } from '@gaz-espm/gateway/store';
import { monthPeriod } from './lib.ts';

const accountOf = (i: number): string => String(300_000 + i);
const propertyOf = (i: number): string => String(4_000_000 + i);
const meterOf = (i: number): string => String(6_000_000 + i);
const billingAccount = (i: number): string => String(1_000_000_000 + i);
const meterNumber = (i: number): string => `M${5_000_000 + i}`;
const invoice = (i: number, month: number): string => String(100_000_000_000 + i * 100 + month);

/** The four custom fields of customer i's meter share, as the guide asks them (24 months of history). */
export function shareAnswersOf(i: number): {
  accountNumber: string;
  invoiceNumber: string;
  meterNumber: string;
  initialLoad: string;
} {
  return {
    accountNumber: billingAccount(i),
    invoiceNumber: invoice(i, 24),
    meterNumber: meterNumber(i),
    initialLoad: '24',
  };
}

/** Billing month 0 is `first`; each month is invoiced on the 5th of the next. */
export interface FirstMonth {
  year: number;
  month0: number;
}

/** The month 25 months before `now`'s month: months 0..24 then end with the month before now's. */
export function firstMonthFor(now: Date): FirstMonth {
  return { year: now.getUTCFullYear(), month0: now.getUTCMonth() - 25 };
}

function billingRows(i: number, months: number[], first: FirstMonth): string[] {
  return months.map((m) => {
    const p = monthPeriod(first.year, first.month0 + m);
    const invoiceDate = monthPeriod(first.year, first.month0 + 1 + m).start.slice(0, 8) + '05';
    return `${billingAccount(i)},${invoice(i, m)},${invoiceDate},${meterNumber(i)},${p.start},${p.end},${100 + ((i * 7 + m * 13) % 400)}.5`;
  });
}

/** Imports months `months` of meters 0..n-1 through the gateway's CSV import. */
export async function importBilling(
  store: Store,
  dir: string,
  n: number,
  months: number[],
  first: FirstMonth,
): Promise<void> {
  const file = join(dir, `billing-${months[0]}.csv`);
  const lines = ['account_number,invoice_number,invoice_date,meter_number,period_start,period_end,volume_m3'];
  for (let i = 0; i < n; i++) lines.push(...billingRows(i, months, first));
  writeFileSync(file, lines.join('\n') + '\n');
  const report = await importBillingFile(store.db, file);
  if (report.exitCode !== 0)
    throw new Error(`billing import failed: ${JSON.stringify(report).slice(0, 500)}`);
}

/** Customers 0..n-1's whole billing: months 0..24, ending with the month before this one. */
export function importHistory(store: Store, dir: string, n: number): Promise<void> {
  const months = Array.from({ length: 25 }, (_, m) => m);
  return importBilling(store, dir, n, months, firstMonthFor(new Date()));
}

/** Every benchmark customer's meter, as the guide has it created. */
export const GAS_METER = {
  name: 'Gaz naturel',
  type: 'Natural Gas',
  unitOfMeasure: 'cm (Cubic meters)',
  firstBillDate: '2020-01-01',
} as const;

/** One customer played through the customer API gives the records' shape; n copies go in directly. */
export async function seedSimulator(sim: Simulator, n: number): Promise<void> {
  const c = await SimulatedCustomer.create(sim.origin, { username: 'template' });
  const propertyId = await c.createProperty('Modèle');
  const meterId = await c.createMeter(propertyId, GAS_METER);
  await c.connect();
  for (const connection of Object.values(sim.store.data.connections)) connection.status = 'accepted';
  await c.shareMeter(meterId, {
    accountNumber: '1',
    invoiceNumber: '1',
    meterNumber: '1',
    initialLoad: '24',
  });
  const data = sim.store.data;
  const accountId = Object.keys(data.connections)[0]!;
  const t = {
    account: data.accounts[accountId]!,
    property: data.properties[propertyId]!,
    meter: data.meters[meterId]!,
    connection: data.connections[accountId]!,
    share: data.meterShares[meterId]!,
  };
  delete data.accounts[accountId];
  delete data.properties[propertyId];
  delete data.meters[meterId];
  delete data.connections[accountId];
  delete data.meterShares[meterId];
  delete data.customFieldValues.meter[meterId];
  for (let i = 0; i < n; i++) {
    const a = accountOf(i);
    const p = propertyOf(i);
    const m = meterOf(i);
    sim.store.addAccount({ ...structuredClone(t.account), id: a, username: `client${i}` });
    data.properties[p] = { ...structuredClone(t.property), id: p, accountId: a };
    data.meters[m] = { ...structuredClone(t.meter), id: m, propertyId: p };
    data.connections[a] = { ...structuredClone(t.connection), accountId: a, status: 'accepted' };
    data.meterShares[m] = {
      ...structuredClone(t.share),
      resourceId: m,
      propertyId: p,
      accountId: a,
      status: 'pending',
    };
    data.customFieldValues.meter[m] = [
      { name: 'Numéro du compte', value: billingAccount(i) },
      { name: 'Numéro de facture', value: invoice(i, 24) },
      { name: 'Numéro du compteur', value: meterNumber(i) },
      { name: 'Chargement initial', value: '24' },
    ];
  }
  data.counters.account = Math.max(data.counters.account, Number(accountOf(n)));
  data.counters.property = Math.max(data.counters.property, Number(propertyOf(n)));
  data.counters.meter = Math.max(data.counters.meter, Number(meterOf(n)));
}

/** The connections the gateway accepted earlier, as its store records them. */
export async function seedCustomers(store: Store, n: number): Promise<void> {
  await sql`
    insert into espm_customer (account_id, username, first_name, last_name, email, organization, phone,
                               connection_status, connected_at)
    select (300000 + g)::text, 'client' || g, 'Client', 'Numéro ' || g, 'client' || g || '@example.com',
           'Organisation ' || g, null, 'connected', now()
    from generate_series(0, ${n - 1}::int) g`.execute(store.db);
}
