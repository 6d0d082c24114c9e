// The links an aggregation code fed, and how they end: revoking a building's codes (or one of them)
// ends every link they fed — nothing more is written, and the aggregate meter is unshared in ESPM with
// a note — and a link fed by a code sends only while an operator renews it every `renewalMonths`
// (docs/buildings.md): past that, it pauses until renewed. Whoever holds a code holds the building's
// totals for as long as it runs, so both its end and its duration are the utility's decision.
import { isEspmError } from '@gaz-espm/espm';
import { revokeCode } from '../buildings/aggregation-codes.ts';
import type { Actor } from '../buildings/buildings.ts';
import { DEFAULT_RENEWAL_MONTHS, renewalLapsed } from '../buildings/renewal.ts';
import { BuildingError } from '../buildings/buildings.ts';
import { errorEvent } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { inTransaction } from '../store/transaction.ts';
import type { ExchangeContext } from './context.ts';
import { BILLED_STATUSES, CURRENT_STATUSES, pauseLink, renewLink, revokeLink } from './link-state.ts';
import { CODE_REVOKED_UNSHARE_NOTE, RENEWAL_LAPSED, noteText } from './notes.ts';

export function renewalMonthsOf(ctx: Pick<ExchangeContext, 'renewalMonths'>): number {
  return ctx.renewalMonths ?? DEFAULT_RENEWAL_MONTHS;
}

export interface CodesRevoked {
  codes: number;
  links: number;
  /** ESPM meters that could not be unshared now (ESPM unreachable); revoking again tries them again. */
  unshareFailed: string[];
}

/**
 * Revokes every code of the building still valid and ends every link they fed, then unshares the
 * links' meters in ESPM. Run again, it unshares what ESPM could not take the first time.
 */
export async function revokeBuildingCodes(
  ctx: ExchangeContext,
  buildingId: string,
  by: Actor,
): Promise<CodesRevoked> {
  const building = await ctx.db
    .selectFrom('building')
    .select('building_id')
    .where('building_id', '=', buildingId)
    .executeTakeFirst();
  if (!building) throw new BuildingError('unknown-building', `there is no building ${buildingId}`);
  return endCodes(ctx, buildingId, undefined, by);
}

/** Revokes one of the building's codes and ends the link it fed, as revokeBuildingCodes does for all. */
export async function revokeBuildingCode(
  ctx: ExchangeContext,
  buildingId: string,
  codeId: number,
  by: Actor,
): Promise<CodesRevoked> {
  return endCodes(ctx, buildingId, codeId, by);
}

async function endCodes(
  ctx: ExchangeContext,
  buildingId: string,
  codeId: number | undefined,
  by: Actor,
): Promise<CodesRevoked> {
  const at = ctx.now();
  const note = noteText(CODE_REVOKED_UNSHARE_NOTE);
  const ended = await inTransaction(ctx.db, async (tx) => {
    let codes = tx
      .selectFrom('aggregation_code')
      .select('id')
      .where('building_id', '=', buildingId)
      .where('revoked_at', 'is', null);
    if (codeId !== undefined) codes = codes.where('id', '=', codeId);
    let revoked = 0;
    for (const { id } of await codes.execute()) if (await revokeCode(tx, id, by, at)) revoked++;
    let fed = tx
      .selectFrom('meter_link as l')
      .innerJoin('aggregation_code as c', 'c.id', 'l.aggregation_code_id')
      .select('l.id')
      .where('c.building_id', '=', buildingId)
      .where('l.status', 'in', CURRENT_STATUSES);
    if (codeId !== undefined) fed = fed.where('c.id', '=', codeId);
    let links = 0;
    for (const { id } of await fed.execute()) {
      const ok = await revokeLink(tx, id, 'code-revoked', {
        service: 'Operator',
        at,
        customerNote: note,
        ...(by.operator ? { operator: by.operator } : {}),
      });
      if (ok) links++;
    }
    return { codes: revoked, links };
  });
  return { ...ended, unshareFailed: await unshareEnded(ctx, buildingId, codeId, note) };
}

/**
 * Unshares in ESPM the meters of the links ended for a revoked code, but a meter that a later share
 * made current again (its new link is someone's decision since). Access already gone is what was wanted.
 */
async function unshareEnded(
  ctx: ExchangeContext,
  buildingId: string,
  codeId: number | undefined,
  note: string,
): Promise<string[]> {
  let q = ctx.db
    .selectFrom('meter_link as l')
    .innerJoin('aggregation_code as c', 'c.id', 'l.aggregation_code_id')
    .select('l.espm_meter_id')
    .distinct()
    .where('c.building_id', '=', buildingId)
    .where('l.status', '=', 'revoked')
    .where('l.reason_code', '=', 'code-revoked')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('meter_link as n')
            .select('n.id')
            .whereRef('n.espm_meter_id', '=', 'l.espm_meter_id')
            .where('n.status', 'in', CURRENT_STATUSES),
        ),
      ),
    );
  if (codeId !== undefined) q = q.where('c.id', '=', codeId);
  const failed: string[] = [];
  for (const { espm_meter_id: meterId } of await q.execute()) {
    try {
      await ctx.espm.unshareMeter(meterId, note);
    } catch (e) {
      if (isEspmError(e, 'access-lost')) continue;
      failed.push(meterId);
      await writeLog(ctx.db, { service: 'Operator', subject: meterId, event: errorEvent(e) });
    }
  }
  return failed;
}

/**
 * Renews every current link fed by one of the building's codes: each runs `renewalMonths` more from
 * now, and one paused for a lapsed renewal sends again. Returns how many were renewed.
 */
export async function renewBuildingLinks(
  db: Kysely<Database>,
  buildingId: string,
  by: Actor,
  at: Date,
): Promise<number> {
  const building = await db
    .selectFrom('building')
    .select('building_id')
    .where('building_id', '=', buildingId)
    .executeTakeFirst();
  if (!building) throw new BuildingError('unknown-building', `there is no building ${buildingId}`);
  const links = await codeLinks(db).where('l.building_id', '=', buildingId).execute();
  let renewed = 0;
  for (const link of links) {
    if (await renewLink(db, link, { at, operator: by.operator })) renewed++;
  }
  return renewed;
}

function codeLinks(db: Kysely<Database>) {
  return db
    .selectFrom('meter_link as l')
    .select(['l.id', 'l.espm_meter_id', 'l.decided_at', 'l.renewed_at', 'l.status', 'l.reason_code'])
    .where('l.aggregation_code_id', 'is not', null)
    .where('l.status', 'in', BILLED_STATUSES);
}

/**
 * The periodic check (and each sync's, consumption/sync-link.ts): every link fed by a code whose
 * renewal ran out pauses, with the note for whoever answers its owner. Returns how many paused.
 */
export async function pauseLapsedRenewals(ctx: ExchangeContext, linkIds?: number[]): Promise<number> {
  const months = renewalMonthsOf(ctx);
  const now = ctx.now();
  let q = codeLinks(ctx.db).where('l.reason_code', 'is distinct from', 'renewal-due');
  if (linkIds) q = q.where('l.id', 'in', linkIds.length ? linkIds : [-1]);
  let paused = 0;
  for (const link of await q.execute()) {
    if (!renewalLapsed(link, months, now)) continue;
    const note = noteText(RENEWAL_LAPSED);
    const by = { service: 'ConsumptionUpdater' as const, at: now, note };
    if (await pauseLink(ctx.db, link, 'renewal-due', by)) paused++;
  }
  return paused;
}
