// The console's lists as CSV: streamed page by page (keyset batches, each a bounded console statement),
// so that 100,000 rows leave in constant memory; columns named in the reader's language; cells quoted
// as the history export quotes them (formulas defused). A UTF-8 byte-order mark lets spreadsheets read
// the accents.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { csvCell } from '../observability/history-export.ts';
import { MONTREAL_MINUTE } from './format.ts';

/** Rows fetched per statement while exporting. */
export const EXPORT_BATCH = 1_000;

/** A page of a keyset read: its rows, and the key to read the next one from (none at the end). */
export interface KeysetPage<R, K> {
  rows: R[];
  next: K | undefined;
}

/** Every row of a keyset-paged read, one page in memory at a time. */
export async function* allRows<R, K>(
  page: (after: K | undefined) => Promise<KeysetPage<R, K>>,
): AsyncGenerator<R> {
  let after: K | undefined;
  do {
    const p = await page(after);
    yield* p.rows;
    after = p.next;
  } while (after !== undefined);
}

async function* csvLines<R>(
  header: string[],
  rows: AsyncIterable<R> | Iterable<R>,
  cells: (row: R) => string[],
) {
  // The header leaves with the first rows (sendCsv reads them before answering).
  let batch: string[] = [`\uFEFF${header.map(csvCell).join(',')}\r\n`];
  for await (const row of rows) {
    batch.push(`${cells(row).map(csvCell).join(',')}\r\n`);
    if (batch.length >= EXPORT_BATCH) {
      yield batch.join('');
      batch = [];
    }
  }
  if (batch.length) yield batch.join('');
}

/**
 * Answers with the rows as CSV. The first batch is read before anything is sent, so that a store that
 * fails at once gets the console's error page rather than a cut download.
 */
export async function sendCsv<R>(
  reply: FastifyReply,
  fileName: string,
  header: string[],
  rows: AsyncIterable<R> | Iterable<R>,
  cells: (row: R) => string[],
): Promise<FastifyReply> {
  const lines = csvLines(header, rows, cells);
  const first = await lines.next();
  async function* rest() {
    if (!first.done) yield first.value;
    yield* lines;
  }
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(rest()));
}

const LOCAL = new Intl.DateTimeFormat('sv-SE', { ...MONTREAL_MINUTE, second: '2-digit' });

/** A moment as a spreadsheet reads it, in Montréal's time like the pages: 2026-12-07 17:14:03. */
export function csvMoment(d: Date | string | null | undefined): string {
  return d ? LOCAL.format(new Date(d)) : '';
}
