// Whether a pending request that ESPM refused to let us answer is gone: answered by an earlier run that
// died before recording it, or withdrawn by the customer. EPA's errors page says the text of an error
// "may change", so its words decide nothing: a refusal prompts one read of the pending list, and the
// request is gone when the list no longer holds it. Any other error, or a read that fails, is not: the
// answer is tried again at the next cycle.
import { isEspmError } from '@gaz-espm/espm';
import type { ExchangeContext } from './context.ts';

export type PendingRequest =
  | { kind: 'connection'; accountId: string }
  | { kind: 'property-share'; propertyId: string }
  | { kind: 'meter-share'; meterId: string };

export async function requestGone(
  ctx: ExchangeContext,
  error: unknown,
  request: PendingRequest,
): Promise<boolean> {
  if (!isEspmError(error, 'rejected')) return false;
  try {
    return !(await stillPending(ctx, request));
  } catch {
    return false;
  }
}

async function stillPending(ctx: ExchangeContext, request: PendingRequest): Promise<boolean> {
  switch (request.kind) {
    case 'connection':
      return (await ctx.espm.pendingConnections()).some((r) => r.accountId === request.accountId);
    case 'property-share':
      return (await ctx.espm.pendingPropertyShares()).some((s) => s.propertyId === request.propertyId);
    case 'meter-share':
      return (await ctx.espm.pendingMeterShares()).some((s) => s.meterId === request.meterId);
  }
}
