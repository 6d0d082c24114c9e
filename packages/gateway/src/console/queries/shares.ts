// The shares as the lists of decisions show them (the account lookup, the rejections): who shared which
// ESPM meter, with what typed, and what was answered when.
import type { Db } from './paging.ts';

export function decidedShares(db: Db) {
  return db
    .selectFrom('meter_link as l')
    .leftJoin('espm_customer as c', 'c.account_id', 'l.espm_account_id')
    .select([
      'l.id',
      'l.espm_meter_id',
      'l.espm_username',
      'l.espm_account_id',
      'c.organization',
      'l.custom_fields',
      'l.status',
      'l.reason_code',
      'l.received_at',
      'l.decided_at',
    ]);
}
