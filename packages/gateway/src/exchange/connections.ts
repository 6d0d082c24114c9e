// ConnectionManager: every pending connection request is accepted, with a bilingual note.
import type { PendingConnection } from '@gaz-espm/espm';
import { isEspmError } from '@gaz-espm/espm';
import { errorEvent } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import { recordCustomer } from './contacts.ts';
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
          event: errorEvent(e),
        });
        continue;
      }
    }
    await recordCustomer(
      ctx.db,
      { accountId: request.accountId, username: request.username, info: request.accountInfo },
      ctx.now(),
    );
    summary.done++;
    await writeLog(ctx.db, {
      service: 'ConnectionManager',
      subject: request.accountId,
      event: { kind: 'accepted' },
    });
  }
  return summary;
}

export type { PendingConnection };
