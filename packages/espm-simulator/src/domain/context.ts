// What every domain operation needs: the data, the rule switches and page sizes, and how to deny.
import type { SimError } from '../errors.ts';
import type { Rules } from '../options.ts';
import type { SimStore } from '../state/store.ts';

export interface DomainContext {
  store: SimStore;
  rules: Rules;
  pendingPageSize: number;
  consumptionPageSize: number;
  /** The refusal for a resource the caller may not see: 403 "Access Denied", or now and then a 404. */
  denied: () => SimError;
}
