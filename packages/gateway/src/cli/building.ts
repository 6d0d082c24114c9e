// `npm run gateway -- building <command>`: bulk work on buildings from the command line. A code is
// printed alone on standard output, once: it is never stored in clear, so a lost code is revoked and a
// new one issued.
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { ExchangeContext } from '../exchange/context.ts';
import { renewBuildingLinks, revokeBuildingCodes } from '../exchange/building-links.ts';
import type { Database } from '../store/schema.ts';
import { issueCode } from '../buildings/aggregation-codes.ts';
import type { PrivacyRule } from '../buildings/privacy-rule.ts';
import { buildingPassesNow } from '../buildings/privacy-now.ts';
import { BuildingError, buildingExists, closeBuilding, removePremise } from '../buildings/buildings.ts';
import { BuildingFileError, importBuildingsFile } from '../buildings/import-buildings-file.ts';

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
  building code <building_id> --to <name> --contact <e-mail or phone> [--anyway]
                               issue an aggregation code for the building's owner, recording to
                               whom it is given, and print it alone on standard output (shown once;
                               valid 90 days unless used); a building that cannot pass the privacy
                               rule with its premises now is refused (exit 1) unless --anyway
  building revoke <building_id>
                               revoke the building's codes and end every link they fed: nothing
                               more is sent, and each aggregate meter is unshared in ESPM with a
                               note (run again if ESPM could not be reached: exit 1)
  building renew <building_id> renew the links fed by the building's codes for another
                               GATEWAY_BUILDING_RENEWAL_MONTHS (12); a link paused because its
                               renewal ran out sends again
`;

export interface BuildingCommandDeps {
  db: Kysely<Database>;
  privacy: PrivacyRule;
  /** The exchange with ESPM, opened only for the commands that call it. */
  exchange: () => Promise<ExchangeContext>;
}

export async function buildingCommand(args: string[], deps: BuildingCommandDeps): Promise<number> {
  const [command, argument, ...options] = args;
  if (!argument) return usage();
  try {
    if (command === 'import' && options.length === 0) return await importCommand(deps.db, argument);
    if (command === 'remove-premise' && options.length === 1) {
      return await removeCommand(deps.db, argument, options[0]!);
    }
    if (command === 'close' && options.length === 0) return await closeCommand(deps.db, argument);
    if (command === 'code') return await codeCommand(deps, argument, options);
    if (command === 'revoke' && options.length === 0) return await revokeCommand(deps, argument);
    if (command === 'renew' && options.length === 0) return await renewCommand(deps.db, argument);
  } catch (e) {
    if (!(e instanceof BuildingError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
  return usage();
}

function usage(problem?: string): number {
  if (problem) process.stderr.write(`${problem}\n`);
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
  await removePremise(db, buildingId, premiseId, { operator: null }, new Date());
  process.stderr.write(`premise ${premiseId} removed from building ${buildingId}\n`);
  return 0;
}

async function closeCommand(db: Kysely<Database>, buildingId: string): Promise<number> {
  const left = await closeBuilding(db, buildingId, { operator: null }, new Date());
  process.stderr.write(`building ${buildingId} closed: ${left} premises removed\n`);
  return 0;
}

async function codeCommand(deps: BuildingCommandDeps, buildingId: string, args: string[]): Promise<number> {
  let values: { to?: string; contact?: string; anyway?: boolean };
  try {
    values = parseArgs({
      args,
      options: { to: { type: 'string' }, contact: { type: 'string' }, anyway: { type: 'boolean' } },
    }).values;
  } catch (e) {
    return usage((e as Error).message);
  }
  const { to, contact, anyway } = values;
  if (to === undefined || contact === undefined) {
    return usage('building code needs --to (the name of the person the code is given to) and --contact');
  }
  const now = new Date();
  if (!anyway && (await buildingExists(deps.db, buildingId))) {
    if (!(await buildingPassesNow(deps.db, buildingId, deps.privacy, now))) {
      process.stderr.write(
        `building ${buildingId} passes the privacy rule for none of the last 12 months with its premises now: a share with a code would be refused; add --anyway to issue one all the same\n`,
      );
      return 1;
    }
  }
  const { code, expiresAt } = await issueCode(deps.db, buildingId, { operator: null }, now, {
    name: to,
    contact,
  });
  process.stdout.write(`${code}\n`);
  process.stderr.write(
    `aggregation code for building ${buildingId}, given to ${to}, valid until ${expiresAt.toISOString().slice(0, 10)} unless used\n`,
  );
  return 0;
}

async function revokeCommand(deps: BuildingCommandDeps, buildingId: string): Promise<number> {
  const r = await revokeBuildingCodes(await deps.exchange(), buildingId, { operator: null });
  process.stdout.write(`building ${buildingId}: ${r.codes} codes revoked, ${r.links} links ended\n`);
  if (r.unshareFailed.length === 0) return 0;
  process.stderr.write(
    `ESPM could not unshare meters ${r.unshareFailed.join(', ')}; nothing more is sent to them: run building revoke ${buildingId} again later\n`,
  );
  return 1;
}

async function renewCommand(db: Kysely<Database>, buildingId: string): Promise<number> {
  const n = await renewBuildingLinks(db, buildingId, { operator: null }, new Date());
  process.stdout.write(`building ${buildingId}: ${n} links renewed\n`);
  return 0;
}
