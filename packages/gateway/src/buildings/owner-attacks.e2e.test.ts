// What the owner of a building learns by reading its aggregate meter in ESPM, before and after the
// ordinary billing events of its tenants: a correction, a cancellation, a re-bill, a premise added
// later, a one-day move-in, the owner's own accounts, one customer with many accounts, a late bill.
// Each scenario reads the meter after every cycle, as the owner would, and looks for a value, or a
// difference of two values of one month, that depends on fewer customers than the rule requires:
// what the owner can subtract (its own accounts, an account billed for less than half of the month)
// taken away, the quantity must not equal, to the litre, the sum of the parts, or of the changes of
// parts between two billing states, of fewer than five of the tenants' customers. Both stores.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SimulatedCustomer } from '@gaz-espm/espm-simulator';
import type { BillingFileRow } from '../billing/billing-row.ts';
import { runCycle } from '../exchange/cycle.ts';
import { pushSettings } from '../exchange/settings.ts';
import type { Harness } from '../../test-support/harness.ts';
import { aggregateMeterShare, startHarness } from '../../test-support/harness.ts';
import { testStoreKinds } from '../../test-support/test-store.ts';
import { issueCode } from './aggregation-codes.ts';
import { importBuildingsFile } from './import-buildings-file.ts';
import { litresOf } from './decimal-fraction.ts';
import { dateOf, dayNumber } from './monthly-totals.ts';
import { DEFAULT_PRIVACY_RULE } from './privacy-rule.ts';

const TODAY = '2023-06-20';
/** The default rule's count (privacy-rule.ts); checked below against it. */
const N = 5;

interface Tenant {
  account: string;
  premise: string;
  from: string;
  /** Last day billed, when the bills stop (a late bill, a move-out). */
  until?: string;
  customerId?: string;
  ownerHeld?: boolean;
}

/** The last day of the month holding `date`. */
function monthEnd(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return dateOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / 86_400_000);
}

/** Bills that end with each calendar month (the first from the move-in day), through `through`. */
function bills(t: Tenant, i: number, through: string, firstInvoice = 0): BillingFileRow[] {
  const rows: BillingFileRow[] = [];
  const last = t.until && t.until < through ? t.until : through;
  for (let start = t.from, k = 0; start <= last; k++) {
    const end = monthEnd(start);
    rows.push({
      account_number: t.account,
      invoice_number: `${t.account[0]}${t.account.slice(-5)}${String(firstInvoice + k).padStart(6, '0')}`,
      invoice_date: dateOf(dayNumber(end) + 3),
      meter_number: `M${t.account}`,
      period_start: start,
      period_end: end,
      // Distinct, irregular volumes: no two tenants' sums meet by chance.
      volume_m3: `${97 + i * 31 + ((k * 17 + i * 7) % 23)}.${String((k * 389 + i * 577) % 1000).padStart(3, '0')}`,
      premise_id: t.premise,
      ...(t.customerId ? { customer_id: t.customerId } : {}),
    } as BillingFileRow);
    start = dateOf(dayNumber(end) + 1);
  }
  return rows;
}

/** The billing as it stands at one reading of the meter. */
type BillingState = BillingFileRow[];

/** What the owner cannot be kept from knowing, and who a bill belongs to, for the analysis below. */
interface Analysis {
  tenants: Tenant[];
  states: BillingState[];
}

interface Part {
  customer: string;
  litres: bigint;
  /** Billed for at least half of the month and not the owner's own: gives cover. */
  counts: boolean;
}

/** Each customer's part of a month in a state (bills here never span two months). */
function parts(a: Analysis, state: BillingState, month: string): Part[] {
  const byCustomer = new Map<string, Part & { days: number }>();
  const owner = new Set(a.tenants.filter((t) => t.ownerHeld).map((t) => t.account));
  const customerOf = new Map(a.tenants.map((t) => [t.account, t.customerId ?? t.account]));
  const half = (dayNumber(monthEnd(month)) - dayNumber(month) + 1) / 2;
  for (const r of state) {
    if (r.period_start.slice(0, 7) !== month.slice(0, 7)) continue;
    const key = owner.has(r.account_number) ? `owner ${r.account_number}` : customerOf.get(r.account_number)!;
    const p = byCustomer.get(key) ?? { customer: key, litres: 0n, counts: false, days: 0 };
    p.days += dayNumber(r.period_end) - dayNumber(r.period_start) + 1;
    if (r.status !== 'cancelled') p.litres += litresOf(String(r.volume_m3));
    p.counts = !owner.has(r.account_number) && p.days >= half;
    byCustomer.set(key, p);
  }
  return [...byCustomer.values()];
}

/** Every sum of fewer than N of the values (a subset of the customers that count), nonzero. */
function smallSums(values: bigint[]): Set<bigint> {
  const sums = new Set<bigint>();
  const n = values.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    let bits = 0;
    let sum = 0n;
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        bits++;
        sum += values[i]!;
      }
    }
    if (bits < N && sum !== 0n) sums.add(sum);
  }
  return sums;
}

/**
 * The owner's readings of the meter, month by month, and what each value or difference of one month
 * isolates: a quantity that, after taking away what the owner knows (its own accounts, accounts billed
 * for less than half of the month) in any billing state up to the reading, is the sum of fewer than N
 * customers' parts, or of their changes between two states.
 */
function isolations(a: Analysis, readings: Array<Map<string, bigint>>): string[] {
  const found: string[] = [];
  const months = new Set(readings.flatMap((r) => [...r.keys()]));
  for (const month of months) {
    const seen: Array<{ at: number; litres: bigint }> = [];
    readings.forEach((r, at) => {
      const v = r.get(month);
      if (v !== undefined && seen.at(-1)?.litres !== v) seen.push({ at, litres: v });
    });
    const quantities: Array<{ what: string; litres: bigint; at: number; from?: number }> = seen.map((s) => ({
      what: `value ${s.litres}`,
      litres: s.litres,
      at: s.at,
    }));
    for (let i = 0; i < seen.length; i++) {
      for (let j = i + 1; j < seen.length; j++) {
        quantities.push({
          what: `difference ${seen[j]!.litres - seen[i]!.litres}`,
          litres: seen[j]!.litres - seen[i]!.litres,
          at: seen[j]!.at,
          from: seen[i]!.at,
        });
      }
    }
    for (const q of quantities) {
      for (let s = 0; s <= q.at; s++) {
        const after = parts(a, a.states[s]!, month);
        // A value, or a difference (a premise joining shows its whole part), that is a few parts.
        const known = after.filter((p) => !p.counts).reduce((x, p) => x + p.litres, 0n);
        const cover = smallSums(after.filter((p) => p.counts).map((p) => p.litres));
        if (cover.has(q.litres - known) || cover.has(q.litres)) found.push(`${month} ${q.what} (state ${s})`);
        if (q.from === undefined) continue;
        for (let b = 0; b <= s; b++) {
          const beforeParts = new Map(parts(a, a.states[b]!, month).map((p) => [p.customer, p]));
          let known = 0n;
          const changes: bigint[] = [];
          for (const customer of new Set([...beforeParts.keys(), ...after.map((p) => p.customer)])) {
            const was = beforeParts.get(customer);
            const is = after.find((p) => p.customer === customer);
            const change = (is?.litres ?? 0n) - (was?.litres ?? 0n);
            if (was?.counts || is?.counts) changes.push(change);
            else known += change;
          }
          if (smallSums(changes).has(q.litres - known)) {
            found.push(`${month} ${q.what} (states ${b} → ${s})`);
          }
        }
      }
    }
  }
  return found;
}

interface Scenario {
  name: string;
  tenants: Tenant[];
  /** Premises put in the building only after the first reading. */
  addedLater?: string[];
  /** The billing changes after each reading, in order: each gives one more reading. */
  events: Array<(rows: BillingFileRow[]) => BillingFileRow[]>;
  /** Some months reach the owner: the scenario is not empty on either side. */
  writes: boolean;
}

const six = (prefix: string, digit: number): Tenant[] =>
  [1, 2, 3, 4, 5, 6].map((k) => ({
    account: `${digit}${String(k).padStart(9, '0')}`,
    premise: `${prefix}-${k}`,
    from: '2022-01-01',
  }));

const change =
  (account: string, month: string, edit: (r: BillingFileRow) => BillingFileRow) => (rows: BillingFileRow[]) =>
    rows.map((r) => (r.account_number === account && r.period_start.startsWith(month) ? edit(r) : r));

const SCENARIOS: Scenario[] = [
  {
    name: 'a correction of a month written',
    tenants: six('COR', 1),
    events: [change('1000000001', '2022-10', (r) => ({ ...r, volume_m3: '512.000' }))],
    writes: true,
  },
  {
    name: 'a cancellation of a month written',
    tenants: six('CAN', 2),
    events: [change('2000000002', '2022-11', (r) => ({ ...r, status: 'cancelled' }))],
    writes: true,
  },
  {
    name: 'a cancellation, then a re-bill',
    tenants: six('REB', 3),
    events: [
      change('3000000003', '2022-12', (r) => ({ ...r, status: 'cancelled' })),
      change('3000000003', '2022-12', (r) => ({ ...r, status: 'billed', volume_m3: '250.125' })),
    ],
    writes: true,
  },
  {
    name: 'a premise added after months were written',
    tenants: [...six('ADD', 4).slice(0, 5), { account: '4000000007', premise: 'ADD-7', from: '2022-01-01' }],
    addedLater: ['ADD-7'],
    events: [(rows) => rows],
    writes: true,
  },
  {
    name: 'a one-day move-in',
    tenants: [...six('MOV', 5).slice(0, 4), { account: '5000000005', premise: 'MOV-5', from: '2023-03-31' }],
    events: [(rows) => rows],
    writes: true,
  },
  {
    name: 'the owner’s own accounts',
    tenants: six('OWN', 6)
      .slice(0, 5)
      .map((t, k) => (k > 0 ? { ...t, ownerHeld: true } : t)),
    events: [(rows) => rows],
    writes: false,
  },
  {
    name: 'one customer with five accounts',
    tenants: six('ONE', 7)
      .slice(0, 5)
      .map((t) => ({ ...t, customerId: 'CL-ONE' })),
    events: [(rows) => rows],
    writes: false,
  },
  {
    name: 'a bill late by more than 92 days',
    tenants: six('LAT', 8).map((t, k) => (k === 5 ? { ...t, until: '2023-01-31' } : t)),
    events: [
      (rows) => [
        ...rows,
        ...bills({ account: '8000000006', premise: 'LAT-6', from: '2023-02-01' }, 5, '2023-05-31', 100),
      ],
    ],
    writes: true,
  },
];

for (const kind of testStoreKinds()) {
  describe(`what a building's owner learns from its aggregate meter (${kind})`, () => {
    let h: Harness;
    const dir = mkdtempSync(join(tmpdir(), 'owner-attacks-'));
    const runs = new Map<
      string,
      {
        owner: SimulatedCustomer;
        meterId: string;
        readings: Array<Map<string, bigint>>;
        states: BillingState[];
      }
    >();

    async function read(): Promise<void> {
      for (const run of runs.values()) {
        const entries = await run.owner.bills(run.meterId);
        run.readings.push(new Map(entries.map((b) => [b.startDate, litresOf(b.usage)])));
      }
    }

    async function buildings(rows: Array<[string, string, boolean]>): Promise<void> {
      const file = join(dir, `buildings-${Math.random().toString(36).slice(2)}.csv`);
      writeFileSync(
        file,
        [
          'building_id,name,premise_id,owner_held',
          ...rows.map(([b, p, o]) => `${b},${b},${p},${o ? 'yes' : 'no'}`),
        ].join('\n'),
      );
      const report = await importBuildingsFile(
        h.store.db,
        file,
        { operator: 'marie' },
        new Date(`${TODAY}T12:00:00Z`),
      );
      assert.deepEqual(report.rejections, []);
    }

    before(async () => {
      h = await startHarness({ store: kind });
      h.setNow(`${TODAY}T12:00:00Z`);
      await pushSettings(h.ctx);
      for (const [n, s] of SCENARIOS.entries()) {
        const rows = s.tenants.flatMap((t, i) => bills(t, i, '2023-05-31'));
        await h.importAccepted(rows);
        const building = `ATK-${n}`;
        await buildings(
          s.tenants
            .filter((t) => !s.addedLater?.includes(t.premise))
            .map((t) => [building, t.premise, t.ownerHeld ?? false]),
        );
        const { code } = await issueCode(
          h.store.db,
          building,
          { operator: 'marie' },
          new Date(`${TODAY}T12:00:00Z`),
        );
        const owner = await h.customer(`proprio${n}`, `Gestion ${n}`);
        const { meterId } = await h.shareNewMeter(owner, `Immeuble ${n}`, aggregateMeterShare(code));
        runs.set(s.name, { owner, meterId, readings: [], states: [rows] });
      }
      await runCycle(h.ctx);
      await read();
      const steps = Math.max(...SCENARIOS.map((s) => s.events.length));
      for (let step = 0; step < steps; step++) {
        for (const [n, s] of SCENARIOS.entries()) {
          const run = runs.get(s.name)!;
          const event = s.events[step];
          if (!event) continue;
          const rows = event(run.states.at(-1)!);
          const changed = rows.filter((r) => !run.states.at(-1)!.includes(r));
          if (changed.length > 0) await h.importAccepted(changed);
          if (step === 0 && s.addedLater) {
            await buildings(s.addedLater.map((p) => [`ATK-${n}`, p, false]));
          }
          run.states.push(rows);
        }
        await runCycle(h.ctx);
        await read();
      }
    });
    after(() => h.close());

    it('judges by the default rule', () => {
      assert.equal(DEFAULT_PRIVACY_RULE.minCustomers, N);
    });

    for (const s of SCENARIOS) {
      it(`isolates nobody: ${s.name}`, () => {
        const run = runs.get(s.name)!;
        const readings = run.readings.slice(0, s.events.length + 1);
        assert.equal(readings.length, s.events.length + 1);
        assert.equal(
          readings[0]!.size > 0,
          s.writes,
          `months written: ${[...readings[0]!.keys()].join(' ')}`,
        );
        assert.deepEqual(isolations({ tenants: s.tenants, states: run.states }, readings), []);
      });
    }
  });
}
