// Buildings and their premises: the only writer of building and building_premise. An operator (in
// the console or from a CSV file) defines a building and the premises (service points, billing's
// premise_id) it covers; a premise is in one building at most at a time, so no meter is counted twice.
//
// Membership is prospective once anything of the building has been written to ESPM: a premise added
// counts from the first month beginning after its addition, one removed up to the month of its
// removal. A written month never changes because of it; otherwise the change of a month would be the
// premise's own consumption (docs/buildings.md). So a premise change marks no link due: it moves only
// months not yet settled, which the consumption side's daily look at building links reaches
// (exchange/consumption/consumption-updater.ts), and buildings/ imports nothing from exchange/.
import type { Kysely } from 'kysely';
import { MIN_SUBSTRING, premiseText, substringPattern } from '../store/search-text.ts';
import { writeLog } from '../log/gateway-log.ts';
import type { Database } from '../store/schema.ts';
import { inTransaction } from '../store/transaction.ts';
import { isPlainText } from '../text/plain-text.ts';

export type BuildingProblem =
  | 'invalid-building-id'
  | 'invalid-name'
  | 'invalid-premise-id'
  | 'premise-in-other-building'
  | 'unknown-building'
  | 'building-exists'
  | 'invalid-recipient-name'
  | 'invalid-recipient-contact'
  | 'premise-not-in-building'

  /** The confirmation form that would issue a code issued one already (posted twice). */
  | 'code-already-issued';

/** A request about buildings that cannot be done; `code` is worded by the console and the CLI. */
export class BuildingError extends Error {
  override name = 'BuildingError';
  constructor(
    readonly code: BuildingProblem,
    message: string,
  ) {
    super(message);
  }
}

export const BUILDING_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
/** As billing's premise_id (billing/billing-row.ts). */
export const PREMISE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/;
const MAX_NAME_LENGTH = 200;

export interface Actor {
  /** The operator's username; null for the CLI. */
  operator: string | null;
}

export function checkBuildingId(id: string): string {
  const v = id.trim();
  if (!BUILDING_ID.test(v)) {
    throw new BuildingError(
      'invalid-building-id',
      `building_id ${JSON.stringify(v.slice(0, 40))} is not 1 to 40 letters, digits, dots, hyphens or underscores`,
    );
  }
  return v;
}

export function checkName(name: string): string {
  const v = name.trim().normalize('NFC');
  if (v === '' || v.length > MAX_NAME_LENGTH || !isPlainText(v) || /^[=+\-@]/.test(v)) {
    throw new BuildingError(
      'invalid-name',
      `the name must be one line of 1 to ${MAX_NAME_LENGTH} characters, without control or direction characters, not a formula`,
    );
  }
  return v;
}

export function checkPremiseId(id: string): string {
  const v = id.trim();
  if (!PREMISE_ID.test(v)) {
    throw new BuildingError(
      'invalid-premise-id',
      `premise_id ${JSON.stringify(v.slice(0, 40))} is not 1 to 40 letters, digits or hyphens`,
    );
  }
  return v;
}

export async function createBuilding(
  db: Kysely<Database>,
  building: { buildingId: string; name: string },
  by: Actor,
): Promise<void> {
  const buildingId = checkBuildingId(building.buildingId);
  const name = checkName(building.name);
  await inTransaction(db, async (tx) => {
    const created = await tx
      .insertInto('building')
      .values({ building_id: buildingId, name, created_by: by.operator })
      .onConflict((oc) => oc.column('building_id').doNothing())
      .returning('building_id')
      .executeTakeFirst();
    if (!created) throw new BuildingError('building-exists', `building ${buildingId} already exists`);
    await writeLog(tx, {
      service: 'Operator',
      subject: buildingId,
      event: { kind: 'building-created' },
      operator: by.operator,
    });
  });
}

/** A premise to add, and whether its accounts are the building owner's own (never counted). */
export interface PremiseToAdd {
  premiseId: string;
  ownerHeld: boolean;
}

/**
 * Adds the premises to the building; those already in it keep their place, and take the owner_held
 * given. Returns how many were added. Refused as a whole when one is in another building.
 */
export async function addPremises(
  db: Kysely<Database>,
  buildingId: string,
  toAdd: PremiseToAdd[],
  by: Actor,
  at: Date,
): Promise<number> {
  const ownerHeld = new Map(toAdd.map((p) => [checkPremiseId(p.premiseId), p.ownerHeld]));
  const premises = [...ownerHeld.keys()];
  if (premises.length === 0) return 0;
  return inTransaction(db, async (tx) => {
    await lockBuilding(tx, buildingId);
    const elsewhere = await tx
      .selectFrom('building_premise')
      .select(['premise_id', 'building_id'])
      .where('premise_id', 'in', premises)
      .where('building_id', '!=', buildingId)
      .where('until_month', 'is', null)
      .executeTakeFirst();
    if (elsewhere) {
      throw new BuildingError(
        'premise-in-other-building',
        `premise ${elsewhere.premise_id} is already in building ${elsewhere.building_id}`,
      );
    }
    const fromMonth = (await hasWritten(tx, buildingId)) ? nextMonth(at) : null;
    const added = await tx
      .insertInto('building_premise')
      .values(
        premises.map((p) => ({
          premise_id: p,
          building_id: buildingId,
          added_by: by.operator,
          owner_held: ownerHeld.get(p)!,
          from_month: fromMonth,
        })),
      )
      .onConflict((oc) => oc.column('premise_id').where('until_month', 'is', null).doNothing())
      .returning('premise_id')
      .execute();
    for (const held of [true, false]) {
      const these = premises.filter((p) => ownerHeld.get(p) === held);
      if (these.length === 0) continue;
      await tx
        .updateTable('building_premise')
        .set({ owner_held: held })
        .where('building_id', '=', buildingId)
        .where('premise_id', 'in', these)
        .where('until_month', 'is', null)
        .where('owner_held', '!=', held)
        .execute();
    }
    if (added.length > 0) {
      await writeLog(tx, {
        service: 'Operator',
        subject: buildingId,
        event: { kind: 'premises-added', premises: added.length },
        operator: by.operator,
      });
    }
    return added.length;
  });
}

/** Whether some month of the building has been written to ESPM: membership is prospective from then. */
async function hasWritten(db: Kysely<Database>, buildingId: string): Promise<boolean> {
  const row = await db
    .selectFrom('building_release')
    .select('month')
    .where('building_id', '=', buildingId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The first day of the month after the one holding `at`: the first month beginning after it. */
function nextMonth(at: Date): string {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

/** The first day of the month holding `at`. */
function monthOf(at: Date): string {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)).toISOString().slice(0, 10);
}

/**
 * Takes the premise out of the building: it still counts in the months begun before (the month of its
 * removal included), never after. A building nothing was written for forgets it at once.
 */
export async function removePremise(
  db: Kysely<Database>,
  buildingId: string,
  premiseId: string,
  by: Actor,
  at: Date,
): Promise<void> {
  const premise = checkPremiseId(premiseId);
  await inTransaction(db, async (tx) => {
    await lockBuilding(tx, buildingId);
    if ((await leave(tx, buildingId, [premise], at)) === 0) {
      throw new BuildingError(
        'premise-not-in-building',
        `premise ${premise} is not in building ${buildingId}`,
      );
    }
    await writeLog(tx, {
      service: 'Operator',
      subject: buildingId,
      event: { kind: 'premise-removed', premise },
      operator: by.operator,
    });
  });
}

/**
 * Closes the building: every premise leaves it as removePremise takes one out, so nothing of the
 * months begun after is ever computed, and what was written stays as it is. Returns how many left.
 */
export async function closeBuilding(
  db: Kysely<Database>,
  buildingId: string,
  by: Actor,
  at: Date,
): Promise<number> {
  return inTransaction(db, async (tx) => {
    await lockBuilding(tx, buildingId);
    const premises = await tx
      .selectFrom('building_premise')
      .select('premise_id')
      .where('building_id', '=', buildingId)
      .where('until_month', 'is', null)
      .execute();
    const left = await leave(
      tx,
      buildingId,
      premises.map((p) => p.premise_id),
      at,
    );
    await writeLog(tx, {
      service: 'Operator',
      subject: buildingId,
      event: { kind: 'building-closed', premises: left },
      operator: by.operator,
    });
    return left;
  });
}

/** The building's id and name, when there is such a building. */
export function buildingNamed(db: Kysely<Database>, buildingId: string) {
  return db
    .selectFrom('building')
    .select(['building_id', 'name'])
    .where('building_id', '=', buildingId)
    .executeTakeFirst();
}

export async function buildingExists(db: Kysely<Database>, buildingId: string): Promise<boolean> {
  return (await buildingNamed(db, buildingId)) !== undefined;
}

async function lockBuilding(tx: Kysely<Database>, buildingId: string): Promise<void> {
  const building = await tx
    .selectFrom('building')
    .select('building_id')
    .where('building_id', '=', buildingId)
    .forUpdate()
    .executeTakeFirst();
  if (!building) throw new BuildingError('unknown-building', `there is no building ${buildingId}`);
}

/** Ends the premises' current stay in the building as of the month holding `at`; how many were in it. */
async function leave(
  tx: Kysely<Database>,
  buildingId: string,
  premises: string[],
  at: Date,
): Promise<number> {
  if (premises.length === 0) return 0;
  const current = await tx
    .selectFrom('building_premise')
    .select(['id', 'from_month'])
    .where('building_id', '=', buildingId)
    .where('premise_id', 'in', premises)
    .where('until_month', 'is', null)
    .execute();
  const until = monthOf(at);
  const written = await hasWritten(tx, buildingId);
  for (const stay of current) {
    // Never counted yet (nothing written, or added for a month not begun): nothing to keep.
    if (!written || (stay.from_month !== null && stay.from_month > until)) {
      await tx.deleteFrom('building_premise').where('id', '=', stay.id).execute();
    } else {
      await tx
        .updateTable('building_premise')
        .set({ until_month: until })
        .where('id', '=', stay.id)
        .execute();
    }
  }
  return current.length;
}

export interface PremiseFound {
  premiseId: string;
  serviceAddress: string | null;
  /** The building the premise is in already, if any. */
  buildingId: string | null;
}

/** Premises known from billing whose id or address holds the text, for an operator building a building. */
export async function searchPremises(
  db: Kysely<Database>,
  text: string,
  limit = 50,
): Promise<PremiseFound[]> {
  const typed = text.trim();
  // Through the trigram index of the premise's text (store/search-text.ts); a short text, whole.
  const rows = await db
    .selectFrom('billing_period as p')
    .leftJoin('building_premise as b', (j) =>
      j.onRef('b.premise_id', '=', 'p.premise_id').on('b.until_month', 'is', null),
    )
    .select(['p.premise_id', (eb) => eb.fn.max('p.service_address').as('service_address'), 'b.building_id'])
    .where('p.premise_id', 'is not', null)
    .where((eb) =>
      typed.length >= MIN_SUBSTRING
        ? eb(premiseText('p'), 'like', substringPattern(typed))
        : eb('p.premise_id', '=', typed),
    )
    .groupBy(['p.premise_id', 'b.building_id'])
    .orderBy('p.premise_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    premiseId: r.premise_id!,
    serviceAddress: r.service_address ?? null,
    buildingId: r.building_id ?? null,
  }));
}
