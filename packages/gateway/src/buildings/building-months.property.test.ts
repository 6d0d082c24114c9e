// Over random buildings and billing: no month below the privacy threshold is ever sendable, and every
// sendable month equals the sum of its periods prorated day by day (an oracle that walks every day).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { seededRandom } from '@gaz-espm/espm-simulator';
import { buildingMonths } from './building-months.ts';
import { ENDED_AFTER_DAYS, dateOf, dayNumber } from './monthly-totals.ts';
import type { BuildingPeriod } from './monthly-totals.ts';

const BUILDINGS = 300;

function randomBuilding(rnd: () => number): { periods: BuildingPeriod[]; today: string } {
  const periods: BuildingPeriod[] = [];
  const base = dayNumber('2020-01-01');
  const accounts = 1 + Math.floor(rnd() * 9);
  const meters = accounts + Math.floor(rnd() * 4);
  for (let m = 0; m < meters; m++) {
    const account = String(1_000_000_000 + (m % accounts));
    const cycle = [28, 30, 31, 33, 61, 92][Math.floor(rnd() * 6)]!;
    let start = base + Math.floor(rnd() * 120);
    const stop = base + 200 + Math.floor(rnd() * 400);
    while (start < stop) {
      const end = start + cycle - 1 + Math.floor(rnd() * 5) - 2;
      if (rnd() > 0.04) {
        // Occasionally a gap (a missing bill); shared boundary days happen too.
        const litres = rnd() < 0.05 ? 0 : Math.floor(rnd() * 900_000);
        const dominant = m === 0 && rnd() < 0.3 ? 20 : 1;
        periods.push({
          meterNumber: `M${m}`,
          accountNumber: account,
          periodStart: dateOf(start),
          periodEnd: dateOf(end),
          volumeM3:
            (BigInt(litres * dominant) / 1000n).toString() +
            '.' +
            String((litres * dominant) % 1000).padStart(3, '0'),
          estimated: rnd() < 0.1,
          customerId: null,
          ownerHeld: false,
          fromMonth: null,
          untilMonth: null,
        });
      }
      start = end + (rnd() < 0.1 ? 0 : 1);
    }
  }
  return { periods, today: dateOf(base + 150 + Math.floor(rnd() * 600)) };
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

interface OracleMonth {
  /** In 1/L litres. */
  total: bigint;
  byAccount: Map<string, bigint>;
  /** Days of the month each account is billed for. */
  billedDays: Map<string, Set<number>>;
}

/** Walks every day of every period: each day gets 1/days of the period's litres, in units of 1/L. */
function oracle(periods: BuildingPeriod[], today: string): { months: Map<string, OracleMonth>; L: bigint } {
  let L = 1n;
  for (const p of periods) {
    const days = BigInt(dayNumber(p.periodEnd) - dayNumber(p.periodStart) + 1);
    L = (L * days) / gcd(L, days);
  }
  const months = new Map<string, OracleMonth>();
  for (const p of periods) {
    const first = dayNumber(p.periodStart);
    const last = dayNumber(p.periodEnd);
    const [whole, decimals] = p.volumeM3.split('.') as [string, string];
    const litres = BigInt(whole) * 1000n + BigInt(decimals);
    const perDay = (litres * L) / BigInt(last - first + 1);
    for (let d = first; d <= last; d++) {
      const date = dateOf(d);
      if (date.slice(0, 7) >= today.slice(0, 7)) continue;
      const key = `${date.slice(0, 7)}-01`;
      const month = months.get(key) ?? { total: 0n, byAccount: new Map(), billedDays: new Map() };
      const days = month.billedDays.get(p.accountNumber) ?? new Set<number>();
      days.add(d);
      month.billedDays.set(p.accountNumber, days);
      month.total += perDay;
      month.byAccount.set(p.accountNumber, (month.byAccount.get(p.accountNumber) ?? 0n) + perDay);
      months.set(key, month);
    }
  }
  return { months, L };
}

function rounded(units: bigint, L: bigint): string {
  const litres = (units * 2n + L) / (2n * L);
  const text = litres.toString().padStart(4, '0');
  return `${text.slice(0, -3)}.${text.slice(-3)}`;
}

it('never makes a month sendable below the privacy threshold, and sends exactly the prorated sum', () => {
  const rnd = seededRandom(16);
  const rules = [
    { minCustomers: 5, maxCustomerPercent: 80, settlementDays: 0 },
    { minCustomers: 3, maxCustomerPercent: 60, settlementDays: 0 },
    { minCustomers: 2, maxCustomerPercent: 95, settlementDays: 0 },
  ];
  let sendable = 0;
  let withheldForPrivacy = 0;
  for (let b = 0; b < BUILDINGS; b++) {
    const { periods, today } = randomBuilding(rnd);
    const rule = rules[b % rules.length]!;
    const { months: expected, L } = oracle(periods, today);
    for (const month of buildingMonths(periods, today, rule)) {
      const o = expected.get(month.month) ?? { total: 0n, byAccount: new Map(), billedDays: new Map() };
      // An account counts if billed for at least half of the month's days.
      const half = (dayNumber(month.end) - dayNumber(month.month) + 1) / 2;
      const accounts = [...o.byAccount]
        .filter(([account, v]) => v > 0n && (o.billedDays.get(account)?.size ?? 0) >= half)
        .map(([, v]) => v);
      const counted = accounts.reduce((a, v) => a + v, 0n);
      const belowThreshold =
        accounts.length < rule.minCustomers ||
        accounts.some((v) => v * 100n > BigInt(rule.maxCustomerPercent) * counted);
      assert.equal(month.volumeM3, rounded(o.total, L), `building ${b}, ${month.month}`);
      assert.equal(month.customers, accounts.length);
      if (month.withheld === null) {
        sendable++;
        assert.ok(!belowThreshold, `building ${b}: ${month.month} is below the threshold but sendable`);
        // Complete: every day of the month is billed for every meter active then (checked day by day).
        const first = dayNumber(month.month);
        const last = dayNumber(month.end);
        const meters = new Set(periods.map((p) => p.meterNumber));
        for (const meter of meters) {
          const own = periods.filter((p) => p.meterNumber === meter);
          const from = Math.min(...own.map((p) => dayNumber(p.periodStart)));
          const lastBilled = Math.max(...own.map((p) => dayNumber(p.periodEnd)));
          const to = dayNumber(today) - lastBilled > ENDED_AFTER_DAYS ? lastBilled : Infinity;
          for (let d = Math.max(first, from); d <= Math.min(last, to); d++) {
            assert.ok(
              own.some((p) => dayNumber(p.periodStart) <= d && d <= dayNumber(p.periodEnd)),
              `building ${b}: ${month.month} sendable while ${meter} has no bill for ${dateOf(d)}`,
            );
          }
        }
      } else if (month.withheld !== 'incomplete') {
        withheldForPrivacy++;
        assert.ok(
          belowThreshold,
          `building ${b}: ${month.month} withheld for ${month.withheld} without cause`,
        );
      }
    }
  }
  // The random buildings reach both sides of the rule.
  assert.ok(sendable > 100, `only ${sendable} sendable months`);
  assert.ok(withheldForPrivacy > 100, `only ${withheldForPrivacy} months withheld for privacy`);
});
