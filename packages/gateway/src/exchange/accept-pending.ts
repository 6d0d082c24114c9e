// Accepting every pending request of one kind (connections, property shares): each is answered Accept
// with its note, accounts side by side, as many at once as the ESPM client allows. A refusal is an
// answer already given when the pending list no longer holds the request (request-gone.ts); then, or
// once accepted, the request is recorded and journaled. Any other failure is journaled and the request
// is tried again at the next cycle, since ESPM keeps listing it.
import { errorEvent } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import type { ServiceName } from '../vocabulary/gateway-events.ts';
import type { ExchangeContext } from './context.ts';
import type { PendingRequest } from './request-gone.ts';
import { requestGone } from './request-gone.ts';
import { workByAccount } from './work-by-account.ts';

export interface ServiceSummary {
  done: number;
  failed: number;
}

/** How one kind of request is accepted. */
export interface Acceptance<R> {
  service: ServiceName;
  accountOf(request: R): string;
  /** What the journal names: the account, or the property. */
  subjectOf(request: R): string;
  /** Answers Accept in ESPM, with the note. */
  answer(request: R): Promise<unknown>;
  /** The request as the pending list names it. */
  pending(request: R): PendingRequest;
  /** Records what the acceptance gave. */
  record(request: R): Promise<void>;
}

export function acceptPending<R>(
  ctx: ExchangeContext,
  requests: R[],
  how: Acceptance<R>,
): Promise<ServiceSummary> {
  return workByAccount(
    ctx,
    requests,
    (r) => how.accountOf(r),
    (r) => accept(ctx, r, how),
    { done: 0, failed: 0 },
  );
}

async function accept<R>(
  ctx: ExchangeContext,
  request: R,
  how: Acceptance<R>,
): Promise<keyof ServiceSummary> {
  const journal = { service: how.service, subject: how.subjectOf(request) };
  try {
    await how.answer(request);
  } catch (e) {
    if (!(await requestGone(ctx, e, how.pending(request)))) {
      await writeLog(ctx.db, { ...journal, event: errorEvent(e) });
      return 'failed';
    }
  }
  await how.record(request);
  await writeLog(ctx.db, { ...journal, event: { kind: 'accepted' } });
  return 'done';
}
