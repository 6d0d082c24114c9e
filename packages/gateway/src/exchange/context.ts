import type { EspmClient } from '@gaz-espm/espm';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { PrivacyRule } from '../buildings/privacy-rule.ts';
import type { Leases } from './leases.ts';
import type { Bilingual } from './notes.ts';

/** What every exchange service works with; passed in, so tests run them against the simulator. */
export interface ExchangeContext {
  db: Kysely<Database>;
  espm: EspmClient;
  /** The provider's ESPM username: entries it created in ESPM are the gateway's own. */
  providerUsername: string;
  sendCost: boolean;
  now: () => Date;
  /** This process's leases on links and services (shared by several instances); one per db if unset. */
  leases?: Leases | undefined;
  /** Which building months may leave the utility (config GATEWAY_PRIVACY_*); DEFAULT_PRIVACY_RULE if unset. */
  privacy?: PrivacyRule | undefined;
  /**
   * How often an operator renews a link fed by an aggregation code (config GATEWAY_BUILDING_RENEWAL_MONTHS);
   * building-links.ts DEFAULT_RENEWAL_MONTHS if unset.
   */
  renewalMonths?: number | undefined;
  /**
   * How customers reach the utility, in both languages (GATEWAY_CUSTOMER_CONTACT_FR/_EN), said in the
   * notes that ask them to call; "customer service" if unset.
   */
  customerContact?: Bilingual | undefined;
}

/**
 * Workers per service: twice the requests ESPM may have in flight, since each worker also spends time
 * in the store between its calls; the client's limiter keeps the pace whatever the count.
 */
export function workerCount(ctx: ExchangeContext, requested?: number): number {
  return Math.max(1, requested ?? ctx.espm.maxConcurrency * 2);
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
