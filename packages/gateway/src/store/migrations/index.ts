import type { Migration } from 'kysely';
import * as initial from './0001-initial.ts';
import * as billingProvenance from './0002-billing-provenance.ts';
import * as consoleTables from './0003-console.ts';
import * as workLeases from './0004-work-leases.ts';
import * as typedLogEvents from './0005-typed-log-events.ts';
import * as pausedLinks from './0006-paused-links.ts';
import * as wholeBuilding from './0007-whole-building.ts';
import * as billingPeriodUpdateIndex from './0008-billing-period-update-index.ts';
import * as buildingReleases from './0009-building-releases.ts';
import * as codeRecipientsAndRenewals from './0010-code-recipients-and-renewals.ts';
import * as transfersAndAggregateConfirmation from './0011-transfers-and-aggregate-confirmation.ts';
import * as leaseHolders from './0012-lease-holders.ts';
import * as consoleSearch from './0013-console-search.ts';
import * as consoleOperations from './0014-console-operations.ts';
import * as billingChanges from './0015-billing-changes.ts';

/** Every migration, in order; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-billing-provenance': billingProvenance,
  '0003-console': consoleTables,
  '0004-work-leases': workLeases,
  '0005-typed-log-events': typedLogEvents,
  '0006-paused-links': pausedLinks,
  '0007-whole-building': wholeBuilding,
  '0008-billing-period-update-index': billingPeriodUpdateIndex,
  '0009-building-releases': buildingReleases,
  '0010-code-recipients-and-renewals': codeRecipientsAndRenewals,
  '0011-transfers-and-aggregate-confirmation': transfersAndAggregateConfirmation,
  '0012-lease-holders': leaseHolders,
  '0013-console-search': consoleSearch,
  '0014-console-operations': consoleOperations,
  '0015-billing-changes': billingChanges,
};
