// ConnectionManager: every pending connection request is accepted, with a bilingual note.
import type { AccountInfo, PendingConnection } from '@gaz-espm/espm';
import { isEspmError } from '@gaz-espm/espm';
import { writeLog } from '../log/gateway-log.ts';
import type { ExchangeContext } from './context.ts';
import { CONNECTION_ACCEPTED, noteText } from './notes.ts';

export interface ServiceSummary {
  done: number;
  failed: number;
}

export async function acceptPendingConnections(ctx: ExchangeContext): Promise<ServiceSummary> {
  const pending = await ctx.espm.pendingConnections();
  const summary: ServiceSummary = { done: 0, failed: 0 };
  for (const request of pending) {
    try {
      await ctx.espm.answerConnection(request.accountId, 'Accept', noteText(CONNECTION_ACCEPTED));
    } catch (e) {
      // Already answered (by an earlier run that died before recording it): record it now.
      if (!(isEspmError(e) && e.isRequestGone)) {
        summary.failed++;
        await writeLog(ctx.db, {
          service: 'ConnectionManager',
          subject: request.accountId,
          outcome: 'failed',
          status: 'error',
          details: (e as Error).message,
        });
        continue;
      }
    }
    await recordCustomer(ctx, request.accountId, request.username, request.accountInfo);
    summary.done++;
    await writeLog(ctx.db, { service: 'ConnectionManager', subject: request.accountId, outcome: 'accepted' });
  }
  return summary;
}

export async function recordCustomer(
  ctx: ExchangeContext,
  accountId: string,
  username: string,
  info: AccountInfo | undefined,
): Promise<void> {
  const now = ctx.now();
  const values = {
    username,
    first_name: info?.firstName ?? '',
    last_name: info?.lastName ?? '',
    email: info?.email ?? '',
    organization: info?.organization ?? null,
    phone: info?.phone ?? null,
  };
  await ctx.db
    .insertInto('espm_customer')
    .values({ account_id: accountId, ...values, connection_status: 'connected', connected_at: now })
    .onConflict((oc) =>
      oc
        .column('account_id')
        .doUpdateSet({ ...values, connection_status: 'connected', connected_at: now, disconnected_at: null }),
    )
    .execute();
}

export type { PendingConnection };
