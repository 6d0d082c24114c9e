// ConnectionManager: every pending connection request is accepted, with a bilingual note, as many at
// once as the ESPM client allows. An account connected by the acceptance of one of its shares has no
// request to list (EPA's connection guide, Appendix A): once the shares of a cycle are answered, the
// accounts of accepted shares that are not contacts yet are recorded (recordContactsOfShares). Not
// while answering: the share managers run beside this one, and an account whose connection request is
// being accepted would be read a second time.
import { sql } from 'kysely';
import { acceptPending } from './accept-pending.ts';
import type { ServiceSummary } from './accept-pending.ts';
import { errorEvent } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import { ensureCustomer, recordCustomer } from './contacts.ts';
import { BILLED_STATUSES } from './link-state.ts';
import type { ExchangeContext } from './context.ts';
import { CONNECTION_ACCEPTED, noteText } from './notes.ts';

export async function acceptPendingConnections(ctx: ExchangeContext): Promise<ServiceSummary> {
  return acceptPending(ctx, await ctx.espm.pendingConnections(), {
    service: 'ConnectionManager',
    accountOf: (r) => r.accountId,
    subjectOf: (r) => r.accountId,
    answer: (r) => ctx.espm.answerConnection(r.accountId, 'Accept', noteText(CONNECTION_ACCEPTED)),
    // Already answered by an earlier run that died before recording it: recorded now.
    pending: (r) => ({ kind: 'connection', accountId: r.accountId }),
    record: (r) =>
      recordCustomer(
        ctx.db,
        { accountId: r.accountId, username: r.username, info: r.accountInfo },
        ctx.now(),
      ),
  });
}

/**
 * Records the accounts of accepted shares that are not contacts yet: connected by the acceptance of a
 * share (they have no request), or whose recording a run that died did not reach. A failure is logged
 * and tried again after the next cycle's answers.
 */
export async function recordContactsOfShares(ctx: ExchangeContext): Promise<void> {
  const accounts = [
    ...(await ctx.db
      .selectFrom('meter_link as l')
      .select(['l.espm_account_id as accountId', 'l.espm_username as username'])
      .where('l.status', 'in', BILLED_STATUSES)
      .where('l.answered_at', 'is not', null)
      .where(notContact('l.espm_account_id'))
      .execute()),
    ...(await ctx.db
      .selectFrom('espm_property as p')
      .select(['p.account_id as accountId', sql<string | null>`null`.as('username')])
      .where('p.share_status', '=', 'accepted')
      .where(notContact('p.account_id'))
      .execute()),
  ];
  const usernames = new Map<string, string | undefined>();
  for (const a of accounts) {
    if (!usernames.get(a.accountId)) usernames.set(a.accountId, a.username ?? undefined);
  }
  for (const [accountId, username] of usernames) {
    try {
      await ensureCustomer(ctx, accountId, username);
    } catch (e) {
      await writeLog(ctx.db, { service: 'ConnectionManager', subject: accountId, event: errorEvent(e) });
    }
  }
}

function notContact(accountColumn: string) {
  return sql<boolean>`not exists (select 1 from espm_customer c where c.account_id = ${sql.ref(accountColumn)})`;
}
