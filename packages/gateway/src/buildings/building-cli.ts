// `npm run gateway -- building import <file.csv>` and `building code <building_id>`: bulk work on
// buildings from the command line. A code is printed alone on standard output, once: it is never
// stored in clear, so a lost code is revoked and a new one issued.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { issueCode } from './aggregation-codes.ts';
import { BuildingError, closeBuilding, removePremise } from './buildings.ts';
import { BuildingFileError, importBuildingsFile } from './import-buildings-file.ts';

export const BUILDING_USAGE = `usage: npm run gateway -- building <command>

  building import <file.csv>   add buildings and premises (columns building_id,name,premise_id,
                               optionally owner_held yes/no: the owner's own accounts, never counted);
                               exit 0 all rows taken, 1 some rejected, 2 file unusable
  building remove-premise <building_id> <premise_id>
                               take a premise out of the building: it still counts in the months
                               begun before, never after (months already written never change)
  building close <building_id>
                               close the building: every premise leaves it as remove-premise does;
                               nothing of the months begun after is ever written
  building code <building_id>  issue an aggregation code for the building's owner and print it,
                               alone, on standard output (shown once; valid 90 days unless used)
`;

export async function buildingCommand(db: Kysely<Database>, args: string[]): Promise<number> {
  const [command, argument, premise] = args;
  if (command === 'import' && argument) return importCommand(db, argument);
  if (command === 'remove-premise' && argument && premise) return removeCommand(db, argument, premise);
  if (command === 'code' && argument) return codeCommand(db, argument);
  if (command === 'close' && argument) return closeCommand(db, argument);
  process.stderr.write(BUILDING_USAGE);
  return 2;
}

async function importCommand(db: Kysely<Database>, file: string): Promise<number> {
  try {
    const r = await importBuildingsFile(db, file, { operator: null }, new Date());
    for (const x of r.rejections) process.stderr.write(`line ${x.line}: ${x.reason}\n`);
    process.stdout.write(
      `${file}: ${r.rows} rows read, ${r.buildingsCreated} buildings created, ${r.premisesAdded} premises added, ${r.rejections.length} rejected\n`,
    );
    return r.rejections.length > 0 ? 1 : 0;
  } catch (e) {
    if (!(e instanceof BuildingFileError)) throw e;
    process.stderr.write(`${file}: ${e.message}\n`);
    return 2;
  }
}

async function removeCommand(db: Kysely<Database>, buildingId: string, premiseId: string): Promise<number> {
  try {
    await removePremise(db, buildingId, premiseId, { operator: null }, new Date());
    process.stderr.write(`premise ${premiseId} removed from building ${buildingId}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof BuildingError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
}

async function closeCommand(db: Kysely<Database>, buildingId: string): Promise<number> {
  try {
    const left = await closeBuilding(db, buildingId, { operator: null }, new Date());
    process.stderr.write(`building ${buildingId} closed: ${left} premises removed\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof BuildingError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
}

async function codeCommand(db: Kysely<Database>, buildingId: string): Promise<number> {
  try {
    const { code, expiresAt } = await issueCode(db, buildingId, { operator: null }, new Date());
    process.stdout.write(`${code}\n`);
    process.stderr.write(
      `aggregation code for building ${buildingId}, valid until ${expiresAt.toISOString().slice(0, 10)} unless used\n`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof BuildingError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
}
