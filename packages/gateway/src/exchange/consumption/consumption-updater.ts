// ConsumptionUpdater: sends every due link's new, corrected and cancelled periods.
import { sql } from 'kysely';
import type { ExchangeContext } from '../context.ts';
import { isoDate, workerCount } from '../context.ts';
import { pauseLapsedRenewals } from '../building-links.ts';
import { leasesOf } from '../leases.ts';
import { markChangedMetersDue } from './billing-reader.ts';
import { SENDING_STATUSES } from '../link-state.ts';
import type { LinkSyncResult } from './sync-link.ts';
import { syncLink } from './sync-link.ts';

export interface ConsumptionSummary {
  links: number;
  created: number;
  updated: number;
  deleted: number;
  adopted: number;
  conflicts: number;
  failed: number;
  /**
   * Due links another process, alive, held the lease of until the end of this run (see heldLinks): at
   * most about as many as the other instances have workers, since a link is held only while synced.
   */
  heldElsewhere: number[];
}

export interface HeldLink {
  linkId: number;
  espmMeterId: string;
  holder: string;
  until: Date;
}

/** Of these links, those whose lease another process holds now: who, and until when (unless renewed). */
export async function heldLinks(ctx: ExchangeContext, linkIds: number[]): Promise<HeldLink[]> {
  if (linkIds.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('meter_link')
    .select(['id', 'espm_meter_id', 'sync_lease_owner', 'sync_lease_until'])
    .where('id', 'in', linkIds)
    .where('sync_lease_until', '>=', sql<Date>`now()`)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    linkId: r.id,
    espmMeterId: r.espm_meter_id,
    holder: r.sync_lease_owner ?? '',
    until: new Date(r.sync_lease_until!),
  }));
}

/**
 * Links with work waiting: flagged by a billing change (billing-reader.ts) or an acceptance, left with an uncertain write, or
 * leased (by a run that died holding the link's lease, or by another process syncing it now: the claim
 * tells them apart).
 * A building's link is also due once a day whatever was imported: time alone moves its months (a meter
 * reaches the "ended" age, a month ends or settles), and its sync compares them by content, so a day
 * that changed nothing sends nothing.
 */
export async function dueLinks(ctx: ExchangeContext, onlyLinkIds?: number[]): Promise<number[]> {
  const today = new Date(`${isoDate(ctx.now())}T00:00:00Z`);
  let q = ctx.db
    .selectFrom('meter_link')
    .select('id')
    .where('status', 'in', SENDING_STATUSES)
    .where('answered_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('sync_due', '=', true),
        eb.and([
          eb('building_id', 'is not', null),
          eb.or([eb('last_synced_at', 'is', null), eb('last_synced_at', '<', today)]),
        ]),
        eb('sync_lease_owner', 'is not', null),
        eb.exists(
          eb
            .selectFrom('consumption_entry')
            .select('consumption_entry.id')
            .whereRef('consumption_entry.link_id', '=', 'meter_link.id')
            .where('consumption_entry.state', '=', 'sending'),
        ),
      ]),
    )
    .orderBy('id');
  if (onlyLinkIds) q = q.where('id', 'in', onlyLinkIds.length ? onlyLinkIds : [-1]);
  return (await q.execute()).map((r) => r.id);
}

export async function updateConsumption(
  ctx: ExchangeContext,
  options: { concurrency?: number; linkIds?: number[] } = {},
): Promise<ConsumptionSummary> {
  // Before choosing the links: what billing changed since the last run makes links due, and one whose
  // renewal ran out sends nothing (exchange/building-links.ts).
  await markChangedMetersDue(ctx.db);
  await pauseLapsedRenewals(ctx);
  const queue = await dueLinks(ctx, options.linkIds);
  const summary: ConsumptionSummary = {
    links: 0,
    created: 0,
    updated: 0,
    deleted: 0,
    adopted: 0,
    conflicts: 0,
    failed: 0,
    heldElsewhere: [],
  };
  const add = (r: LinkSyncResult): void => {
    if (r.outcome === 'skipped') return;
    summary.links++;
    summary.created += r.created;
    summary.updated += r.updated;
    summary.deleted += r.deleted;
    summary.adopted += r.adopted;
    summary.conflicts += r.conflicts;
    if (r.outcome === 'error') summary.failed++;
  };
  // Each link is worked on by one worker of one instance at a time: the holder of its lease (another
  // instance syncing it now keeps it; one that died lets its lease run out). The ESPM client's limiter
  // paces the workers. ESPM down or refusing every call stops the run at once: the links left stay due,
  // and the run fails once instead of once per link.
  // Links another process holds are tried again until leases.waitForServiceMs has passed (sync --once
  // waits, as for its steps; serve's jobs leave them to the holder).
  const leases = leasesOf(ctx);
  let stopped: { error: unknown } | undefined;
  let held: number[] = [];
  const drain = (): Promise<unknown> =>
    Promise.all(
      Array.from({ length: workerCount(ctx, options.concurrency) }, async () => {
        while (!stopped) {
          const id = queue.shift();
          if (id === undefined) return;
          const lease = await leases.claimLink(id);
          if (!lease) {
            held.push(id);
            continue;
          }
          try {
            add(await syncLink(ctx, id, lease));
          } catch (error) {
            stopped ??= { error };
          } finally {
            await lease.release();
          }
        }
      }),
    );
  await drain();
  const deadline = Date.now() + leases.waitForServiceMs;
  while (held.length > 0 && !stopped && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(500, deadline - Date.now())));
    queue.push(...held);
    held = [];
    await drain();
  }
  if (stopped) throw stopped.error;
  summary.heldElsewhere = held.sort((a, b) => a - b);
  return summary;
}
