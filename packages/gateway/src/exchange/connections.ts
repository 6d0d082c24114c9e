// ConnectionManager: every pending connection request is accepted, with a bilingual note, as many at
// once as the ESPM client allows. An account connected by the acceptance of one of its shares has no
// request to list (EPA's connection guide, Appendix A): once the shares of a cycle are answered, the
// accounts of accepted shares that are not contacts yet are recorded (recordContactsOfShares). Not
// while answering: the share managers run beside this one, and an account whose connection request is
// being accepted would be read a second time.
import type { PendingConnection } from '@gaz-espm/espm';
import { sql } from 'kysely';
import { errorEvent } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import { ensureCustomer, recordCustomer } from './contacts.ts';
import { BILLED_STATUSES } from './link-state.ts';
import type { ExchangeContext } from './context.ts';
import { CONNECTION_ACCEPTED, noteText } from './notes.ts';
import { requestGone } from './request-gone.ts';
import { workByAccount } from './work-by-account.ts';

export interface ServiceSummary {
  done: number;
  failed: number;
}

export async function acceptPendingConnections(ctx: ExchangeContext): Promise<ServiceSummary> {
  const pending = await ctx.espm.pendingConnections();
  return workByAccount(
    ctx,
    pending,
    (r) => r.accountId,
    (r) => accept(ctx, r),
    { done: 0, failed: 0 },
  );
}

async function accept(ctx: ExchangeContext, request: PendingConnection): Promise<keyof ServiceSummary> {
  try {
    await ctx.espm.answerConnection(request.accountId, 'Accept', noteText(CONNECTION_ACCEPTED));
  } catch (e) {
    // Already answered (by an earlier run that died before recording it): record it now.
    if (!(await requestGone(ctx, e, { kind: 'connection', accountId: request.accountId }))) {
      await writeLog(ctx.db, {
        service: 'ConnectionManager',
        subject: request.accountId,
        event: errorEvent(e),
      });
      return 'failed';
    }
  }
  await recordCustomer(
    ctx.db,
    { accountId: request.accountId, username: request.username, info: request.accountInfo },
    ctx.now(),
  );
  await writeLog(ctx.db, {
    service: 'ConnectionManager',
    subject: request.accountId,
    event: { kind: 'accepted' },
  });
  return 'done';
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
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('espm_customer as c')
              .select('c.account_id')
              .whereRef('c.account_id', '=', 'l.espm_account_id'),
          ),
        ),
      )
      .execute()),
    ...(await ctx.db
      .selectFrom('espm_property as p')
      .select(['p.account_id as accountId', sql<string | null>`null`.as('username')])
      .where('p.share_status', '=', 'accepted')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('espm_customer as c')
              .select('c.account_id')
              .whereRef('c.account_id', '=', 'p.account_id'),
          ),
        ),
      )
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

export type { PendingConnection };
