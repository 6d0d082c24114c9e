// ESPM's <audit> of a record someone has just made: created and last updated by them at the same moment.
import type { Audit } from '../espm.ts';
import type { AccountRecord } from '../state/model.ts';

export function newAudit(by: AccountRecord, now: string): Audit {
  return {
    createdBy: by.username,
    createdByAccountId: by.id,
    createdDate: now,
    lastUpdatedBy: by.username,
    lastUpdatedByAccountId: by.id,
    lastUpdatedDate: now,
  };
}
