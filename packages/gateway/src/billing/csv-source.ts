// A billing CSV file as raw rows numbered by their physical line (header = line 1), after its header
// has been checked. Problems of one line become that line's problem; problems of the file as a whole
// are a BillingFileError, raised before the first row for the header and when a line cannot be parsed.
import { Transform, pipeline } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from './billing-row.ts';
import type { BillingColumn, RawBillingRow } from './billing-row.ts';
import { importErrorCode } from '../vocabulary/billing-reasons.ts';
import type { ImportErrorCode, ImportProblem, RowProblem } from '../vocabulary/billing-reasons.ts';
import type { SourceRow } from './import-run.ts';
import { CUT_MARKER, LineLengthLimit } from './line-length-limit.ts';
import { importProblemText } from './reason-text.ts';

/** Longest line read; a longer one is rejected without ever being held in memory. */
export const MAX_LINE_BYTES = 64 * 1024;

export class BillingFileError extends Error {
  override name = 'BillingFileError';
  /** The short code the report gives. */
  readonly code: ImportErrorCode;
  constructor(readonly problem: ImportProblem) {
    super(importProblemText('en', problem));
    this.code = importErrorCode(problem);
  }
}

export interface BillingCsv {
  /** Every data row in file order; blank lines are skipped. */
  rows: AsyncGenerator<SourceRow>;
}

interface ParsedRecord {
  /** csv-parse's line count at the record's last line. */
  end: number;
  fields: string[];
}

// csv-parse gives a record's line only in a per-record info object that costs a third of the parse
// time; its running count, read as each record is pushed, is free.
class LineCountingParser extends Parser {
  /** Where the last record pushed ended; what the reader has taken may lag behind when parsing fails. */
  lastEnd = 0;

  override push(record: unknown): boolean {
    if (record === null) return super.push(null);
    this.lastEnd = this.info.lines;
    return super.push({ end: this.lastEnd, fields: record } as ParsedRecord);
  }
}

const KNOWN_COLUMNS: readonly BillingColumn[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** Opens the CSV and checks its header; throws a BillingFileError when the file cannot be used. */
export async function readBillingCsv(input: Readable): Promise<BillingCsv> {
  const records = numberedRecords(input);
  let header: { line: number; fields: string[] } | undefined;
  for (;;) {
    const next = await records.next();
    if (next.done) throw new BillingFileError({ code: 'empty' });
    if (!isBlank(next.value.fields)) {
      header = next.value;
      break;
    }
  }
  let columns: Array<[BillingColumn, number]>;
  try {
    columns = columnsOf(header.fields, header.line);
  } catch (e) {
    // Closes the file, which the parser holds open until the records are read to the end.
    await records.return(undefined);
    throw e;
  }
  return { rows: dataRows(records, columns, header.fields.length) };
}

async function* dataRows(
  records: AsyncGenerator<{ line: number; fields: string[] }>,
  columns: Array<[BillingColumn, number]>,
  width: number,
): AsyncGenerator<SourceRow> {
  for await (const { line, fields } of records) {
    if (isBlank(fields)) continue;
    const problem = lineProblem(fields, width);
    if (problem) {
      yield { line, problem };
    } else {
      const raw: RawBillingRow = {};
      for (const [column, index] of columns) raw[column] = fields[index];
      yield { line, raw };
    }
  }
}

function lineProblem(fields: string[], width: number): RowProblem | undefined {
  for (const field of fields) {
    if (field.includes(CUT_MARKER)) return { code: 'line-too-long', maxBytes: MAX_LINE_BYTES };
    if (field.includes('\uFFFD')) return { code: 'line-not-utf8' };
  }
  if (fields.length !== width) return { code: 'field-count', fields: fields.length, headerFields: width };
  return undefined;
}

function isBlank(fields: string[]): boolean {
  return fields.every((f) => f.trim() === '');
}

/** The known columns found in the header with their positions; unknown columns are ignored. */
function columnsOf(names: string[], line: number): Array<[BillingColumn, number]> {
  const joined = names.join(',');
  if (joined.includes(CUT_MARKER)) {
    throw new BillingFileError({ code: 'header-too-long', line, maxBytes: MAX_LINE_BYTES });
  }
  if (joined.includes('\u0000')) {
    throw new BillingFileError({ code: 'nul-bytes' });
  }
  if (joined.includes('\uFFFD')) {
    throw new BillingFileError({ code: 'header-not-utf8' });
  }
  const found = new Map<BillingColumn, number>();
  names.forEach((name, index) => {
    const column = name
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase() as BillingColumn;
    if (!KNOWN_COLUMNS.includes(column)) return;
    if (found.has(column)) throw new BillingFileError({ code: 'duplicate-column', column });
    found.set(column, index);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !found.has(c));
  if (missing.length > 0) {
    const separator = names.length === 1 ? [';', '\t', '|'].find((s) => joined.includes(s)) : undefined;
    throw new BillingFileError({
      code: 'missing-columns',
      columns: missing,
      separator: separator === undefined ? null : separator === '\t' ? 'tab' : separator,
    });
  }
  return [...found];
}

/** Records with the physical line they start on, counting CRLF, LF and CR each as one line break. */
async function* numberedRecords(input: Readable): AsyncGenerator<{ line: number; fields: string[] }> {
  const parser = new LineCountingParser({
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    // Each line is checked against the header by the source, which says which line is wrong.
    relax_column_count: true,
    // A stray quote inside an unquoted cell (ACME "Gas" Inc.) is kept as text rather than failing, and
    // so is a quoted cell with characters after its closing quote ("12"3 is the text "12"3).
    relax_quotes: true,
    // Blank lines still come through, so that every line is counted.
    skip_empty_lines: false,
    // Only reached by a quoted field running over many lines: single lines are cut shorter before.
    max_record_size: 2 * MAX_LINE_BYTES,
  });
  pipeline(input, new Utf16LeAsUtf8(), new LineLengthLimit(MAX_LINE_BYTES), parser, () => {});
  // csv-parse counts every CR and LF inside a quoted field as a line, so a CRLF there counts twice.
  let overcount = 0;
  let lastEnd = 0;
  try {
    for await (const { end, fields } of parser as AsyncIterable<ParsedRecord>) {
      // A record ending more than one line after the previous one holds line breaks in quoted fields.
      let counted = 0;
      let physical = 0;
      if (end - lastEnd > 1) {
        for (const f of fields) {
          counted += f.match(/[\r\n]/g)?.length ?? 0;
          physical += f.match(/\r\n|\r|\n/g)?.length ?? 0;
        }
      }
      yield { line: end - counted - overcount, fields };
      overcount += counted - physical;
      lastEnd = end;
    }
  } catch (e) {
    throw asFileError(e, parser.lastEnd + 1 - overcount);
  }
}

function asFileError(e: unknown, line: number): BillingFileError {
  if (e instanceof BillingFileError) return e;
  if (e instanceof CsvError) {
    return new BillingFileError(
      e.code === 'CSV_QUOTE_NOT_CLOSED'
        ? { code: 'unclosed-quote', line }
        : e.code === 'CSV_MAX_RECORD_SIZE'
          ? { code: 'quoted-field-too-long', line, maxBytes: 2 * MAX_LINE_BYTES }
          : { code: 'unparsable-line', line, message: e.message },
    );
  }
  return new BillingFileError({ code: 'unreadable', fileName: null, message: (e as Error).message });
}

/**
 * A file saved as UTF-16 LE (its byte order mark first) turned into UTF-8 before the lines are
 * measured: the line-length limit cuts bytes and appends a UTF-8 marker, which in UTF-16 text would
 * split a character and never be recognised, letting a cut line through as a garbled row.
 */
class Utf16LeAsUtf8 extends Transform {
  /** Undefined until the first two bytes are seen; null for a file that is not UTF-16 LE. */
  #decoder: TextDecoder | null | undefined;
  #start = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#decoder === undefined) {
      this.#start = Buffer.concat([this.#start, chunk]);
      if (this.#start.length < 2) return callback();
      chunk = this.#start;
      // The decoder drops the byte order mark.
      this.#decoder = chunk[0] === 0xff && chunk[1] === 0xfe ? new TextDecoder('utf-16le') : null;
    }
    this.push(this.#decoder ? Buffer.from(this.#decoder.decode(chunk, { stream: true }), 'utf8') : chunk);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#decoder === undefined && this.#start.length > 0) this.push(this.#start);
    if (this.#decoder) this.push(Buffer.from(this.#decoder.decode(), 'utf8'));
    callback();
  }
}
