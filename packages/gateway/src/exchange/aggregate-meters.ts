// A building's meter is accepted on its aggregation code before ESPM can say it is an aggregate meter:
// EPA shows the flag only on GET /meter (and GET /meter/{id}/aggregateMeter), both after acceptance,
// never in the pending list. Each such link is confirmed by reading the meter; nothing is sent to it
// before (consumption/sync-link.ts). A meter that is not an aggregate one is unshared with a note, and
// its code is freed for the right meter.
import { isEspmError } from '@gaz-espm/espm';
import { releaseCode } from '../buildings/aggregation-codes.ts';
import { errorEvent } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import type { ExchangeContext } from './context.ts';
import { CURRENT_STATUSES, revokeLink } from './link-state.ts';
import { NOT_AGGREGATE_UNSHARED, noteText } from './notes.ts';

export interface AggregateCheck {
  confirmed: number;
  /** Unshared as not aggregate, or already withdrawn by the customer. */
  ended: number;
}

export async function confirmAggregateMeters(ctx: ExchangeContext): Promise<AggregateCheck> {
  const links = await ctx.db
    .selectFrom('meter_link')
    .select(['id', 'espm_meter_id', 'aggregation_code_id'])
    .where('building_id', 'is not', null)
    .where('aggregate_confirmed_at', 'is', null)
    .where('answered_at', 'is not', null)
    .where('status', 'in', CURRENT_STATUSES)
    .orderBy('id')
    .execute();
  const check: AggregateCheck = { confirmed: 0, ended: 0 };
  for (const link of links) {
    try {
      check[await confirmOne(ctx, link)]++;
    } catch (e) {
      // Left unconfirmed: read again on the next run, and nothing is sent meanwhile.
      await writeLog(ctx.db, {
        service: 'MeterConnectionManager',
        subject: link.espm_meter_id,
        event: errorEvent(e),
      });
    }
  }
  return check;
}

async function confirmOne(
  ctx: ExchangeContext,
  link: { id: number; espm_meter_id: string; aggregation_code_id: number | null },
): Promise<keyof AggregateCheck> {
  const by = { service: 'MeterConnectionManager' as const, at: ctx.now() };
  let aggregate: boolean | undefined;
  try {
    aggregate = (await ctx.espm.getMeter(link.espm_meter_id)).aggregateMeter;
    // GET /meter is where EPA shows the flag; if it does not, the meter's aggregation indicator says.
    aggregate ??= (await ctx.espm.getMeterAggregation(link.espm_meter_id)).aggregateMeter;
  } catch (e) {
    if (!isEspmError(e, 'access-lost')) throw e;
    // The customer withdrew it already: nothing to unshare, and the code is free again.
    await revokeLink(ctx.db, link.id, 'access-lost', by);
    await freeCode(ctx, link);
    return 'ended';
  }
  if (aggregate === true) {
    await ctx.db
      .updateTable('meter_link')
      .set({ aggregate_confirmed_at: by.at })
      .where('id', '=', link.id)
      .execute();
    return 'confirmed';
  }
  // Absent from both reads counts as not aggregate.
  const note = noteText(NOT_AGGREGATE_UNSHARED);
  try {
    await ctx.espm.unshareMeter(link.espm_meter_id, note);
  } catch (e) {
    if (!isEspmError(e, 'access-lost')) throw e;
  }
  await revokeLink(ctx.db, link.id, 'not-aggregate-meter', { ...by, customerNote: note });
  await freeCode(ctx, link);
  return 'ended';
}

async function freeCode(
  ctx: ExchangeContext,
  link: { espm_meter_id: string; aggregation_code_id: number | null },
) {
  if (link.aggregation_code_id !== null)
    await releaseCode(ctx.db, link.aggregation_code_id, link.espm_meter_id);
}
