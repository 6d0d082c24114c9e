// What is kept about each import — the billing_import record, its first rejections and one gateway
// log line — and the report handed back to the caller.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { writeLog } from '../log/gateway-log.ts';
import type { Database, ImportSource } from '../store/schema.ts';
import type { ImportRowCounts } from '../vocabulary/gateway-events.ts';
import { importErrorCode } from '../vocabulary/billing-reasons.ts';
import type { ImportErrorCode, ImportProblem, RowProblem } from '../vocabulary/billing-reasons.ts';
import { importProblemText, rowReasonText } from './reason-text.ts';
import { storedImportProblem, storedRowProblems } from './stored-reasons.ts';

/** Rejections stored and reported per import; the counts still cover all of them. */
export const KEPT_REJECTIONS = 1000;

/** A rejected row and why; `line` is the file's line, or the index of a pushed row. */
export interface Rejection {
  line: number;
  problems: RowProblem[];
}

/** A rejection as the command line and the HTTP answer report it: its problems in one English sentence. */
export interface ReportedRejection {
  line: number;
  reason: string;
}

export function reported(rejection: Rejection): ReportedRejection {
  return { line: rejection.line, reason: rowReasonText('en', rejection.problems) };
}

export interface ImportTally extends ImportRowCounts {
  read: number;
  rejected: number;
  /** The first KEPT_REJECTIONS, in order. */
  rejections: Rejection[];
  touchedMeters: Set<string>;
}

const ROW_COUNT_KEYS = Object.keys({
  inserted: 0,
  updated: 0,
  cancelled: 0,
  unchanged: 0,
  replaced: 0,
} satisfies Record<keyof ImportRowCounts, 0>) as Array<keyof ImportRowCounts>;

export function emptyTally(): ImportTally {
  return {
    read: 0,
    rejected: 0,
    ...(Object.fromEntries(ROW_COUNT_KEYS.map((k) => [k, 0])) as Record<keyof ImportRowCounts, number>),
    rejections: [],
    touchedMeters: new Set(),
  };
}

export interface ImportOrigin {
  source: ImportSource;
  fileName: string | null;
  operator: string | null;
  contentSha256: string | null;
}

export interface StartedImport extends ImportOrigin {
  id: number;
  /** Earlier imports of the same content (see batch-plan.ts). */
  sameContentImports: Set<number>;
  /** The last of them that read the file to its end, if any. */
  completedSameContent: number | null;
}

export interface BillingImportReport<R = ReportedRejection> {
  importId: number;
  source: ImportSource;
  fileName: string | null;
  status: 'done' | 'failed';
  /** 0: every row imported; 1: some rows rejected, the rest imported; 2: the input could not be used. */
  exitCode: 0 | 1 | 2;
  errorCode: ImportErrorCode | null;
  /** Why the input could not be used, in English. */
  error: string | null;
  problem: ImportProblem | null;
  /** rowsRead = rowsImported + rowsUnchanged + rowsReplaced + rowsRejected. */
  rowsRead: number;
  /** Rows that inserted, corrected or cancelled a period. */
  rowsImported: number;
  inserted: number;
  updated: number;
  cancelled: number;
  /** Rows whose period already held these values. */
  rowsUnchanged: number;
  /** Rows replaced by a later row for the same period (see the CSV format's documentation). */
  rowsReplaced: number;
  rowsRejected: number;
  /** The first KEPT_REJECTIONS rejections, in order; rowsRejected counts them all. */
  rejections: R[];
  /** Meters whose billed consumption changed; their accepted ESPM links are marked sync_due. */
  touchedMeters: string[];
}

export async function startImport(db: Kysely<Database>, origin: ImportOrigin): Promise<StartedImport> {
  const sameContent = origin.contentSha256
    ? await db
        .selectFrom('billing_import')
        .select(['id', 'status'])
        .where('content_sha256', '=', origin.contentSha256)
        .execute()
    : [];
  const { id } = await db
    .insertInto('billing_import')
    .values({
      source: origin.source,
      file_name: origin.fileName,
      operator: origin.operator,
      content_sha256: origin.contentSha256,
      started_at: new Date(),
      status: 'running',
      rows_read: 0,
      rows_imported: 0,
      rows_unchanged: 0,
      rows_rejected: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const completed = sameContent.filter((r) => r.status === 'done').map((r) => r.id);
  return {
    ...origin,
    id,
    sameContentImports: new Set(sameContent.map((r) => r.id)),
    completedSameContent: completed.length > 0 ? Math.max(...completed) : null,
  };
}

/** Adds a batch's counts and meters to the import's. */
export function addBatch(tally: ImportTally, batch: ImportRowCounts & { touchedMeters: string[] }): void {
  for (const key of ROW_COUNT_KEYS) tally[key] += batch[key];
  for (const meter of batch.touchedMeters) tally.touchedMeters.add(meter);
}

function rowCounts(tally: ImportTally): ImportRowCounts {
  return Object.fromEntries(ROW_COUNT_KEYS.map((k) => [k, tally[k]])) as Record<
    keyof ImportRowCounts,
    number
  >;
}

/** Stores a batch's rejections while fewer than KEPT_REJECTIONS are stored, and the running counts. */
export async function recordProgress(
  db: Kysely<Database>,
  started: StartedImport,
  tally: ImportTally,
  newRejections: Rejection[],
): Promise<void> {
  const room = KEPT_REJECTIONS - tally.rejections.length;
  const kept = newRejections.slice(0, Math.max(room, 0));
  tally.rejections.push(...kept);
  if (kept.length > 0) {
    await db
      .insertInto('billing_import_rejection')
      .values(
        kept.map((r) => ({ import_id: started.id, line: r.line, reason: storedRowProblems(r.problems) })),
      )
      .execute();
  }
  await db.updateTable('billing_import').set(counts(tally)).where('id', '=', started.id).execute();
}

function counts(tally: ImportTally) {
  return {
    rows_read: tally.read,
    rows_imported: tally.inserted + tally.updated + tally.cancelled,
    rows_unchanged: tally.unchanged,
    rows_replaced: tally.replaced,
    rows_rejected: tally.rejected,
  };
}

/** Closes the record, writes the log line and builds the report. */
export async function finishImport(
  db: Kysely<Database>,
  started: StartedImport,
  tally: ImportTally,
  problem?: ImportProblem,
): Promise<BillingImportReport> {
  const status = problem ? 'failed' : 'done';
  const exitCode = problem ? 2 : tally.rejected > 0 ? 1 : 0;
  await db
    .updateTable('billing_import')
    .set({
      ...counts(tally),
      status,
      finished_at: sql<Date>`now()`,
      error: problem ? storedImportProblem(problem) : null,
    })
    .where('id', '=', started.id)
    .execute();
  await writeLog(db, {
    service: 'BillingImport',
    subject: started.fileName ?? started.source,
    operator: started.operator,
    event: {
      kind: 'billing-import',
      importId: started.id,
      ...(problem ? { problem: importErrorCode(problem) } : {}),
      ...rowCounts(tally),
      read: tally.read,
      rejected: tally.rejected,
      meters: tally.touchedMeters.size,
    },
  });
  return {
    importId: started.id,
    source: started.source,
    fileName: started.fileName,
    status,
    exitCode,
    errorCode: problem ? importErrorCode(problem) : null,
    error: problem ? importProblemText('en', problem) : null,
    problem: problem ?? null,
    rowsRead: tally.read,
    rowsImported: tally.inserted + tally.updated + tally.cancelled,
    inserted: tally.inserted,
    updated: tally.updated,
    cancelled: tally.cancelled,
    rowsUnchanged: tally.unchanged,
    rowsReplaced: tally.replaced,
    rowsRejected: tally.rejected,
    rejections: tally.rejections.map(reported),
    touchedMeters: [...tally.touchedMeters],
  };
}
