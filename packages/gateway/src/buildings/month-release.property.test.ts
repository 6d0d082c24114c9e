// An attacker holding every value ever written for a building (the aggregate meter's whole history,
// in order) tries every linear combination of the values of a month to isolate fewer customers than
// the rule requires, against random buildings and random billing histories: bills arriving late,
// corrections, cancellations and re-bills, moves in and out mid-month, premises joining and leaving,
// the owner's own accounts, customers with several accounts, whole-building re-bills. The gateway's
// decisions are replayed as its syncs would make them (buildingMonths, then decideRelease).
//
// The attack is exact linear algebra over the release history of each month: every distinct part a
// customer has had in the month's values is an unknown; what the owner can subtract (its own
// accounts, accounts billed for less than half of the month) is known. A combination λ of the values
// leaves customer c's unknowns out exactly when, for each distinct part of c, the λ of the values
// holding it sum to zero. A set S of fewer than N customers is isolated when some λ leaves out every
// customer outside S and not every one in S: rank([A; B]) > rank(A), A and B the indicator rows of
// the customers outside and in S. Limits: each month's parts are unknowns of their own (a bill
// prorated over two months ties them, which an attacker knowing every tenant's billing cycle could
// use; none is modelled), and dominance is checked on each value and each difference of two values,
// not on every combination.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { seededRandom } from '@gaz-espm/espm-simulator';
import { buildingMonths } from './building-months.ts';
import { fraction, sameFraction } from './decimal-fraction.ts';
import type { Fraction } from './decimal-fraction.ts';
import type { MonthRelease, Release } from './month-release.ts';
import { MAX_VALUES_PER_MONTH, decideRelease } from './month-release.ts';
import { dateOf, dayNumber } from './monthly-totals.ts';
import type { BuildingPeriod } from './monthly-totals.ts';
import type { PrivacyRule } from './privacy-rule.ts';
import { checkChange, checkPrivacy } from './privacy-rule.ts';

const BUILDINGS = 150;
const RULES: PrivacyRule[] = [
  { minCustomers: 5, maxCustomerPercent: 80, settlementDays: 45 },
  { minCustomers: 3, maxCustomerPercent: 60, settlementDays: 20 },
  { minCustomers: 4, maxCustomerPercent: 50, settlementDays: 0 },
];

/** One version of a bill, known from `known` on. */
interface BillVersion {
  period: BuildingPeriod;
  known: number;
}

interface Membership {
  premise: string;
  /** When an operator added (removed) it; the gateway then sets from/until months as buildings.ts does. */
  joined: number;
  left: number | null;
}

interface History {
  versions: BillVersion[];
  premiseOf: Map<string, string>;
  memberships: Membership[];
  ownerHeld: Set<string>;
  start: number;
  end: number;
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const volume = (litres: number) => `${Math.floor(litres / 1000)}.${String(litres % 1000).padStart(3, '0')}`;

function randomHistory(rnd: () => number): History {
  const start = dayNumber('2021-01-01');
  const end = start + 400 + Math.floor(rnd() * 300);
  const tenants = 3 + Math.floor(rnd() * 8);
  const versions: BillVersion[] = [];
  const premiseOf = new Map<string, string>();
  const ownerHeld = new Set<string>();
  const memberships: Membership[] = [];
  for (let t = 0; t < tenants; t++) {
    const premise = `P${t}`;
    const meter = `M${t}`;
    premiseOf.set(meter, premise);
    if (rnd() < 0.15) ownerHeld.add(premise);
    // Most premises are there from the start; some join later, some leave.
    const joined = rnd() < 0.2 ? start + 60 + Math.floor(rnd() * 300) : start - 1;
    const left = rnd() < 0.1 ? joined + 90 + Math.floor(rnd() * 200) : null;
    memberships.push({ premise, joined, left });
    const account = String(1_000_000_000 + t);
    const customerId = rnd() < 0.25 ? `C${Math.floor(rnd() * 2)}` : null;
    const cycle = pick(rnd, [28, 30, 31, 33, 61]);
    let from = start + Math.floor(rnd() * 60);
    // A move out mid-month, or on a month's last day.
    const until = rnd() < 0.15 ? from + 100 + Math.floor(rnd() * 300) : Infinity;
    while (from < end - 40 && from <= until) {
      const to = Math.min(from + cycle - 1 + Math.floor(rnd() * 5) - 2, until);
      const late = rnd() < 0.05 ? 95 + Math.floor(rnd() * 60) : 2 + Math.floor(rnd() * 10);
      const period: BuildingPeriod = {
        meterNumber: meter,
        accountNumber: account,
        customerId,
        ownerHeld: false,
        fromMonth: null,
        untilMonth: null,
        periodStart: dateOf(from),
        periodEnd: dateOf(to),
        volumeM3: volume(20_000 + Math.floor(rnd() * 300_000)),
        estimated: rnd() < 0.1,
      };
      const known = to + late;
      versions.push({ period, known });
      const r = rnd();
      if (r < 0.08) {
        // A correction, some weeks or months later.
        versions.push({
          period: { ...period, volumeM3: volume(20_000 + Math.floor(rnd() * 300_000)), estimated: false },
          known: known + 5 + Math.floor(rnd() * 150),
        });
      } else if (r < 0.12) {
        // Cancelled, and sometimes re-billed later with the same volume or another.
        const cancelled = known + 5 + Math.floor(rnd() * 100);
        versions.push({ period: { ...period, volumeM3: '0' }, known: cancelled });
        if (rnd() < 0.6) {
          const again = rnd() < 0.5 ? period.volumeM3 : volume(20_000 + Math.floor(rnd() * 300_000));
          versions.push({
            period: { ...period, volumeM3: again },
            known: cancelled + 10 + Math.floor(rnd() * 60),
          });
        }
      }
      from = to + 1;
    }
  }
  // The whole building re-billed for one stretch of time (a rate error), a few months later, up to
  // three times for the same stretch (each a little different).
  const day = start + 100 + Math.floor(rnd() * 200);
  let when = day + 100;
  for (let k = Math.floor(rnd() * 5); k > 0; k--) {
    when += 30 + Math.floor(rnd() * 60);
    const latest = new Map<string, BillVersion>();
    for (const v of versions) {
      const key = `${v.period.meterNumber} ${v.period.periodStart}`;
      if (v.known <= when && (!latest.has(key) || latest.get(key)!.known <= v.known)) latest.set(key, v);
    }
    const factor = 1 + (2 + k) / 100;
    // Or the re-billing taken back: every bill of the stretch as first billed, but one tenant's.
    const revert = rnd() < 0.4;
    const kept = `M${Math.floor(rnd() * tenants)}`;
    for (const v of latest.values()) {
      const p = v.period;
      if (dayNumber(p.periodStart) <= day + 40 && dayNumber(p.periodEnd) >= day && p.volumeM3 !== '0') {
        if (revert) {
          if (p.meterNumber === kept) continue;
          const first = versions.find(
            (f) => f.period.meterNumber === p.meterNumber && f.period.periodStart === p.periodStart,
          )!;
          versions.push({ period: first.period, known: when });
          continue;
        }
        const litres = Math.round(Number(p.volumeM3) * 1000 * factor);
        versions.push({ period: { ...p, volumeM3: volume(litres) }, known: when });
      }
    }
  }
  return { versions, premiseOf, memberships, ownerHeld, start, end };
}

function firstOfMonth(day: number, offset: number): string {
  const d = new Date(day * 86_400_000);
  return dateOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1) / 86_400_000);
}

/** Every value released for each month, syncing every `step` days, as the gateway would. */
function replay(h: History, rule: PrivacyRule, rnd: () => number): Map<string, Release[]> {
  const releases = new Map<string, Release[]>();
  // The months membership starts and stops, fixed when the operator acts (buildings.ts).
  const placed = new Map<string, { fromMonth: string | null; untilMonth: string | null }>();
  for (let today = h.start + 20; today <= h.end + 200; today += 5 + Math.floor(rnd() * 25)) {
    const written = [...releases.values()].some((r) => r.length > 0);
    for (const m of h.memberships) {
      if (m.joined <= today && !placed.has(m.premise)) {
        placed.set(m.premise, {
          fromMonth: m.joined >= h.start && written ? firstOfMonth(m.joined, 1) : null,
          untilMonth: null,
        });
      }
      const p = placed.get(m.premise);
      if (p && m.left !== null && m.left <= today && p.untilMonth === null)
        p.untilMonth = firstOfMonth(m.left, 0);
    }
    const latest = new Map<string, BillVersion>();
    for (const v of h.versions) {
      if (v.known > today) continue;
      const key = `${v.period.meterNumber} ${v.period.periodStart}`;
      const was = latest.get(key);
      if (!was || was.known <= v.known) latest.set(key, v);
    }
    const periods: BuildingPeriod[] = [];
    for (const v of latest.values()) {
      const premise = h.premiseOf.get(v.period.meterNumber)!;
      const membership = placed.get(premise);
      if (!membership) continue;
      periods.push({ ...v.period, ownerHeld: h.ownerHeld.has(premise), ...membership });
    }
    for (const month of buildingMonths(periods, dateOf(today), rule)) {
      const list = releases.get(month.month) ?? [];
      const decision: MonthRelease = decideRelease(month, list, rule);
      if (decision.kind === 'first' || decision.kind === 'revised') {
        list.push({ volumeM3: month.volumeM3, estimated: month.estimated, byCustomer: month.byCustomer });
        releases.set(month.month, list);
      }
    }
  }
  return releases;
}

/** Rank of rows of small integers, exactly (fractions kept as BigInt by cross-multiplying). */
function rank(rows: bigint[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    const pivot = m.findIndex((row, i) => i >= r && row[c] !== 0n);
    if (pivot < 0) continue;
    [m[r], m[pivot]] = [m[pivot]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r || m[i]![c] === 0n) continue;
      const a = m[r]![c]!;
      const b = m[i]![c]!;
      m[i] = m[i]!.map((x, j) => x * a - m[r]![j]! * b);
    }
    r++;
  }
  return r;
}

/** For each customer that counts in some value, the indicator rows of its distinct parts. */
function unknowns(values: Release[]): Map<string, bigint[][]> {
  const classes = new Map<string, Array<{ litres: Fraction; at: boolean[] }>>();
  values.forEach((v, k) => {
    for (const [customer, part] of v.byCustomer) {
      if (!part.counts) continue; // known to the owner: subtracted
      const list = classes.get(customer) ?? [];
      let same = list.find((c) => sameFraction(c.litres, part.litres));
      if (!same) {
        same = { litres: part.litres, at: values.map(() => false) };
        list.push(same);
      }
      same.at[k] = true;
      classes.set(customer, list);
    }
  });
  return new Map(
    [...classes].map(([customer, list]) => [customer, list.map((c) => c.at.map((x) => (x ? 1n : 0n)))]),
  );
}

function* subsets<T>(xs: T[], max: number, from = 0, chosen: T[] = []): Generator<T[]> {
  if (chosen.length > 0) yield chosen;
  if (chosen.length === max) return;
  for (let i = from; i < xs.length; i++) yield* subsets(xs, max, i + 1, [...chosen, xs[i]!]);
}

/** Sets of fewer than N customers some combination of the month's values isolates. */
function isolated(values: Release[], rule: PrivacyRule): string[][] {
  const rows = unknowns(values);
  const customers = [...rows.keys()];
  const found: string[][] = [];
  const all = rank(customers.flatMap((c) => rows.get(c)!));
  for (const s of subsets(customers, rule.minCustomers - 1)) {
    const outside = customers.filter((c) => !s.includes(c)).flatMap((c) => rows.get(c)!);
    // Adding S's rows to the others' raises the rank: some λ the others ignore still sees S.
    if (rank(outside) < all) found.push(s);
  }
  return found;
}

it('lets no combination of the values ever written isolate fewer customers than the rule', () => {
  const rnd = seededRandom(21);
  let months = 0;
  let revised = 0;
  let maxed = 0;
  for (let b = 0; b < BUILDINGS; b++) {
    const rule = RULES[b % RULES.length]!;
    const history = randomHistory(rnd);
    for (const [month, values] of replay(history, rule, rnd)) {
      months++;
      if (values.length > 1) revised++;
      if (values.length === MAX_VALUES_PER_MONTH) maxed++;
      assert.ok(values.length <= MAX_VALUES_PER_MONTH, `building ${b} ${month}: ${values.length} values`);
      assert.deepEqual(isolated(values, rule), [], `building ${b} ${month}`);
      // Each value, and each difference of two, passes the rule's share too.
      for (const [i, v] of values.entries()) {
        assert.equal(checkPrivacy(v.byCustomer, rule), undefined, `building ${b} ${month} value ${i}`);
        for (const w of values.slice(i + 1)) {
          if (w.volumeM3 === v.volumeM3) continue;
          assert.equal(checkChange(v.byCustomer, w.byCustomer, rule), undefined, `building ${b} ${month}`);
        }
      }
    }
  }
  // The histories reach revisions written in place, and months written as often as allowed.
  assert.ok(months > 1000, `only ${months} months written`);
  assert.ok(revised > 20, `only ${revised} months revised`);
  assert.ok(maxed > 0, 'no month reached the limit of values');
});

it('would let a fourth value isolate a customer whose changes alternate: why a month is written three times', () => {
  const rule: PrivacyRule = { minCustomers: 3, maxCustomerPercent: 80, settlementDays: 0 };
  // A alternates a, b, a, b; B1..B3 change at the third value, C1..C3 at the second and back at the fourth.
  const part = (litres: number) => ({ litres: fraction(BigInt(litres), 1n), counts: true });
  const value = (k: number): Release => {
    const byCustomer = new Map([['A', part(k % 2 === 0 ? 100 : 150)]]);
    for (const i of [1, 2, 3]) {
      byCustomer.set(`B${i}`, part(k >= 2 ? 200 + i : 210 + i));
      byCustomer.set(`C${i}`, part(k === 1 || k === 2 ? 300 + i : 320 + i));
    }
    let total = 0n;
    for (const p of byCustomer.values()) total += p.litres.num;
    return { volumeM3: `${total}.000`, estimated: false, byCustomer };
  };
  const four = [0, 1, 2, 3].map(value);
  // Every two of the four differ by at least three customers' changes…
  for (let i = 0; i < 4; i++) {
    for (let j = i + 1; j < 4; j++)
      assert.equal(checkChange(four[i]!.byCustomer, four[j]!.byCustomer, rule), undefined);
  }
  // …yet v0 − v1 + v2 − v3 is A's alone: 2 × (a − b).
  const found = isolated(four, rule);
  assert.deepEqual(found[0], ['A']);
  assert.ok(found.every((set) => set.includes('A')));
  assert.deepEqual(isolated(four.slice(0, 3), rule), []);
  const fourth = {
    ...four[3]!,
    byCustomer: new Map(four[3]!.byCustomer),
    month: '2021-01-01',
    end: '2021-01-31',
    customers: 7,
    meters: 7,
    complete: true,
    withheld: null,
  };
  assert.deepEqual(decideRelease(fourth, four.slice(0, 3), rule), {
    kind: 'revision-withheld',
    reason: 'revision-limit',
  });
});
