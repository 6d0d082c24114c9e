// ConnectionManager: every pending connection request is accepted, with a bilingual note, as many at
// once as the ESPM client allows.
import type { PendingConnection } from '@gaz-espm/espm';
import { isEspmError } from '@gaz-espm/espm';
import { errorEvent } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import { recordCustomer } from './contacts.ts';
import type { ExchangeContext } from './context.ts';
import { CONNECTION_ACCEPTED, noteText } from './notes.ts';
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
    if (!(isEspmError(e) && e.isRequestGone)) {
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

export type { PendingConnection };
