// `building import <file.csv>`: buildings and their premises in bulk, one row per premise with the
// columns building_id,name,premise_id and optionally owner_held (yes/no, default no: the premise's
// accounts are the owner's own, common areas or vacant units, and never count). A building not known yet is created with the name of its first
// row; premises are added to it. A bad row is rejected with its line and reason; the others are taken.
import { readFile, stat } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Actor } from './buildings.ts';
import {
  BuildingError,
  addPremises,
  checkBuildingId,
  checkName,
  checkPremiseId,
  createBuilding,
} from './buildings.ts';

export const BUILDING_COLUMNS = ['building_id', 'name', 'premise_id'] as const;
export const OPTIONAL_BUILDING_COLUMNS = ['owner_held'] as const;
/** A building file lists premises, not billing: a few megabytes at most. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export class BuildingFileError extends Error {
  override name = 'BuildingFileError';
}

export interface BuildingImportReport {
  rows: number;
  buildingsCreated: number;
  premisesAdded: number;
  rejections: Array<{ line: number; reason: string }>;
}

interface Row {
  line: number;
  buildingId: string;
  name: string;
  premiseId: string;
  ownerHeld: boolean;
}

export async function importBuildingsFile(
  db: Kysely<Database>,
  path: string,
  by: Actor,
  at: Date,
): Promise<BuildingImportReport> {
  let content: Buffer;
  try {
    if ((await stat(path)).size > MAX_FILE_BYTES) {
      throw new BuildingFileError(`the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
    }
    content = await readFile(path);
  } catch (e) {
    if (e instanceof BuildingFileError) throw e;
    throw new BuildingFileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const report: BuildingImportReport = { rows: 0, buildingsCreated: 0, premisesAdded: 0, rejections: [] };
  const byBuilding = new Map<string, Row[]>();
  for (const row of rowsOf(content, report)) {
    const list = byBuilding.get(row.buildingId) ?? [];
    list.push(row);
    byBuilding.set(row.buildingId, list);
  }
  for (const [buildingId, rows] of byBuilding) {
    const exists = await db
      .selectFrom('building')
      .select('building_id')
      .where('building_id', '=', buildingId)
      .executeTakeFirst();
    if (!exists) {
      await createBuilding(db, { buildingId, name: rows[0]!.name }, by);
      report.buildingsCreated++;
    }
    try {
      report.premisesAdded += await addPremises(
        db,
        buildingId,
        rows.map((r) => ({ premiseId: r.premiseId, ownerHeld: r.ownerHeld })),
        by,
        at,
      );
    } catch (e) {
      if (!(e instanceof BuildingError)) throw e;
      // Some premise is in another building: take the rows one by one to name it.
      for (const row of rows) {
        try {
          report.premisesAdded += await addPremises(
            db,
            buildingId,
            [{ premiseId: row.premiseId, ownerHeld: row.ownerHeld }],
            by,
            at,
          );
        } catch (one) {
          if (!(one instanceof BuildingError)) throw one;
          report.rejections.push({ line: row.line, reason: one.message });
        }
      }
    }
  }
  report.rejections.sort((a, b) => a.line - b.line);
  return report;
}

function rowsOf(content: Buffer, report: BuildingImportReport): Row[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(content, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (e) {
    throw new BuildingFileError(
      e instanceof CsvError ? `the file is not valid CSV: ${e.message}` : String(e),
    );
  }
  const [header, ...data] = records;
  if (!header) throw new BuildingFileError('the file is empty');
  const names = header.record.map((h) => h.trim().toLowerCase());
  const index = BUILDING_COLUMNS.map((c) => names.indexOf(c));
  const missing = BUILDING_COLUMNS.filter((_, i) => index[i]! < 0);
  if (missing.length > 0) throw new BuildingFileError(`the header lacks the columns ${missing.join(', ')}`);
  const ownerHeldAt = names.indexOf('owner_held');
  const rows: Row[] = [];
  for (const { record, info } of data) {
    report.rows++;
    const [id, name, premise] = index.map((i) => record[i] ?? '');
    const held = (ownerHeldAt < 0 ? '' : (record[ownerHeldAt] ?? '')).trim().toLowerCase();
    if (!['', 'yes', 'no'].includes(held)) {
      report.rejections.push({
        line: info.lines,
        reason: `owner_held ${JSON.stringify(held.slice(0, 20))} is not yes or no`,
      });
      continue;
    }
    try {
      rows.push({
        line: info.lines,
        buildingId: checkBuildingId(id!),
        name: checkName(name!),
        premiseId: checkPremiseId(premise!),
        ownerHeld: held === 'yes',
      });
    } catch (e) {
      if (!(e instanceof BuildingError)) throw e;
      report.rejections.push({ line: info.lines, reason: e.message });
    }
  }
  return rows;
}
