// The rejections page's reads: the latest rejected shares (marked when a later accepted share of the same
// ESPM meter superseded them) and the locked-out accounts.
import { lockedOutAccounts } from '../../exchange/lockout.ts';
import { isSuperseded } from '../../exchange/superseded.ts';
import type { Db } from './paging.ts';
import { decidedShares } from './shares.ts';

/** The rejected shares, newest first: the latest `limit`, or those before the share `before` (exports). */
export async function recentRejections(db: Db, limit = 50, before?: number) {
  let q = decidedShares(db)
    .select([
      'l.decision_note',
      isSuperseded('l').as('superseded'),
      (eb) =>
        eb
          .selectFrom('link_decision as d')
          .select('d.note')
          .whereRef('d.link_id', '=', 'l.id')
          .where('d.decision', '=', 'rejected')
          .orderBy('d.id', 'desc')
          .limit(1)
          .as('note'),
    ])
    .where('l.status', '=', 'rejected');
  if (before !== undefined) q = q.where('l.id', '<', before);
  return q.orderBy('l.id', 'desc').limit(limit).execute();
}

export async function lockoutsWithCustomers(db: Db, now: Date) {
  const lockouts = await lockedOutAccounts(db, now);
  if (lockouts.length === 0) return [];
  const customers = await db
    .selectFrom('espm_customer')
    .selectAll()
    .where(
      'account_id',
      'in',
      lockouts.map((l) => l.accountId),
    )
    .execute();
  const byId = new Map(customers.map((c) => [c.account_id, c]));
  return lockouts.map((l) => ({ ...l, customer: byId.get(l.accountId) }));
}
