// The lockout: an ESPM account whose shares failed the identity rules LOCKOUT_FAILURES times within
// LOCKOUT_WINDOW_MS is refused until the window has passed since its last failure, or an operator
// unlocks it (contacts.ts clearLockout). The only writer of validation_failure; the rule itself is
// share-rules.ts isLockedOut.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { RejectionRule } from './share-rules.ts';
import { LOCKOUT_FAILURES, LOCKOUT_WINDOW_MS, isLockedOut } from './share-rules.ts';

export interface Lockout {
  accountId: string;
  /** Failures that count now (since the last unlock, within the last two windows). */
  failures: number;
  lastFailure: Date;
  lockedUntil: Date;
}

/** A share of the account failed an identity rule (share-rules.ts IDENTITY_RULES). */
export async function recordIdentityFailure(
  db: Kysely<Database>,
  failure: { accountId: string; linkId: number; rule: RejectionRule; at: Date },
): Promise<void> {
  await db
    .insertInto('validation_failure')
    .values({
      espm_account_id: failure.accountId,
      failed_at: failure.at,
      link_id: failure.linkId,
      rule: failure.rule,
    })
    .execute();
}

/** The account's lockout now, if it is locked out. */
export async function accountLockout(
  db: Kysely<Database>,
  accountId: string,
  now: Date,
): Promise<Lockout | undefined> {
  return (await lockouts(db, now, accountId))[0];
}

/** The ESPM accounts locked out now, the latest failure first. */
export async function lockedOutAccounts(db: Kysely<Database>, now: Date): Promise<Lockout[]> {
  return lockouts(db, now);
}

async function lockouts(db: Kysely<Database>, now: Date, accountId?: string): Promise<Lockout[]> {
  // Only failures of the last two windows can lock an account out now.
  let q = db
    .selectFrom('validation_failure as f')
    .leftJoin('espm_customer as c', 'c.account_id', 'f.espm_account_id')
    .select(['f.espm_account_id', 'f.failed_at'])
    .where('f.failed_at', '>', new Date(now.getTime() - 2 * LOCKOUT_WINDOW_MS))
    .where((eb) =>
      eb.or([eb('c.lockout_cleared_at', 'is', null), eb('f.failed_at', '>', eb.ref('c.lockout_cleared_at'))]),
    )
    .orderBy('f.failed_at');
  if (accountId !== undefined) q = q.where('f.espm_account_id', '=', accountId);
  const byAccount = new Map<string, Date[]>();
  for (const r of await q.execute()) {
    const list = byAccount.get(r.espm_account_id) ?? [];
    list.push(r.failed_at);
    byAccount.set(r.espm_account_id, list);
  }
  const out: Lockout[] = [];
  for (const [account, times] of byAccount) {
    const latest = times.slice(-LOCKOUT_FAILURES);
    if (!isLockedOut(latest, now)) continue;
    const last = latest[latest.length - 1]!;
    out.push({
      accountId: account,
      failures: times.length,
      lastFailure: last,
      lockedUntil: new Date(last.getTime() + LOCKOUT_WINDOW_MS),
    });
  }
  return out.sort((a, b) => b.lastFailure.getTime() - a.lastFailure.getTime());
}
