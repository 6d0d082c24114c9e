// How long a link fed by an aggregation code runs before an operator must renew it: pure date
// arithmetic, read by exchange/building-links.ts (which pauses a lapsed link) and the console.

/** The link's acceptance, and its last renewal if any. */
export interface Renewable {
  decided_at: Date | null;
  renewed_at: Date | null;
}

/** How often an operator renews a link fed by a code unless configured (GATEWAY_BUILDING_RENEWAL_MONTHS). */
export const DEFAULT_RENEWAL_MONTHS = 12;

/**
 * When the link must have been renewed by: `months` after its last renewal, or after its acceptance.
 * A month-end day that the target month lacks falls on its last day (31 January + 1 month = 28/29 Feb).
 */
export function renewBy(link: Renewable, months: number): Date {
  const from = link.renewed_at ?? link.decided_at!;
  const target = new Date(from);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return target;
}

export function renewalLapsed(link: Renewable, months: number, now: Date): boolean {
  return renewBy(link, months).getTime() <= now.getTime();
}
