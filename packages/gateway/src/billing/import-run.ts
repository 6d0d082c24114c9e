// Reads raw rows, validates each, and applies the valid ones batch after batch, while the next batch
// is read and validated (so on PostgreSQL the parsing overlaps the database's work).
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { applyBatch } from './apply-rows.ts';
import type { NumberedRow } from './batch-plan.ts';
import { checkBillingRow } from './billing-row.ts';
import type { RawBillingRow } from './billing-row.ts';
import { addBatch, recordProgress } from './import-journal.ts';
import { reported } from './import-journal.ts';
import type { ImportTally, Rejection, ReportedRejection, StartedImport } from './import-journal.ts';
import type { RowProblem } from '../vocabulary/billing-reasons.ts';

/** A row from a source: raw values, or what makes the row unreadable. */
export type SourceRow =
  | { line: number; raw: RawBillingRow; problem?: undefined }
  | { line: number; raw?: undefined; problem: RowProblem };

export interface RunOptions {
  /** Rows applied per transaction. */
  batchSize: number;
  position: 'line' | 'index';
  /** Every rejection, in order, as soon as its batch is applied (the tally keeps only the first ones). */
  onRejection?: ((rejection: ReportedRejection) => void) | undefined;
}

/**
 * Applies every valid row and counts everything into `tally`. An error from the source (a file that
 * cannot be read further) propagates once the batch being applied is done; the rows read since are
 * not applied.
 */
export async function runImport(
  db: Kysely<Database>,
  started: StartedImport,
  rows: AsyncIterable<SourceRow> | Iterable<SourceRow>,
  tally: ImportTally,
  options: RunOptions,
): Promise<void> {
  const context = {
    importId: started.id,
    sameContentImports: started.sameContentImports,
    completedSameContent: started.completedSameContent,
    position: options.position,
  };
  const apply = async (batch: NumberedRow[], rejections: Rejection[], read: number) => {
    if (batch.length > 0) {
      const outcome = await applyBatch(db, batch, context);
      addBatch(tally, outcome);
      if (outcome.rejections.length > 0) {
        rejections = [...rejections, ...outcome.rejections].sort((a, b) => a.line - b.line);
      }
    }
    tally.read = read;
    tally.rejected += rejections.length;
    if (options.onRejection) for (const r of rejections) options.onRejection(reported(r));
    await recordProgress(db, started, tally, rejections);
  };

  let batch: NumberedRow[] = [];
  let rejections: Rejection[] = [];
  let read = 0;
  let applying: Promise<void> = Promise.resolve();
  try {
    for await (const source of rows) {
      read++;
      // Lets the driver take the database's answers for the batch being applied: reading and
      // validating a file chunk's rows would otherwise hold them for milliseconds.
      if (read % 64 === 0) await new Promise(setImmediate);
      if (source.problem !== undefined) {
        rejections.push({ line: source.line, problems: [source.problem] });
      } else {
        const check = checkBillingRow(source.raw);
        if (check.row) batch.push({ line: source.line, row: check.row });
        else rejections.push({ line: source.line, problems: check.problems });
      }
      if (batch.length >= options.batchSize) {
        await applying;
        applying = apply(batch, rejections, read);
        // Awaited before the next batch or at the end; until then, a failure must not count as unhandled.
        applying.catch(() => {});
        batch = [];
        rejections = [];
      }
    }
  } finally {
    await applying.catch(() => {});
  }
  await applying;
  if (batch.length > 0 || rejections.length > 0) await apply(batch, rejections, read);
}
