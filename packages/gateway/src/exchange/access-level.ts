// What the customer lets the provider do with a meter now, as ESPM says it (GET /meter/{id} carries the
// provider's accessLevel), and what that means for the meter's link: Read Write sends, Read Only pauses
// (nothing is written, nothing is lost), no access at all ends it. The reading is always fresh, so a
// stale or out-of-order SHAREUPDATE cannot pause a meter whose full access is back, nor the reverse.
// Used by the NotificationWatcher (SHAREUPDATE, and the periodic check of paused links), by a sync that
// ESPM refused a write (consumption/sync-link.ts) and by an operator's sync of a paused link.
import { isEspmError } from '@gaz-espm/espm';
import { errorEvent } from '../log/gateway-event.ts';
import type { ServiceName } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import type { MeterLink } from '../store/schema.ts';
import type { ExchangeContext } from './context.ts';
import type { AccessPauseCause, RevocationReason } from './link-state.ts';
import { ACCESS_PAUSE_CAUSES, pauseLink, recordAccessChecked, resumeLink, revokeLink } from './link-state.ts';
import { ACCESS_READ_ONLY, noteText } from './notes.ts';

export type MeterAccess = 'read-write' | 'read-only' | 'none';

/** How long a paused link waits between two readings of its meter's access level. */
export const PAUSED_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/**
 * The provider's access to the meter now. A meter answered without an accessLevel counts as Read Write:
 * if it is not, the next write is refused and pauses the link again, whereas the other guess could
 * leave a link paused for good.
 */
export async function readMeterAccess(ctx: ExchangeContext, meterId: string): Promise<MeterAccess> {
  try {
    const meter = await ctx.espm.getMeter(meterId);
    return meter.accessLevel === undefined || meter.accessLevel === 'Read Write' ? 'read-write' : 'read-only';
  } catch (e) {
    if (isEspmError(e, 'access-lost')) return 'none';
    throw e;
  }
}

export type AccessOutcome = 'resumed' | 'paused' | 'revoked' | 'unchanged';

/** Brings the link's status in line with the access read; `lost` is the revocation's reason for "none". */
export async function applyMeterAccess(
  ctx: ExchangeContext,
  link: Pick<MeterLink, 'id' | 'espm_meter_id' | 'status'>,
  access: MeterAccess,
  by: {
    service: ServiceName;
    cause: AccessPauseCause;
    lost: RevocationReason;
    detail?: string;
    operator?: string;
  },
): Promise<AccessOutcome> {
  const at = ctx.now();
  const who = { service: by.service, at, ...(by.operator ? { operator: by.operator } : {}) };
  switch (access) {
    case 'read-write':
      return (await resumeLink(ctx.db, link, who)) ? 'resumed' : 'unchanged';
    case 'read-only':
      if (link.status === 'paused') {
        await recordAccessChecked(ctx.db, link.id, at);
        return 'unchanged';
      }
      return (await pauseLink(ctx.db, link, by.cause, {
        ...who,
        note: noteText(ACCESS_READ_ONLY),
        ...(by.detail ? { detail: by.detail } : {}),
      }))
        ? 'paused'
        : 'unchanged';
    case 'none':
      return (await revokeLink(ctx.db, link.id, by.lost, {
        ...who,
        ...(by.detail ? { detail: by.detail } : {}),
      }))
        ? 'revoked'
        : 'unchanged';
  }
}

/**
 * The periodic check: each paused link whose meter was not read for an hour is read again, and resumes
 * if the customer gave Read Write back without ESPM telling (a notification lost or not sent). A link
 * paused for a lapsed renewal is not: only an operator's renewal resumes it (building-links.ts).
 */
export async function checkPausedLinks(ctx: ExchangeContext): Promise<{ checked: number; resumed: number }> {
  const due = new Date(ctx.now().getTime() - PAUSED_CHECK_INTERVAL_MS);
  const links = await ctx.db
    .selectFrom('meter_link')
    .select(['id', 'espm_meter_id', 'status'])
    .where('status', '=', 'paused')
    .where('reason_code', 'in', ACCESS_PAUSE_CAUSES)
    .where((eb) => eb.or([eb('access_checked_at', 'is', null), eb('access_checked_at', '<=', due)]))
    .orderBy('access_checked_at')
    .orderBy('id')
    .execute();
  let resumed = 0;
  for (const link of links) {
    try {
      const access = await readMeterAccess(ctx, link.espm_meter_id);
      const outcome = await applyMeterAccess(ctx, link, access, {
        service: 'NotificationWatcher',
        cause: 'access-read-only',
        lost: 'access-lost',
      });
      if (outcome === 'resumed') resumed++;
    } catch (e) {
      await writeLog(ctx.db, {
        service: 'NotificationWatcher',
        subject: link.espm_meter_id,
        event: errorEvent(e),
      });
    }
  }
  return { checked: links.length, resumed };
}
