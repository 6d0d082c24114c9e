// What to send to one ESPM meter: a pure function of the billing periods, what the gateway already
// sent, and (before the first data) what the meter already holds in ESPM.
import type { ConsumptionEntry, NaturalGasUnit } from '@gaz-espm/espm';
import type { BilledValues } from '../../vocabulary/billing-period.ts';
import { convertFromCubicMeters, sameDecimal } from './units.ts';

export interface PlannedPeriod extends BilledValues {
  /** Null for a building's month (buildings/building-periods.ts). */
  meterNumber: string | null;
  revision: number;
  /** When the billing system last wrote the period (billed, or corrected since): for the billing lag. */
  billedAt: Date;
}

/** A consumption entry the gateway has sent (or adopted) for a billing period. */
export interface SentEntry {
  id: number;
  periodStart: string;
  espmEntryId: string | null;
  usage: string;
  estimated: boolean;
  rngPercent: string | null;
  cost: string | null;
  billingRevision: number;
  /** Kept back by an operator in favour of the customer's own data: never sent, updated or deleted. */
  withheld: boolean;
}

export interface LinkWindow {
  /** Billed periods ending after this date are sent. */
  historyFrom: string;
  /** The ESPM meter's first bill date: periods ending before it are not sent. */
  firstBillDate: string | null;
  unit: NaturalGasUnit;
  sendCost: boolean;
  /** The provider's ESPM username: entries it created are the gateway's own, not the customer's. */
  providerUsername: string;
  /**
   * Starts of the periods held back because the customer's own entries overlap them (the link is in
   * conflict): not sent until an operator resolves it. Every other period keeps flowing.
   */
  heldBack: ReadonlySet<string>;
  /**
   * A building's months have no billing revision of their own (any tenant's correction may change
   * them): their entries are compared by content on every sync instead.
   */
  contentDecides: boolean;
}

export interface SyncPlan {
  creates: Array<{ period: PlannedPeriod; entry: ConsumptionEntry }>;
  updates: Array<{ sent: SentEntry; period: PlannedPeriod; entry: ConsumptionEntry }>;
  /** Corrections that change nothing ESPM holds: only the revision is recorded. */
  unchangedRevisions: Array<{ sent: SentEntry; period: PlannedPeriod }>;
  deletes: Array<{ sent: SentEntry; period: PlannedPeriod }>;
  /** Entries already in ESPM that match a period exactly: recorded, not sent again. */
  adoptions: Array<{ period: PlannedPeriod; espm: ConsumptionEntry; entry: ConsumptionEntry }>;
  conflicts: Array<{ period: PlannedPeriod; customerEntries: ConsumptionEntry[] }>;
  beforeFirstBill: PlannedPeriod[];
}

/** Days two inclusive date ranges share; ESPM lets consecutive bills share exactly one. */
export function sharedDays(aStart: string, aEnd: string, bStart: string, bEnd: string): number {
  const start = Math.max(Date.parse(aStart), Date.parse(bStart));
  const end = Math.min(Date.parse(aEnd), Date.parse(bEnd));
  return end < start ? 0 : Math.round((end - start) / 86_400_000) + 1;
}

export function entryFor(
  period: PlannedPeriod,
  window: Pick<LinkWindow, 'unit' | 'sendCost'>,
): ConsumptionEntry {
  const entry: ConsumptionEntry = {
    startDate: period.periodStart,
    endDate: period.periodEnd,
    usage: convertFromCubicMeters(period.volumeM3, window.unit),
    estimatedValue: period.estimated,
  };
  if (period.rngPercent !== null) entry.percentRenewableNaturalGas = period.rngPercent;
  if (window.sendCost && period.cost !== null) entry.cost = period.cost;
  return entry;
}

function sameContent(sent: SentEntry, entry: ConsumptionEntry): boolean {
  return (
    sameDecimal(sent.usage, entry.usage) &&
    sent.estimated === (entry.estimatedValue ?? false) &&
    optionalSame(sent.rngPercent, entry.percentRenewableNaturalGas) &&
    optionalSame(sent.cost, entry.cost)
  );
}

function optionalSame(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return (a ?? null) === (b ?? null);
  return sameDecimal(a, b);
}

export function planLinkSync(
  periods: PlannedPeriod[],
  sent: SentEntry[],
  window: LinkWindow,
  espmEntries: ConsumptionEntry[] | undefined,
): SyncPlan {
  const plan: SyncPlan = {
    creates: [],
    updates: [],
    unchangedRevisions: [],
    deletes: [],
    adoptions: [],
    conflicts: [],
    beforeFirstBill: [],
  };
  const sentByStart = new Map(sent.map((s) => [s.periodStart, s]));
  const claimed = new Set<string>(); // ESPM entries already matched to a period

  for (const period of [...periods].sort((a, b) => a.periodStart.localeCompare(b.periodStart))) {
    const already = sentByStart.get(period.periodStart);
    if (already) {
      if (already.withheld) continue;
      if (period.status === 'cancelled') plan.deletes.push({ sent: already, period });
      else if (window.contentDecides || already.billingRevision !== period.revision) {
        const entry = entryFor(period, window);
        if (!sameContent(already, entry)) plan.updates.push({ sent: already, period, entry });
        else if (already.billingRevision !== period.revision)
          plan.unchangedRevisions.push({ sent: already, period });
      }
      continue;
    }
    if (period.status !== 'billed' || period.periodEnd <= window.historyFrom) continue;
    if (window.heldBack.has(period.periodStart)) continue;
    if (window.firstBillDate && period.periodEnd < window.firstBillDate) {
      plan.beforeFirstBill.push(period);
      continue;
    }
    const entry = entryFor(period, window);
    if (espmEntries) {
      const overlapping = espmEntries.filter(
        (e) =>
          e.id &&
          !claimed.has(e.id) &&
          sharedDays(e.startDate, e.endDate, period.periodStart, period.periodEnd) > 1,
      );
      const exact = overlapping.find(
        (e) =>
          e.startDate === period.periodStart &&
          e.endDate === period.periodEnd &&
          sameDecimal(e.usage, entry.usage),
      );
      if (exact) {
        claimed.add(exact.id!);
        plan.adoptions.push({ period, espm: exact, entry });
        continue;
      }
      const customers = overlapping.filter((e) => e.audit?.createdBy !== window.providerUsername);
      if (customers.length > 0) {
        plan.conflicts.push({ period, customerEntries: customers });
        continue;
      }
      // The gateway's own entry with other values (sent before a correction, under an earlier link):
      // take it back and correct it rather than add a second one.
      const ours = overlapping.find(
        (e) => e.startDate === period.periodStart && e.endDate === period.periodEnd,
      );
      if (ours) {
        claimed.add(ours.id!);
        plan.adoptions.push({ period, espm: ours, entry });
        continue;
      }
      if (overlapping.length > 0) {
        plan.conflicts.push({ period, customerEntries: overlapping });
        continue;
      }
    }
    plan.creates.push({ period, entry });
  }
  return plan;
}

/** The day N calendar months before a date (the last day of the month when it has fewer days). */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
