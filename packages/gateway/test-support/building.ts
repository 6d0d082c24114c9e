// Buildings as an operator sets them up in the console, for the whole-building tests.
import type { Kysely } from 'kysely';
import { addPremises, createBuilding } from '../src/buildings/buildings.ts';
import type { Database } from '../src/store/schema.ts';

/** Marie creates the building and adds its premises (none held by the owner) at `at`. */
export async function createBuildingOf(
  db: Kysely<Database>,
  building: { buildingId: string; name: string },
  premiseIds: string[],
  at: Date,
): Promise<void> {
  const by = { operator: 'marie' };
  await createBuilding(db, building, by);
  await addPremises(
    db,
    building.buildingId,
    premiseIds.map((premiseId) => ({ premiseId, ownerHeld: false })),
    by,
    at,
  );
}
