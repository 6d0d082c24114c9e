// A building's consumption by calendar month, from its meters' billing periods: a pure function.
//
// Prorating: a billing period's volume is spread evenly over its days, both ends included, and each
// calendar month receives the days it shares with the period. Periods of one meter that share a
// boundary day (ESPM allows it) each spread their own volume, so a month's total is exactly the sum
// of the volumes billed, whatever the cycles. Every share is kept as an exact fraction; the month's
// total is rounded once, half up, to the litre (3 decimals of m³, the billing's own precision).
//
// Completeness: a month is complete when it is over and every meter active in the building during
// it has billed periods covering each of its active days. A meter is active from its first billed day
// in the building on; it stops being active after its last billed day only once that day is more
// than ENDED_AFTER_DAYS in the past (service ended, or the meter left the building): until then a
// missing bill may still come.
//
// Customers: each month's volume is also split by customer (privacy-rule.ts). Accounts the billing
// gives the same customer_id are one customer; an account of a premise the owner holds is the owner's
// own and never counts; an account counts for a month only if billed for at least half of its days,
// so that a move-in on the month's last day does not stand behind its total as a whole tenant.
import type { Fraction } from './decimal-fraction.ts';
import { ZERO, add, fraction, isPositive, litresOf } from './decimal-fraction.ts';
import type { Contribution } from './privacy-rule.ts';

/** Longer than any billing cycle (about a quarter): a meter not billed for this long has ended. */
export const ENDED_AFTER_DAYS = 92;

export interface BuildingPeriod {
  meterNumber: string;
  accountNumber: string;
  /** Billing's customer_id, when it says: accounts with the same one are one customer. */
  customerId: string | null;
  /** The premise is held by the building's owner (common areas, vacant units): never counts. */
  ownerHeld: boolean;
  /**
   * The months the period's premise counts in the building (buildings.ts): from the first day of
   * `fromMonth`, through the end of `untilMonth`; null: no bound. Outside them the period is not there.
   */
  fromMonth: string | null;
  untilMonth: string | null;
  periodStart: string;
  periodEnd: string;
  volumeM3: string;
  estimated: boolean;
}

export interface MonthTotal {
  /** The month's first day, YYYY-MM-01. */
  month: string;
  /** The month's last day. */
  end: string;
  litres: Fraction;
  /** Each customer's share of the month, for the privacy rule; never sent anywhere. */
  byCustomer: Map<string, Contribution>;
  /** Meters active in the building during the month. */
  meters: number;
  complete: boolean;
  /** Some of the month's volume comes from an estimated reading. */
  estimated: boolean;
}

const DAY_MS = 86_400_000;

export function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** First and last day numbers of the month holding `day`. */
function monthOf(day: number): { first: number; last: number } {
  const d = new Date(day * DAY_MS);
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
  const last = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / DAY_MS;
  return { first, last };
}

interface MeterSpan {
  first: number;
  /** Last active day; Infinity while the meter may still be billed. */
  last: number;
  /** Billed days, merged into disjoint sorted ranges. */
  covered: Array<[number, number]>;
}

/** A period with the days of it its premise spends in the building (all of them but at a change). */
interface PlacedPeriod extends BuildingPeriod {
  from: number;
  to: number;
}

function spanOf(periods: PlacedPeriod[], today: number): MeterSpan {
  const ranges = periods.map((p): [number, number] => [p.from, p.to]).sort((a, b) => a[0] - b[0]);
  const covered: Array<[number, number]> = [];
  for (const [from, to] of ranges) {
    const lastRange = covered[covered.length - 1];
    if (lastRange && from <= lastRange[1] + 1) lastRange[1] = Math.max(lastRange[1], to);
    else covered.push([from, to]);
  }
  const lastBilled = covered[covered.length - 1]![1];
  return {
    first: covered[0]![0],
    last: today - lastBilled > ENDED_AFTER_DAYS ? lastBilled : Infinity,
    covered,
  };
}

/** Days of [from, to] the ranges cover. */
function coveredDays(covered: Array<[number, number]>, from: number, to: number): number {
  let days = 0;
  for (const [a, b] of covered) days += Math.max(0, Math.min(b, to) - Math.max(a, from) + 1);
  return days;
}

/** Who a period's account is for the privacy rule: the owner, a customer, or an account on its own. */
export function customerKey(p: Pick<BuildingPeriod, 'accountNumber' | 'customerId' | 'ownerHeld'>): string {
  if (p.ownerHeld) return `owner:${p.accountNumber}`;
  return p.customerId !== null ? `customer:${p.customerId}` : `account:${p.accountNumber}`;
}

function inMembership(p: BuildingPeriod, monthFirst: number): boolean {
  const month = dateOf(monthFirst);
  return (p.fromMonth === null || month >= p.fromMonth) && (p.untilMonth === null || month <= p.untilMonth);
}

/**
 * The period's days within its premise's months in the building, for completeness and counting (its
 * volume is still spread over all its days: months outside receive nothing); none if it has none.
 */
function placed(p: BuildingPeriod): PlacedPeriod[] {
  let from = dayNumber(p.periodStart);
  let to = dayNumber(p.periodEnd);
  if (p.fromMonth !== null) from = Math.max(from, dayNumber(p.fromMonth));
  if (p.untilMonth !== null) to = Math.min(to, monthOf(dayNumber(p.untilMonth)).last);
  return from > to ? [] : [{ ...p, from, to }];
}

function covers(span: MeterSpan, from: number, to: number): boolean {
  return span.covered.some(([a, b]) => a <= from && to <= b);
}

/**
 * The building's months, oldest first, from the month of its first billed day to the last month over
 * before `today` (YYYY-MM-DD). A cancelled period is given with no volume (building-periods.ts).
 */
export function monthlyTotals(billed: BuildingPeriod[], today: string): MonthTotal[] {
  const periods = billed.flatMap(placed);
  if (periods.length === 0) return [];
  const todayDay = dayNumber(today);
  const byMeter = new Map<string, PlacedPeriod[]>();
  for (const p of periods) {
    // A meter's time in the building: a premise that left and came back is two spans.
    const key = `${p.meterNumber} ${p.fromMonth ?? ''}`;
    const list = byMeter.get(key) ?? [];
    list.push(p);
    byMeter.set(key, list);
  }
  const spans = new Map(
    [...byMeter].map(([meter, list]) => {
      const span = spanOf(list, todayDay);
      const until = list[0]!.untilMonth;
      return [meter, until ? { ...span, last: Math.min(span.last, monthOf(dayNumber(until)).last) } : span];
    }),
  );
  const byAccount = new Map<string, PlacedPeriod[]>();
  for (const p of periods) {
    if (p.ownerHeld) continue;
    const list = byAccount.get(p.accountNumber) ?? [];
    list.push(p);
    byAccount.set(p.accountNumber, list);
  }
  const accountSpans = [...byAccount.values()].map((list) => ({
    key: customerKey(list[0]!),
    covered: spanOf(list, todayDay).covered,
  }));
  const firstDay = Math.min(...[...spans.values()].map((s) => s.first));

  const months: MonthTotal[] = [];
  for (let m = monthOf(firstDay); m.last < todayDay; m = monthOf(m.last + 1)) {
    let meters = 0;
    let complete = true;
    for (const span of spans.values()) {
      const from = Math.max(m.first, span.first);
      const to = Math.min(m.last, span.last);
      if (from > to) continue;
      meters++;
      if (!covers(span, from, to)) complete = false;
    }
    if (meters === 0) continue;
    months.push({
      month: dateOf(m.first),
      end: dateOf(m.last),
      litres: ZERO,
      byCustomer: new Map(),
      meters,
      complete,
      estimated: false,
    });
  }
  const index = new Map(months.map((t, i) => [t.month, i]));
  for (const total of months) {
    const first = dayNumber(total.month);
    const last = dayNumber(total.end);
    const half = (last - first + 1) / 2;
    for (const { key, covered } of accountSpans) {
      if (coveredDays(covered, first, last) < half) continue;
      total.byCustomer.set(key, { litres: ZERO, counts: true });
    }
  }

  for (const p of periods) {
    const start = dayNumber(p.periodStart);
    const end = dayNumber(p.periodEnd);
    const days = BigInt(end - start + 1);
    const litres = litresOf(p.volumeM3);
    for (let m = monthOf(start); m.first <= end; m = monthOf(m.last + 1)) {
      if (!inMembership(p, m.first)) continue;
      const i = index.get(dateOf(m.first));
      if (i === undefined) continue; // a month not over yet
      const shared = BigInt(Math.min(end, m.last) - Math.max(start, m.first) + 1);
      const share = fraction(litres * shared, days);
      const total = months[i]!;
      total.litres = add(total.litres, share);
      const key = customerKey(p);
      const was = total.byCustomer.get(key) ?? { litres: ZERO, counts: false };
      total.byCustomer.set(key, { litres: add(was.litres, share), counts: was.counts });
      if (p.estimated && isPositive(share)) total.estimated = true;
    }
  }
  return months;
}
