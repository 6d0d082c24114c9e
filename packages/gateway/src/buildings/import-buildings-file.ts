// `building import <file.csv>`: buildings and their premises in bulk, one row per premise with the
// columns building_id,name,premise_id. A building not known yet is created with the name of its first
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
}

export async function importBuildingsFile(
  db: Kysely<Database>,
  path: string,
  by: Actor,
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
        rows.map((r) => r.premiseId),
        by,
      );
    } catch (e) {
      if (!(e instanceof BuildingError)) throw e;
      // Some premise is in another building: take the rows one by one to name it.
      for (const row of rows) {
        try {
          report.premisesAdded += await addPremises(db, buildingId, [row.premiseId], by);
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
  const rows: Row[] = [];
  for (const { record, info } of data) {
    report.rows++;
    const [id, name, premise] = index.map((i) => record[i] ?? '');
    try {
      rows.push({
        line: info.lines,
        buildingId: checkBuildingId(id!),
        name: checkName(name!),
        premiseId: checkPremiseId(premise!),
      });
    } catch (e) {
      if (!(e instanceof BuildingError)) throw e;
      report.rejections.push({ line: info.lines, reason: e.message });
    }
  }
  return rows;
}
