// Rows pushed as JSON (over HTTP by the billing system, or entered in the console): the same
// validation and application as a CSV file's rows, all in one transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { RawBillingRow } from './billing-row.ts';
import { emptyTally, finishImport, startImport } from './import-journal.ts';
import type { BillingImportReport } from './import-journal.ts';
import { runImport } from './import-run.ts';
import type { SourceRow } from './import-run.ts';

/** The most rows one push may carry. */
export const MAX_PUSHED_ROWS = 10_000;

export interface PushedRejection {
  /** The row's index in the pushed array. */
  index: number;
  /** The row's problems in one English sentence. */
  reason: string;
}

export interface BillingRowsImportOptions {
  source?: 'http' | 'console';
  operator?: string | null;
}

export async function importBillingRows(
  db: Kysely<Database>,
  rows: readonly unknown[],
  options: BillingRowsImportOptions = {},
): Promise<BillingImportReport<PushedRejection>> {
  const started = await startImport(db, {
    source: options.source ?? 'http',
    fileName: null,
    operator: options.operator ?? null,
    contentSha256: null,
  });
  const tally = emptyTally();
  const sourceRows = rows.map((raw, index): SourceRow =>
    raw !== null && typeof raw === 'object' && !Array.isArray(raw)
      ? { line: index, raw: raw as RawBillingRow }
      : { line: index, problem: { code: 'not-an-object' } },
  );
  try {
    await runImport(db, started, sourceRows, tally, {
      batchSize: Math.min(Math.max(rows.length, 1), MAX_PUSHED_ROWS),
      position: 'index',
    });
  } catch (e) {
    await finishImport(db, started, tally, { code: 'internal', message: (e as Error).message }).catch(
      () => {},
    );
    throw e;
  }
  const { rejections, ...report } = await finishImport(db, started, tally);
  return {
    ...report,
    rejections: rejections.map((r) => ({ index: r.line, reason: r.reason })),
  };
}
