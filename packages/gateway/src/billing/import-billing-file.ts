// `import-billing <file.csv>`: imports a billing CSV file, records the import and reports it.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { BillingFileError, readBillingCsv } from './csv-source.ts';
import { emptyTally, finishImport, startImport } from './import-journal.ts';
import type { BillingImportReport, ReportedRejection } from './import-journal.ts';
import { runImport } from './import-run.ts';

/** Rows per transaction: big enough that round trips do not dominate, small enough to keep memory flat. */
export const FILE_BATCH_SIZE = 5000;

export interface BillingFileImportOptions {
  /** 'console' when an operator uploaded the file. */
  source?: 'csv' | 'console';
  /** The name recorded and logged; the path's last part by default. */
  fileName?: string;
  operator?: string | null;
  /** Every rejection in line order, as the import goes (the report lists only the first 1000). */
  onRejection?: (rejection: ReportedRejection) => void;
}

/**
 * Imports the file's valid rows and rejects the others (see docs/billing-import.md). Resolves with
 * the report also when the file cannot be used (exitCode 2); rejects only when the store fails.
 */
export async function importBillingFile(
  db: Kysely<Database>,
  path: string,
  options: BillingFileImportOptions = {},
): Promise<BillingImportReport> {
  const fileName = options.fileName ?? basename(path);
  let contentSha256: string | null = null;
  let unreadable: BillingFileError | undefined;
  try {
    contentSha256 = await sha256Of(path);
  } catch (e) {
    unreadable = new BillingFileError({ code: 'unreadable', fileName, message: (e as Error).message });
  }
  const started = await startImport(db, {
    source: options.source ?? 'csv',
    fileName,
    operator: options.operator ?? null,
    contentSha256,
  });
  const tally = emptyTally();
  try {
    if (unreadable) throw unreadable;
    const csv = await readBillingCsv(createReadStream(path));
    await runImport(db, started, csv.rows, tally, {
      batchSize: FILE_BATCH_SIZE,
      position: 'line',
      onRejection: options.onRejection,
    });
  } catch (e) {
    if (e instanceof BillingFileError) return finishImport(db, started, tally, e.problem);
    await finishImport(db, started, tally, { code: 'internal', message: (e as Error).message }).catch(
      () => {},
    );
    throw e;
  }
  return finishImport(db, started, tally);
}

/** Read once before importing, so that rows can be compared with earlier imports of the same content. */
async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
