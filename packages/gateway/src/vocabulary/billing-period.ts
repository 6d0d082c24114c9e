// A meter's billed consumption for one billing period: the values billing keeps and every destination
// sends. Billing's rows and stored periods and the ESPM side's planned periods all carry these fields,
// so a value added here reaches all of them.

export type BillingStatus = 'billed' | 'cancelled';

export interface BilledValues {
  /** 'YYYY-MM-DD' */
  periodStart: string;
  /** 'YYYY-MM-DD', the period's last day. */
  periodEnd: string;
  /** Decimal text as billed (at most 3 decimals), so no binary rounding touches a billed volume. */
  volumeM3: string;
  /** CAD, decimal text with at most 2 decimals. */
  cost: string | null;
  estimated: boolean;
  /** Renewable natural gas share of the volume, 0–100. */
  rngPercent: string | null;
  status: BillingStatus;
}
