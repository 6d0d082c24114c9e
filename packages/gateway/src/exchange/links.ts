// Changes of a meter link's standing that several services make.
import { writeLog } from '../log/gateway-log.ts';
import type { ExchangeContext } from './context.ts';

/** Why a link stopped: each removal of access, and the operator's own revocation. */
export type RevocationReason =
  | 'meter-unshared'
  | 'property-unshared'
  | 'customer-disconnected'
  | 'property-transferred'
  | 'access-downgraded'
  | 'access-lost'
  | 'share-withdrawn'
  | 'superseded'
  | 'operator';

/** Stops all sending to the link's ESPM meter; a later share of the meter is validated from scratch. */
export async function revokeLink(
  ctx: ExchangeContext,
  linkId: number,
  reason: RevocationReason,
  details?: string,
  operator?: string,
): Promise<boolean> {
  const now = ctx.now();
  const revoked = await ctx.db
    .updateTable('meter_link')
    .set({ status: 'revoked', reason_code: reason, revoked_at: now, sync_due: false })
    .where('id', '=', linkId)
    .where('status', 'in', ['pending', 'accepted', 'conflict'])
    .returning(['espm_meter_id'])
    .executeTakeFirst();
  if (!revoked) return false;
  await ctx.db
    .insertInto('link_decision')
    .values({
      link_id: linkId,
      decided_at: now,
      decision: 'revoked',
      rule: reason,
      note: details ?? null,
      operator: operator ?? null,
    })
    .execute();
  await writeLog(ctx.db, {
    service: operator ? 'Operator' : 'NotificationWatcher',
    subject: revoked.espm_meter_id,
    outcome: `revoked:${reason}`,
    details: details ?? null,
    operator: operator ?? null,
  });
  return true;
}
