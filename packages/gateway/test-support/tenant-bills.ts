// Bills of test tenants on monthly cycles, for the buildings' tests: tenant t of a series has its own
// account, meter and invoice numbers, and a bill every 30 days back from a day.
import { dateOf } from '../src/buildings/monthly-totals.ts';

/** Where a series' numbers start: tenant t's account is account + t, its meter prefix + 1000000 + t. */
export interface TenantSeries {
  account: number;
  invoice: number;
  meterPrefix: string;
}

/** Tenant `t`'s bill number `k` (its invoice), for the 30 days up to day number `end`. */
export function tenantBill(series: TenantSeries, t: number, k: number, end: number) {
  return {
    account_number: String(series.account + t),
    invoice_number: String(series.invoice + t * 100 + k),
    invoice_date: dateOf(end + 2),
    meter_number: `${series.meterPrefix}${String(1_000_000 + t)}`,
    period_start: dateOf(end - 29),
    period_end: dateOf(end),
  };
}
