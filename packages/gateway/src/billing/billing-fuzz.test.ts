// Fuzzed billing input: a seeded corpus of CSV files and JSON pushes made by breaking a valid file
// (columns, dates, volumes, overlaps, duplicates, encodings, huge fields, quotes, line ends, formula
// cells). Each is imported over a known stored dataset and checked against an oracle written here
// from docs/billing-import.md alone: the rejections and their lines, the rows that must be stored,
// nothing else changed, and nothing more changed by importing the same input again. The dataset is
// imported once through the importer and put back by SQL before each case, which keeps a few hundred
// cases within seconds. Formula cells are also checked in the history CSV the gateway writes out.
//
// Another corpus: BILLING_FUZZ_SEED=7 (and BILLING_FUZZ_FILES=2000 for a bigger one)
//   node --import tsx --test packages/gateway/src/billing/billing-fuzz.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { seededRandom } from '@gaz-espm/espm-simulator';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { markChangedMetersDue } from '../exchange/consumption/billing-reader.ts';
import { HISTORY_COLUMNS, historyCsv } from '../observability/history-export.ts';
import type { Database } from '../store/schema.ts';
import { forEachStore } from '../../test-support/test-store.ts';
import { importBillingFile } from './import-billing-file.ts';
import type { BillingImportReport } from './import-journal.ts';
import { billingIngestPlugin } from './ingest-plugin.ts';
import { importProblemText } from './reason-text.ts';
import { readImportProblem } from './stored-reasons.ts';

const SEED = Number(process.env.BILLING_FUZZ_SEED ?? 20261128) >>> 0;
/** Files of the corpus besides the few big ones; more with BILLING_FUZZ_FILES. */
const SMALL_FILES = Number(process.env.BILLING_FUZZ_FILES ?? 240);
const PUSHES = 64;
const MAX_LINE = 64 * 1024;
const TOKEN = 'billing-fuzz-token-of-some-length';

class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

// ---------------------------------------------------------------------------------------------
// The documented format, written again here so that the oracle does not share the importer's code.

/** The required columns in the documented order, each with the kind of value it holds. */
const REQUIRED_KINDS = {
  account_number: 'identifier',
  invoice_number: 'identifier',
  invoice_date: 'date',
  meter_number: 'identifier',
  period_start: 'date',
  period_end: 'date',
  volume_m3: 'amount',
} as const;
const REQUIRED = Object.keys(REQUIRED_KINDS) as Array<keyof typeof REQUIRED_KINDS>;
const OPTIONAL = ['cost', 'estimated', 'rng_percent', 'status'] as const;
const COLUMNS = [...REQUIRED, ...OPTIONAL];
type Column = (typeof COLUMNS)[number];
const DATE_COLUMNS: readonly Column[] = REQUIRED.filter((c) => REQUIRED_KINDS[c] === 'date');
const ID_COLUMNS: readonly Column[] = REQUIRED.filter((c) => REQUIRED_KINDS[c] === 'identifier');

interface Row {
  account: string;
  invoice: string;
  invoiceDate: string;
  meter: string;
  start: string;
  end: string;
  volume: string;
  cost: string | null;
  estimated: boolean;
  rng: string | null;
  status: 'billed' | 'cancelled';
}

function realDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  return y >= 1 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function decimalOk(v: string, scale: number, intDigits: number, signed: boolean, max?: number): boolean {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(v);
  if (!m) return false;
  if (m[1] && !signed) return false;
  if ((m[3]?.length ?? 0) > scale) return false;
  if (m[2]!.replace(/^0+/, '').length > intDigits) return false;
  return max === undefined || Number(v) <= max;
}

/** A cell as typed: text, or (JSON) a number, boolean, object… */
type Cell = unknown;

/** The columns with a problem, or the row. */
function validate(cells: Partial<Record<Column, Cell>>): { row: Row } | { bad: string[] } {
  const bad: string[] = [];
  const text = (c: Column, numbers: boolean): string | undefined | null => {
    const v = cells[c];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && numbers) return String(v);
    if (typeof v !== 'string') {
      bad.push(c);
      return null;
    }
    return v.trim() === '' ? undefined : v.trim();
  };
  const req = (c: Column, ok: (v: string) => boolean): string => {
    const v = text(c, false);
    if (v === undefined) bad.push(c);
    else if (v !== null && !ok(v)) bad.push(c);
    return v ?? '';
  };
  const account = req('account_number', (v) => /^\d{10,11}$/.test(v));
  const invoice = req('invoice_number', (v) => /^\d{12}$/.test(v));
  const invoiceDate = req('invoice_date', realDate);
  const meter = req('meter_number', (v) => /^[A-Za-z0-9]{7,18}$/.test(v));
  const start = req('period_start', realDate);
  const end = req('period_end', realDate);
  const volumeText = text('volume_m3', true);
  if (volumeText === undefined || (volumeText !== null && !decimalOk(volumeText, 3, 11, false))) {
    bad.push('volume_m3');
  }
  const cost = text('cost', true);
  if (cost && !decimalOk(cost, 2, 12, true)) bad.push('cost');
  const rng = text('rng_percent', true);
  if (rng && !decimalOk(rng, 2, 3, false, 100)) bad.push('rng_percent');
  const est = cells.estimated;
  let estimated = false;
  if (typeof est === 'boolean') estimated = est;
  else if (est !== undefined && est !== null) {
    const e = (typeof est === 'string' ? est.trim() : JSON.stringify(est)).toLowerCase();
    if (e === 'true') estimated = true;
    else if (e !== '' && e !== 'false') bad.push('estimated');
  }
  const status = text('status', false);
  if (status && !['billed', 'cancelled'].includes(status.toLowerCase())) bad.push('status');
  if (realDate(start) && realDate(end) && end < start) bad.push('period_end');
  if (bad.length > 0) return { bad };
  return {
    row: {
      account,
      invoice,
      invoiceDate,
      meter,
      start,
      end,
      volume: volumeText!,
      cost: cost ?? null,
      estimated,
      rng: rng ?? null,
      status: status ? (status.toLowerCase() as Row['status']) : 'billed',
    },
  };
}

/** Decimal text as a canonical number text: 251.000 and 0251 are 251. */
function dec(v: string | null): string | null {
  if (v === null) return null;
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(v)!;
  const int = m[2]!.replace(/^0+(?=\d)/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return out === '0' ? '0' : `${m[1]}${out}`;
}

interface StoredPeriod {
  meter: string;
  start: string;
  end: string;
  account: string;
  invoice: string;
  volume: string;
  cost: string | null;
  estimated: boolean;
  rng: string | null;
  status: string;
  revision: number;
  importId: number | null;
  importLine: number | null;
  updatedAt: string;
}

interface Snapshot {
  periods: StoredPeriod[];
  invoices: string[];
  dueLinks: number[];
}

/** A row as the oracle sees it: the line (or index) and its cells, or a problem of the whole line. */
interface OracleInput {
  line: number;
  cells?: Partial<Record<Column, Cell>>;
  problem?: 'width' | 'utf8' | 'long';
}

interface Expectation {
  /** Each rejected line (or index) with words its reason must contain. */
  rejections: Map<number, string[]>;
  inserted: number;
  updated: number;
  cancelled: number;
  unchanged: number;
  replaced: number;
  read: number;
  /** The periods written, by `meter start`, with the line that wrote them. */
  periods: Map<string, { row: Row; line: number; revision: number }>;
  /** Every invoice recorded afterwards, as `number account date`. */
  invoices: Set<string>;
  /** Meters whose accepted links must be due for a sync. */
  touched: Set<string>;
}

const LINE_PROBLEM = {
  width: 'fields where the header has',
  utf8: 'not valid UTF-8',
  long: 'longer than 65536 bytes',
} as const;

/** What the documented rules make of these rows over the stored data. */
function oracle(stored: Snapshot, inputs: OracleInput[]): Expectation {
  const x: Expectation = {
    rejections: new Map(),
    inserted: 0,
    updated: 0,
    cancelled: 0,
    unchanged: 0,
    replaced: 0,
    read: inputs.length,
    periods: new Map(),
    invoices: new Set(stored.invoices),
    touched: new Set(),
  };
  const storedByKey = new Map(stored.periods.map((p) => [`${p.meter} ${p.start}`, p]));
  const invoices = new Map(
    stored.invoices.map((i) => {
      const [n, a, d] = i.split(' ');
      return [n!, { account: a!, date: d! }];
    }),
  );
  const byMeter = new Map<string, Map<string, { end: string; billed: boolean }>>();
  const meterPeriods = (m: string) => {
    let p = byMeter.get(m);
    if (!p) {
      p = new Map();
      for (const s of stored.periods) {
        if (s.meter === m) p.set(s.start, { end: s.end, billed: s.status === 'billed' });
      }
      byMeter.set(m, p);
    }
    return p;
  };
  const last = new Map<string, { row: Row; line: number }>();
  for (const input of inputs) {
    if (input.problem) {
      x.rejections.set(input.line, [LINE_PROBLEM[input.problem]]);
      continue;
    }
    const checked = validate(input.cells!);
    if ('bad' in checked) {
      x.rejections.set(input.line, checked.bad);
      continue;
    }
    const { row } = checked;
    const recorded = invoices.get(row.invoice);
    if (recorded && (recorded.account !== row.account || recorded.date !== row.invoiceDate)) {
      x.rejections.set(input.line, ['already recorded']);
      continue;
    }
    const periods = meterPeriods(row.meter);
    if (row.status === 'billed') {
      let overlaps = false;
      for (const [start, other] of periods) {
        if (!other.billed || start === row.start) continue;
        const lastShared = other.end < row.end ? other.end : row.end;
        const firstShared = start > row.start ? start : row.start;
        if (lastShared > firstShared) overlaps = true;
      }
      if (overlaps) {
        x.rejections.set(input.line, ['overlaps']);
        continue;
      }
    }
    if (!recorded) {
      invoices.set(row.invoice, { account: row.account, date: row.invoiceDate });
      x.invoices.add(`${row.invoice} ${row.account} ${row.invoiceDate}`);
    }
    periods.set(row.start, { end: row.end, billed: row.status === 'billed' });
    const key = `${row.meter} ${row.start}`;
    if (last.has(key)) x.replaced++;
    last.set(key, { row, line: input.line });
  }
  for (const [key, { row, line }] of last) {
    const before = storedByKey.get(key);
    if (before && samePeriod(row, before)) {
      x.unchanged++;
      continue;
    }
    if (row.status === 'cancelled' && before?.status !== 'cancelled') x.cancelled++;
    else if (!before) x.inserted++;
    else x.updated++;
    if (row.status === 'billed' || before?.status === 'billed') x.touched.add(row.meter);
    x.periods.set(key, { row, line, revision: (before?.revision ?? 0) + 1 });
  }
  return x;
}

function samePeriod(row: Row, p: StoredPeriod): boolean {
  return contentOf(row) === contentOf(p);
}

/** What a period of a meter says beyond its start, decimals by their value. */
function contentOf(p: Row | StoredPeriod): string {
  return JSON.stringify([
    p.end,
    p.account,
    p.invoice,
    p.status,
    p.estimated,
    dec(p.volume),
    dec(p.cost),
    dec(p.rng),
  ]);
}

// ---------------------------------------------------------------------------------------------
// The data: a stored history of six meters, and a valid next file to break.

const METERS = [
  { meter: '2222222', account: '11111111111' },
  { meter: 'A1B2C3D4E5', account: '2222222222' },
  { meter: '000123456789012345', account: '03333333333' },
  { meter: 'm7x9q2z', account: '4444444444' },
  { meter: 'GAZ0000001', account: '55555555555' },
  { meter: 'QC12345678', account: '66666666666' },
];

function iso(y: number, m: number, d: number): string {
  return new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
}

function monthRow(i: number, month: number, patch: Partial<Record<Column, string>> = {}) {
  const { meter, account } = METERS[i]!;
  // Odd meters' periods share their last day with the next one, as ESPM allows.
  const end = i % 2 === 1 ? iso(2023, month + 1, 1) : iso(2023, month + 1, 0);
  const row: Record<Column, string> = {
    account_number: account,
    invoice_number: String(100_000_000_000 + i * 1000 + month),
    invoice_date: iso(2023, month + 1, 5),
    meter_number: meter,
    period_start: iso(2023, month, 1),
    period_end: end,
    volume_m3: `${100 + i * 10 + month}.5`,
    cost: month % 2 === 0 ? `${50 + month}.25` : '',
    estimated: month === 3 ? 'true' : 'false',
    rng_percent: i === 4 ? '5' : '',
    status: i === 2 && month === 2 ? 'cancelled' : 'billed',
  };
  return { ...row, ...patch };
}

const BASE_ROWS = METERS.flatMap((_, i) => [1, 2, 3, 4].map((m) => monthRow(i, m)));

/** The next file: restated, corrected, new and cancelled periods, all valid. */
function incomingRows(): Array<Record<string, string>> {
  const rows: Array<Record<string, string>> = [];
  METERS.forEach((_, i) => {
    rows.push(monthRow(i, 4));
    rows.push(monthRow(i, 3, { volume_m3: `${200 + i}` }));
    rows.push(monthRow(i, 5));
    rows.push(monthRow(i, 6));
  });
  rows.push(monthRow(0, 9, { status: 'cancelled' }));
  rows.push(monthRow(3, 2, { status: 'cancelled' }));
  return rows;
}

// ---------------------------------------------------------------------------------------------
// A CSV file as records, written out with the chosen line ends and encoding. Marks inside cells
// stand for what a string cannot hold and move with their cell when columns move.

/** Replaced by the bytes INVALID_UTF8[k] when written. */
const invalidMark = (k: number) => String.fromCharCode(0xe010 + k);
/** At a cell's start in an unquoted record: a quote opened and never closed. */
const OPEN_QUOTE = '\ue001';

const INVALID_UTF8 = [
  [0xc0, 0xaf],
  [0x80],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xff],
];

interface CsvRecord {
  cells: string[];
  /** Cells joined as they are, by `separator` (a comma): a stray quote stays in its cell. */
  unquoted?: boolean;
  separator?: string;
  /** Written in Windows-1252 rather than UTF-8. */
  cp1252?: boolean;
  /** What the reader must make of the whole line; 'long' is found when the file is written. */
  problem?: 'utf8' | 'long';
  /** Broken by a mutation already: not picked by another. */
  used?: boolean;
}

type Eol = 'lf' | 'crlf' | 'cr' | 'mixed';

interface CsvModel {
  header: CsvRecord | null;
  /** Blank lines before the header. */
  leading: number;
  records: CsvRecord[];
  eol: Eol;
  finalEol: boolean;
  encoding: 'utf8' | 'utf8-bom' | 'utf16le-bom';
}

interface CsvCase {
  name: string;
  model: CsvModel;
  /** What the generator knows the whole file must come to; checked against the oracle. */
  refused?: string;
  /** The record whose line an unparsable file must be stopped at. */
  stopsAt?: CsvRecord;
  /** The records broken on purpose, with words their rejection must contain. */
  broken: Map<CsvRecord, string[]>;
  /** Written as is instead of the model (encodings the model does not write). */
  bytes?: Buffer;
  big?: boolean;
}

function quoteIfNeeded(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function recordText(r: CsvRecord): string {
  if (!r.unquoted) return r.cells.map(quoteIfNeeded).join(',');
  return r.cells.map((c) => (c.startsWith(OPEN_QUOTE) ? `"${c.slice(1)}` : c)).join(r.separator ?? ',');
}

function recordBytes(r: CsvRecord): Buffer {
  const text = recordText(r);
  let bytes = r.cp1252
    ? Buffer.from(
        text.replace(/[€“”–]/g, (c) => ({ '€': '\x80', '“': '\x93', '”': '\x94', '–': '\x96' })[c]!),
        'latin1',
      )
    : Buffer.from(text, 'utf8');
  INVALID_UTF8.forEach((seq, k) => {
    const mark = Buffer.from(invalidMark(k), 'utf8');
    for (let at = bytes.indexOf(mark); at !== -1; at = bytes.indexOf(mark)) {
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(seq), bytes.subarray(at + mark.length)]);
    }
  });
  return bytes;
}

function breaksIn(r: CsvRecord): number {
  return r.unquoted ? 0 : r.cells.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
}

/** The file's bytes and each record's first line, the header's first when there is one. */
function writeCsv(model: CsvModel, rnd: Random): { bytes: Buffer; lines: number[] } {
  const all = [
    ...Array.from({ length: model.leading }, (): CsvRecord => ({ cells: [''] })),
    ...(model.header ? [model.header] : []),
    ...model.records,
  ];
  const parts: Buffer[] = [];
  const lines: number[] = [];
  let line = 1;
  let previous = '';
  const utf16 = model.encoding === 'utf16le-bom';
  all.forEach((r, i) => {
    const content = recordBytes(r);
    lines.push(line);
    let eol = { lf: '\n', crlf: '\r\n', cr: '\r', mixed: rnd.pick(['\n', '\r\n', '\r']) }[model.eol];
    // A blank line after a lone CR would make a CRLF: one line break where two were meant.
    if (previous === '\r' && content.length === 0 && eol.startsWith('\n')) eol = '\r';
    if (i === all.length - 1 && !model.finalEol) eol = '';
    previous = eol;
    if (!r.problem && breaksIn(r) === 0 && content.length * (utf16 ? 2 : 1) > MAX_LINE) r.problem = 'long';
    parts.push(content, Buffer.from(eol, 'utf8'));
    line += 1 + breaksIn(r);
  });
  let bytes = Buffer.concat(parts);
  if (model.encoding === 'utf8-bom') bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
  if (utf16) {
    bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]);
  }
  return { bytes, lines: lines.slice(model.leading) };
}

function isBlank(r: CsvRecord): boolean {
  return !r.problem && !r.unquoted && r.cells.every((c) => c.trim() === '');
}

/** The oracle's view of a written model: refused, or the data rows with their lines and cells. */
function csvInputs(model: CsvModel, lines: number[]): { refused?: string; inputs: OracleInput[] } {
  const records = model.header ? [model.header, ...model.records] : model.records;
  const headerAt = records.findIndex((r) => !isBlank(r));
  const header = records[headerAt];
  if (!header) return { refused: 'empty', inputs: [] };
  if (header.problem === 'long') return { refused: 'unparsable', inputs: [] };
  if (header.cells.some((c) => c.includes('\u0000'))) return { refused: 'not-text', inputs: [] };
  if (header.problem === 'utf8') return { refused: 'not-utf8', inputs: [] };
  const positions = new Map<Column, number>();
  for (const [index, name] of header.cells.entries()) {
    const column = name
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase() as Column;
    if (!COLUMNS.includes(column)) continue;
    if (positions.has(column)) return { refused: 'duplicate-column', inputs: [] };
    positions.set(column, index);
  }
  if (REQUIRED.some((c) => !positions.has(c))) return { refused: 'missing-columns', inputs: [] };
  // A quoted cell over several lines is held whole, up to twice the longest line.
  const tooTall = (r: CsvRecord) => breaksIn(r) > 0 && Buffer.byteLength(recordText(r)) > 2 * MAX_LINE;
  if (records.some((r) => tooTall(r) || r.cells.some((c) => c.startsWith(OPEN_QUOTE)))) {
    return { refused: 'unparsable', inputs: [] };
  }
  const inputs: OracleInput[] = [];
  for (let i = headerAt + 1; i < records.length; i++) {
    const r = records[i]!;
    if (isBlank(r)) continue;
    const line = lines[i]!;
    if (r.problem) inputs.push({ line, problem: r.problem });
    else if (r.cells.length !== header.cells.length) inputs.push({ line, problem: 'width' });
    else inputs.push({ line, cells: Object.fromEntries([...positions].map(([c, at]) => [c, r.cells[at]])) });
  }
  return { inputs };
}

// ---------------------------------------------------------------------------------------------
// Breaking things.

const BAD_DATES = ['2023-02-30', '23-01-01', '2023/01/01', 'text', '2023-13-01', '2023-00-10', '2023-1-5'];
const OTHER_DATES = [
  '',
  '20230101',
  '2023-02-29',
  '1900-02-29',
  '2023-04-31',
  '0000-01-01',
  '２０２３-01-01',
  ' 2023-01-01 ',
  '2024-02-29',
  '2000-02-29',
  '9999-12-31',
];
const BAD_VOLUMES = [
  '-1',
  'abc',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  '1E-2',
  '1,5',
  '12.3456',
  '+5',
  '0x1F',
];
const OTHER_VOLUMES = [
  '',
  '123456789012.5',
  '99999999999999',
  '1.',
  '.5',
  '--1',
  '1 000',
  '１２',
  '-0',
  '1_000',
  ' 42 ',
  '0',
  '0.000',
  '00012.5',
  '99999999999.999',
  '7.125',
];
const OTHER_VALUES: Record<'cost' | 'rng_percent' | 'estimated' | 'status', string[]> = {
  cost: ['-12.50', '1,5', '12.345', 'abc', '1e2', '9999999999999', '-0.01', '$12', '999999999999.99'],
  rng_percent: ['101', '100', '100.00', '100.01', '-1', '50.555', 'abc', '0', '5,5'],
  estimated: ['yes', 'TRUE', 'False', '1', '0', '', ' true '],
  status: ['void', 'CANCELLED', 'Billed', '', 'canceled', 'cancelled '],
};
const BAD_IDENTIFIERS: Record<string, string[]> = {
  account_number: ['123', '123456789012', '1111111111A', '11111 11111', ''],
  invoice_number: ['12345678901', '1234567890123', '12345678901a', '1234567890.5'],
  meter_number: ['123456', '1234567890123456789', 'ABC-1234', 'abc 1234', 'ÄBCDEFGH'],
};
const FORMULAS = [
  '=SUM(A1)',
  '+1',
  '-1',
  '@cmd',
  '=HYPERLINK("http://example.invalid/x","clic")',
  '\t=1+1',
  '\r=1+1',
  '=1+1',
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(1)',
];
const ACCENTED = ['Société Gazière du Québec', 'Coût € “estimé”', 'Montréal – Saint-Jérôme'];

function modelOf(rows: Array<Record<string, string>>): CsvModel {
  return {
    header: { cells: [...COLUMNS] },
    leading: 0,
    records: rows.map((r) => ({ cells: COLUMNS.map((c) => r[c] ?? '') })),
    eol: 'lf',
    finalEol: true,
    encoding: 'utf8',
  };
}

function col(m: CsvModel, c: string): number {
  return m.header!.cells.indexOf(c);
}

function noteColumn(m: CsvModel): number {
  const at = col(m, 'note');
  if (at !== -1) return at;
  m.header!.cells.push('note');
  for (const r of m.records) r.cells.push('note');
  return m.header!.cells.length - 1;
}

function day(date: string, days: number): string {
  return new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A record to break: one no other mutation broke, written plainly on one line. */
function victim(m: CsvModel, rnd: Random): CsvRecord {
  const width = m.header!.cells.length;
  const plain = m.records.filter(
    (r) =>
      !r.used &&
      !r.unquoted &&
      !r.cp1252 &&
      !r.problem &&
      r.cells.length === width &&
      !r.cells.some((c) => /[\r\n"]/.test(c)),
  );
  const r = plain.length > 0 ? rnd.pick(plain) : rnd.pick(m.records);
  r.used = true;
  return r;
}

/** A copy of a valid row, placed at random after `after` (or anywhere). */
function insertCopy(m: CsvModel, rnd: Random, of: CsvRecord, after = -1): CsvRecord {
  const copy: CsvRecord = { cells: [...of.cells], used: true };
  const from = after + 1;
  m.records.splice(from + rnd.int(m.records.length - from + 1), 0, copy);
  return copy;
}

type Mutation = (m: CsvModel, rnd: Random, broken: Map<CsvRecord, string[]>) => void;

const NEEDS_NOTE = new Set([
  'formula in an ignored column',
  'Windows-1252 text',
  'UTF-8 accented text',
  'quoted cells, some over several lines',
  'long line',
]);

const ROW_MUTATIONS: Record<string, Mutation> = {
  'bad date': (m, rnd, broken) => {
    const r = victim(m, rnd);
    const c = rnd.pick(DATE_COLUMNS);
    r.cells[col(m, c)] = rnd.pick(BAD_DATES);
    broken.set(r, [c]);
  },
  'other dates': (m, rnd) => {
    victim(m, rnd).cells[col(m, rnd.pick(DATE_COLUMNS))] = rnd.pick(OTHER_DATES);
  },
  'end before start': (m, rnd, broken) => {
    const r = victim(m, rnd);
    r.cells[col(m, 'period_end')] = day(r.cells[col(m, 'period_start')]!, -1 - rnd.int(40));
    broken.set(r, ['period_end']);
  },
  'zero-length period': (m, rnd) => {
    const r = victim(m, rnd);
    r.cells[col(m, 'period_end')] = r.cells[col(m, 'period_start')]!;
  },
  'bad volume': (m, rnd, broken) => {
    const r = victim(m, rnd);
    r.cells[col(m, 'volume_m3')] = rnd.pick(BAD_VOLUMES);
    broken.set(r, ['volume_m3']);
  },
  'other volumes': (m, rnd) => {
    victim(m, rnd).cells[col(m, 'volume_m3')] = rnd.pick(OTHER_VOLUMES);
  },
  'other amounts and words': (m, rnd) => {
    const c = rnd.pick(OPTIONAL);
    victim(m, rnd).cells[col(m, c)] = rnd.pick(OTHER_VALUES[c]);
  },
  'bad identifier': (m, rnd, broken) => {
    const r = victim(m, rnd);
    const c = rnd.pick(ID_COLUMNS);
    r.cells[col(m, c)] = rnd.pick(BAD_IDENTIFIERS[c]!);
    broken.set(r, [c]);
  },
  'formula cell': (m, rnd, broken) => {
    const r = victim(m, rnd);
    const c = rnd.pick(COLUMNS);
    const v = rnd.pick(FORMULAS);
    r.cells[col(m, c)] = v;
    // A credit of -1 is a valid cost; every other column refuses every one of these.
    if (!(c === 'cost' && v === '-1')) broken.set(r, [c]);
  },
  'formula in an ignored column': (m, rnd) => {
    victim(m, rnd).cells[noteColumn(m)] = rnd.pick(FORMULAS);
  },
  overlap: (m, rnd) => {
    const of = victim(m, rnd);
    const copy = insertCopy(m, rnd, of);
    const start = day(of.cells[col(m, 'period_start')]!, rnd.int(50) - 25);
    copy.cells[col(m, 'period_start')] = start;
    copy.cells[col(m, 'period_end')] = day(start, rnd.int(40));
    copy.cells[col(m, 'invoice_number')] = String(700_000_000_000 + rnd.int(1_000_000));
  },
  'exact duplicate': (m, rnd) => {
    const of = victim(m, rnd);
    insertCopy(m, rnd, of, m.records.indexOf(of));
  },
  'conflicting duplicate': (m, rnd) => {
    const of = victim(m, rnd);
    const copy = insertCopy(m, rnd, of, m.records.indexOf(of));
    const change = rnd.int(4);
    if (change === 0) copy.cells[col(m, 'volume_m3')] = String(rnd.int(900));
    if (change === 1) copy.cells[col(m, 'status')] = rnd.pick(['cancelled', 'billed']);
    if (change === 2)
      copy.cells[col(m, 'period_end')] = day(copy.cells[col(m, 'period_end')]!, rnd.int(40) - 20);
    if (change === 3) copy.cells[col(m, 'invoice_number')] = String(800_000_000_000 + rnd.int(1_000_000));
  },
  'overlap, then the earlier row corrected': (m, rnd) => {
    // Whether the overlap is found depends on a row that a later one replaces.
    const of = victim(m, rnd);
    const start = of.cells[col(m, 'period_start')]!;
    const end = of.cells[col(m, 'period_end')]!;
    const overlapping = insertCopy(m, rnd, of, m.records.indexOf(of));
    overlapping.cells[col(m, 'period_start')] = day(end, -5);
    overlapping.cells[col(m, 'period_end')] = day(end, 20);
    overlapping.cells[col(m, 'invoice_number')] = String(600_000_000_000 + rnd.int(1_000_000));
    const shorter = insertCopy(m, rnd, of, m.records.indexOf(overlapping));
    shorter.cells[col(m, 'period_end')] = day(start, 10);
  },
  'overlap, then the stored period cancelled': (m, rnd) => {
    // Rejected for overlapping a period that a later line of the same file withdraws.
    const of = victim(m, rnd);
    const overlapping: CsvRecord = { cells: [...of.cells], used: true };
    m.records.splice(rnd.int(m.records.indexOf(of) + 1), 0, overlapping);
    const start = day(of.cells[col(m, 'period_start')]!, 1 + rnd.int(5));
    overlapping.cells[col(m, 'period_start')] = start;
    overlapping.cells[col(m, 'period_end')] = day(start, 5 + rnd.int(10));
    overlapping.cells[col(m, 'invoice_number')] = String(500_000_000_000 + rnd.int(1_000_000));
    of.cells[col(m, 'status')] = 'cancelled';
  },
  'invoice of another account or date': (m, rnd, broken) => {
    const of = victim(m, rnd);
    const copy: CsvRecord = { cells: [...of.cells], used: true };
    m.records.push(copy);
    copy.cells[col(m, 'meter_number')] = `NEW${rnd.int(1e6)}X`;
    if (rnd.chance(0.5)) copy.cells[col(m, 'account_number')] = '99999999999';
    else copy.cells[col(m, 'invoice_date')] = '2020-01-01';
    broken.set(copy, ['already recorded']);
  },
  'too few or too many cells': (m, rnd, broken) => {
    const r = victim(m, rnd);
    if (rnd.chance(0.5)) r.cells.pop();
    else r.cells.push('extra');
    broken.set(r, [LINE_PROBLEM.width]);
  },
  'blank lines': (m, rnd) => {
    const width = m.header!.cells.length;
    const blank = rnd.pick([[''], Array<string>(width).fill(''), [' ', '\t']]);
    m.records.splice(rnd.int(m.records.length + 1), 0, { cells: blank, used: true });
  },
  'Windows-1252 text': (m, rnd, broken) => {
    const at = noteColumn(m);
    const r = victim(m, rnd);
    r.cells[at] = rnd.pick(ACCENTED);
    r.cp1252 = true;
    r.problem = 'utf8';
    broken.set(r, [LINE_PROBLEM.utf8]);
  },
  'UTF-8 accented text': (m, rnd) => {
    victim(m, rnd).cells[noteColumn(m)] = rnd.pick(ACCENTED);
  },
  'invalid UTF-8 sequence': (m, rnd, broken) => {
    const r = victim(m, rnd);
    const c = rnd.int(r.cells.length);
    r.cells[c] = `${r.cells[c]}${invalidMark(rnd.int(INVALID_UTF8.length))}`;
    r.problem = 'utf8';
    broken.set(r, [LINE_PROBLEM.utf8]);
  },
  'NUL byte': (m, rnd, broken) => {
    const r = victim(m, rnd);
    const c = rnd.pick(COLUMNS);
    const cell = r.cells[col(m, c)]!;
    r.cells[col(m, c)] = rnd.chance(0.5) ? `${cell}\u0000` : `\u0000${cell}`;
    broken.set(r, [c]);
  },
  'stray quote': (m, rnd, broken) => {
    const r = victim(m, rnd);
    const c = rnd.pick(['volume_m3', 'period_start', 'meter_number'] as const);
    const cell = r.cells[col(m, c)]!;
    r.cells[col(m, c)] = `${cell.slice(0, 2)}"${cell.slice(2)}`;
    r.unquoted = true;
    broken.set(r, [c]);
  },
  'quoted cells, some over several lines': (m, rnd) => {
    const at = noteColumn(m);
    for (let k = 0; k < 3; k++) {
      victim(m, rnd).cells[at] = rnd.pick([
        'a "quoted" word',
        'one,two',
        'first line\nsecond line',
        'crlf\r\ninside',
        'cr\ronly',
        'three\n\nlines',
        '\n',
        '\r\n\r\n',
      ]);
    }
  },
  'long line': (m, rnd, broken) => {
    const at = noteColumn(m);
    const r = victim(m, rnd);
    const others = Buffer.byteLength(recordText(r)) - Buffer.byteLength(r.cells[at]!);
    // Around the limit: 65,536 bytes are read, one more is not.
    const target = rnd.pick([MAX_LINE - 1, MAX_LINE, MAX_LINE + 1, MAX_LINE + 5000]);
    r.cells[at] = 'x'.repeat(target - others);
    if (target > MAX_LINE) broken.set(r, [LINE_PROBLEM.long]);
  },
  'text after a closing quote': (m, rnd, broken) => {
    // Read as a cell of text, quotes and all (csv-parse's relax_quotes), not as the end of the file.
    const r = victim(m, rnd);
    const c = rnd.int(r.cells.length);
    r.cells = r.cells.map((cell) => cell.replace(/["\r\n,]/g, ''));
    r.cells[c] = `"${r.cells[c] || 'v'}"x`;
    r.unquoted = true;
    const column = m.header!.cells[c] as Column;
    if (COLUMNS.includes(column)) broken.set(r, [column]);
  },
  'padded cells': (m, rnd) => {
    const r = victim(m, rnd);
    const at = col(m, rnd.pick(COLUMNS));
    r.cells[at] = ` \t${r.cells[at]}  `;
  },
};

interface FileMutationResult {
  refused?: string;
  stopsAt?: CsvRecord;
  /** Leaves the rows as the row mutations made them: their expected rejections still hold. */
  neutral?: boolean;
}

const FILE_MUTATIONS: Record<string, (m: CsvModel, rnd: Random) => FileMutationResult> = {
  'missing required column': (m, rnd) => {
    dropColumn(m, rnd.pick(REQUIRED));
    return { refused: 'missing-columns' };
  },
  'missing optional column': (m, rnd) => {
    dropColumn(m, rnd.pick(OPTIONAL));
    return {};
  },
  'extra column': (m, rnd) => {
    m.header!.cells.push(rnd.pick(['extra', 'Commentaire', 'note2']));
    const fill = rnd.pick(['x', '', '=1+1', 'Montréal']);
    for (const r of m.records) r.cells.push(fill);
    return {};
  },
  'renamed column': (m, rnd) => {
    const c = rnd.pick(COLUMNS);
    m.header!.cells[col(m, c)] = rnd.pick([
      c.toUpperCase(),
      ` ${c} `,
      c.replace('_', '-'),
      c.replace('_', ' '),
      `${c}s`,
      c.split('_')[0]!,
    ]);
    return {};
  },
  'reordered columns': (m, rnd) => {
    const width = m.header!.cells.length;
    const order = rnd.shuffle(m.header!.cells.map((_, i) => i));
    m.header!.cells = order.map((i) => m.header!.cells[i]!);
    for (const r of m.records) if (r.cells.length === width) r.cells = order.map((i) => r.cells[i]!);
    return { neutral: true };
  },
  'duplicated column': (m, rnd) => {
    const c = rnd.pick([...COLUMNS, 'note']);
    const at = c === 'note' ? noteColumn(m) : col(m, c);
    m.header!.cells.push(rnd.chance(0.5) ? c.toUpperCase() : c);
    for (const r of m.records) r.cells.push(r.cells[at] ?? '');
    return c === 'note' ? {} : { refused: 'duplicate-column' };
  },
  'no header': (m) => {
    m.header = null;
    return { refused: 'missing-columns' };
  },
  'header only': (m) => {
    m.records = [];
    return {};
  },
  'semicolons or tabs': (m, rnd) => {
    const separator = rnd.pick([';', '\t']);
    m.header = { cells: [m.header!.cells.join(separator)] };
    for (const r of m.records) Object.assign(r, { unquoted: true, separator });
    return { refused: 'missing-columns' };
  },
  'header not UTF-8': (m) => {
    m.header!.cells.push('Société');
    m.header!.cp1252 = true;
    m.header!.problem = 'utf8';
    for (const r of m.records) r.cells.push('');
    return { refused: 'not-utf8' };
  },
  'NUL in the header': (m) => {
    m.header!.cells[0] = `${m.header!.cells[0]}\u0000`;
    return { refused: 'not-text' };
  },
  'line ends': (m, rnd) => {
    m.eol = rnd.pick(['crlf', 'cr', 'mixed'] as const);
    m.finalEol = rnd.chance(0.5);
    return { neutral: true };
  },
  'leading blank lines': (m, rnd) => {
    m.leading = 1 + rnd.int(3);
    return { neutral: true };
  },
  'byte order marks': (m, rnd) => {
    const wide = m.records.some((r) => r.cp1252 || r.problem || Buffer.byteLength(recordText(r)) > 30_000);
    m.encoding = wide ? 'utf8-bom' : rnd.pick(['utf8-bom', 'utf16le-bom'] as const);
    return { neutral: true };
  },
  'unclosed quote': (m, rnd) => {
    const r = victim(m, rnd);
    const c = rnd.int(r.cells.length);
    r.cells[c] = `${OPEN_QUOTE}${r.cells[c]}`;
    r.unquoted = true;
    // The quote runs to the end of the file: no later quote may close it.
    for (const later of m.records.slice(m.records.indexOf(r) + 1)) {
      later.cells = later.cells.map((cell) => cell.replace(/["\r\n,]/g, ''));
    }
    return { refused: 'unparsable', stopsAt: r };
  },
};

function dropColumn(m: CsvModel, c: Column): void {
  const at = col(m, c);
  m.header!.cells.splice(at, 1);
  for (const r of m.records) r.cells.splice(at, 1);
}

/** The n-th case of the seeded corpus: every mutation in turn, with others at random. */
function csvCase(n: number, rnd: Random): CsvCase {
  const rowNames = Object.keys(ROW_MUTATIONS);
  const fileNames = Object.keys(FILE_MUTATIONS);
  const rows: string[] = [];
  let file: string | undefined;
  if (n % 3 === 2) {
    file = fileNames[Math.floor(n / 3) % fileNames.length]!;
    for (let k = rnd.int(3); k > 0; k--) rows.push(rnd.pick(rowNames));
  } else {
    rows.push(rowNames[(n - Math.floor(n / 3)) % rowNames.length]!);
    for (let k = rnd.chance(0.4) ? 1 + rnd.int(3) : 0; k > 0; k--) rows.push(rnd.pick(rowNames));
    if (rnd.chance(0.3))
      file = rnd.pick(['line ends', 'leading blank lines', 'byte order marks', 'reordered columns']);
  }
  const model = modelOf(incomingRows());
  if (rows.some((r) => NEEDS_NOTE.has(r)) || rnd.chance(0.2)) noteColumn(model);
  const broken = new Map<CsvRecord, string[]>();
  for (const name of rows) ROW_MUTATIONS[name]!(model, rnd, broken);
  const outcome = file ? FILE_MUTATIONS[file]!(model, rnd) : { neutral: true };
  if (!outcome.neutral) broken.clear();
  return {
    name: [...rows, ...(file ? [`file: ${file}`] : [])].join(' + '),
    model,
    refused: outcome.refused,
    stopsAt: outcome.stopsAt,
    broken,
  };
}

/** The few big or odd files, each written once. */
function bigCases(): CsvCase[] {
  const MB10 = 10 * 1024 * 1024;
  const cases: CsvCase[] = [];
  const withCell = (name: string, column: string, value: string, extra: Partial<CsvModel> = {}) => {
    const model = { ...modelOf(incomingRows()), ...extra };
    if (column === 'note') noteColumn(model);
    const r = model.records[3]!;
    r.cells[col(model, column)] = value;
    cases.push({ name, model, broken: new Map([[r, [LINE_PROBLEM.long]]]), big: true });
  };
  withCell('10 MB field in volume_m3', 'volume_m3', '9'.repeat(MB10));
  withCell('10 MB quoted field with quotes inside', 'note', `a"b${'"'.repeat(5)}${'z'.repeat(MB10)}`);
  withCell('10 MB field, UTF-16 with its byte order mark', 'note', 'é'.repeat(MB10 / 2), {
    encoding: 'utf16le-bom',
  });
  const line = modelOf(incomingRows());
  const wide = line.records[5]!;
  wide.cells = wide.cells.concat(Array<string>(MB10 / 4).fill('abc'));
  cases.push({
    name: '10 MB line of many cells',
    model: line,
    broken: new Map([[wide, [LINE_PROBLEM.long]]]),
    big: true,
  });
  const header = modelOf(incomingRows());
  header.header!.cells.push('h'.repeat(MB10));
  for (const r of header.records) r.cells.push('');
  cases.push({ name: '10 MB header', model: header, refused: 'unparsable', broken: new Map(), big: true });
  const lines = modelOf(incomingRows());
  noteColumn(lines);
  const tall = lines.records[7]!;
  tall.cells[col(lines, 'note')] = `${'y'.repeat(99)}\n`.repeat(MB10 / 100);
  cases.push({
    name: '10 MB quoted field over 100,000 lines',
    model: lines,
    refused: 'unparsable',
    stopsAt: tall,
    broken: new Map(),
    big: true,
  });
  const text = `${COLUMNS.join(',')}\n${COLUMNS.map((c) => incomingRows()[0]![c]).join(',')}\n`;
  const bytesCase = (name: string, bytes: Buffer, refused: string) =>
    cases.push({ name, model: modelOf([]), bytes, refused, broken: new Map() });
  bytesCase('UTF-16 LE without a byte order mark', Buffer.from(text, 'utf16le'), 'not-text');
  bytesCase(
    'UTF-16 BE with its byte order mark',
    Buffer.from(Buffer.from(`\ufeff${text}`, 'utf16le').swap16()),
    'not-text',
  );
  bytesCase('empty file', Buffer.alloc(0), 'empty');
  bytesCase('only blank lines', Buffer.from('\n\r\n  \n,,,\n'), 'empty');
  bytesCase('only a byte order mark', Buffer.from([0xef, 0xbb, 0xbf]), 'empty');
  bytesCase(
    'gzip',
    Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03, ...Array<number>(64).fill(0xab)]),
    'not-text',
  );
  return cases;
}

// ---------------------------------------------------------------------------------------------
// The JSON pushes: the same rows and breakages, with JSON's own (types, envelope, size).

type JsonRow = Record<string, unknown>;

function jsonRows(rnd: Random): JsonRow[] {
  return incomingRows().map((r) => {
    const row: JsonRow = { ...r };
    if (rnd.chance(0.5)) row.volume_m3 = Number(r.volume_m3);
    if (rnd.chance(0.5)) row.estimated = r.estimated === 'true';
    for (const c of OPTIONAL) if (row[c] === '' && rnd.chance(0.5)) delete row[c];
    return row;
  });
}

const JSON_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -5,
  12.5,
  0.1234,
  1e21,
  1e-7,
  Number.MAX_SAFE_INTEGER,
  11111111111,
  {},
  { value: '1' },
  [],
  ['2023-01-01'],
  '',
  ' ',
  ...FORMULAS,
  ...BAD_VOLUMES,
  ...BAD_DATES,
  'TRUE',
];

const JSON_MUTATIONS: Record<string, (rows: JsonRow[], rnd: Random) => void> = {
  'wrong type or value': (rows, rnd) => {
    rnd.pick(rows)[rnd.pick(COLUMNS)] = rnd.pick(JSON_VALUES);
  },
  'missing field': (rows, rnd) => {
    delete rnd.pick(rows)[rnd.pick(COLUMNS)];
  },
  'extra field': (rows, rnd) => {
    rnd.pick(rows)[rnd.pick(['note', 'Account_Number', 'id', 'toString'])] = rnd.pick(FORMULAS);
  },
  'formula cell': (rows, rnd) => {
    rnd.pick(rows)[rnd.pick(COLUMNS)] = rnd.pick(FORMULAS);
  },
  'bad date or order': (rows, rnd) => {
    const row = rnd.pick(rows);
    if (rnd.chance(0.5)) row[rnd.pick(DATE_COLUMNS)] = rnd.pick([...BAD_DATES, ...OTHER_DATES]);
    else row.period_end = day(String(row.period_start), -1 - rnd.int(30));
  },
  'other amounts': (rows, rnd) => {
    const c = rnd.pick(['volume_m3', ...OPTIONAL] as const);
    rnd.pick(rows)[c] = rnd.pick(c === 'volume_m3' ? OTHER_VOLUMES : OTHER_VALUES[c]);
  },
  'overlap, duplicate or correction': (rows, rnd) => {
    const of = rnd.pick(rows);
    const copy = { ...of };
    rows.splice(rnd.int(rows.length + 1), 0, copy);
    const start = day(String(of.period_start), rnd.int(40) - 20);
    const kind = rnd.int(4);
    if (kind === 0) Object.assign(copy, { period_start: start, period_end: day(start, rnd.int(40)) });
    if (kind === 1) copy.volume_m3 = rnd.int(500);
    if (kind === 2) copy.invoice_number = String(900_000_000_000 + rnd.int(1e6));
    if (kind === 3) copy.account_number = '99999999999';
  },
  'big field': (rows, rnd) => {
    rnd.pick(rows)[rnd.pick([...COLUMNS, 'note'])] = 'x'.repeat(100_000);
  },
};

interface Push {
  name: string;
  /** A JSON value, or the body's text when it is not one. */
  body: unknown;
  raw?: string;
  /** The status of a body refused as a whole. */
  refusedWith?: number;
}

function pushCase(n: number, rnd: Random): Push {
  const names = Object.keys(JSON_MUTATIONS);
  const rows = jsonRows(rnd);
  const chosen = [names[n % names.length]!];
  for (let k = rnd.int(3); k > 0; k--) chosen.push(rnd.pick(names));
  for (const name of chosen) JSON_MUTATIONS[name]!(rows, rnd);
  return { name: chosen.join(' + '), body: { rows } };
}

function envelopeCases(rnd: Random): Push[] {
  const rows = jsonRows(rnd);
  const row = rows[0]!;
  return [
    { name: 'not JSON', body: undefined, raw: '{"rows": [', refusedWith: 400 },
    { name: 'JSON text, not an object', body: undefined, raw: '"rows"', refusedWith: 400 },
    { name: 'no rows', body: { row }, refusedWith: 400 },
    { name: 'rows is one object', body: { rows: row }, refusedWith: 400 },
    { name: 'rows is text', body: { rows: 'abc' }, refusedWith: 400 },
    { name: 'rows is a number', body: { rows: 3 }, refusedWith: 400 },
    { name: 'rows is null', body: { rows: null }, refusedWith: 400 },
    { name: 'a row is text', body: { rows: [row, 'row'] }, refusedWith: 400 },
    { name: 'a row is null', body: { rows: [row, null] }, refusedWith: 400 },
    { name: 'a row is an array', body: { rows: [row, Object.values(row)] }, refusedWith: 400 },
    { name: 'a row is a number', body: { rows: [row, 7] }, refusedWith: 400 },
    { name: '10,001 rows', body: { rows: Array.from({ length: 10_001 }, () => row) }, refusedWith: 400 },
    {
      name: '10 MB field',
      body: { rows: [{ ...row, note: 'x'.repeat(10 * 1024 * 1024) }] },
      refusedWith: 413,
    },
    {
      name: '__proto__ key',
      body: undefined,
      raw: `{"rows":[${JSON.stringify(row).replace('{', '{"__proto__":{"polluted":1},')}]}`,
      refusedWith: 400,
    },
    {
      name: 'constructor.prototype key',
      body: undefined,
      raw: `{"rows":[${JSON.stringify(row).replace('{', '{"constructor":{"prototype":{"polluted":1}},')}]}`,
      refusedWith: 400,
    },
    { name: 'no rows at all', body: { rows: [] } },
    {
      name: 'a 6 MB field, under the body limit',
      body: { rows: [{ ...row, meter_number: '9'.repeat(6 * 1024 * 1024) }] },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The store: the known dataset, kept aside once and put back before each case.

interface Link {
  id: number;
  meter: string;
  accepted: boolean;
}

/** The store as it stands once the ESPM side has read billing's changes (its links due). */
async function snapshot(db: Kysely<Database>): Promise<Snapshot> {
  await markChangedMetersDue(db);
  const [periods, invoices, links] = await Promise.all([
    db.selectFrom('billing_period').selectAll().execute(),
    db.selectFrom('billing_invoice').selectAll().execute(),
    db.selectFrom('meter_link').select('id').where('sync_due', '=', true).execute(),
  ]);
  return {
    periods: periods
      .map((p) => ({
        meter: p.meter_number,
        start: p.period_start,
        end: p.period_end,
        account: p.account_number,
        invoice: p.invoice_number,
        volume: dec(p.volume_m3)!,
        cost: dec(p.cost),
        estimated: p.estimated,
        rng: dec(p.rng_percent),
        status: p.status,
        revision: p.revision,
        importId: p.import_id,
        importLine: p.import_line,
        updatedAt: new Date(p.updated_at).toISOString(),
      }))
      .sort((a, b) => (a.meter === b.meter ? cmp(a.start, b.start) : cmp(a.meter, b.meter))),
    invoices: invoices.map((i) => `${i.invoice_number} ${i.account_number} ${i.invoice_date}`).sort(),
    dueLinks: links.map((l) => l.id).sort((a, b) => a - b),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function restore(db: Kysely<Database>, baseImportId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`delete from billing_period`.execute(trx);
    await sql`insert into billing_period select * from fuzz_base_period`.execute(trx);
    await sql`delete from billing_invoice`.execute(trx);
    await sql`insert into billing_invoice select * from fuzz_base_invoice`.execute(trx);
    await sql`delete from billing_import where id <> ${baseImportId}`.execute(trx);
    await sql`update meter_link set sync_due = false where sync_due`.execute(trx);
    // Read already by the snapshot after the last case: the next case's changes come after them.
    await sql`delete from billing_change`.execute(trx);
  });
}

/** [exit, read, inserted, updated, cancelled, unchanged, replaced, rejected], as reported. */
function reportedCounts(r: BillingImportReport<unknown>): number[] {
  return [
    r.exitCode,
    r.rowsRead,
    r.inserted,
    r.updated,
    r.cancelled,
    r.rowsUnchanged,
    r.rowsReplaced,
    r.rowsRejected,
  ];
}

/** The same counts, as the oracle expects them. */
function expectedCounts(x: Expectation): number[] {
  return [
    x.rejections.size > 0 ? 1 : 0,
    x.read,
    x.inserted,
    x.updated,
    x.cancelled,
    x.unchanged,
    x.replaced,
    x.rejections.size,
  ];
}

/** Every rejection the oracle expects is reported, with reasons naming its words, and no other. */
function checkRejections(
  x: Expectation,
  got: Map<number, string>,
  place: 'line' | 'index',
  fail: (what: string) => void,
): void {
  for (const [at, words] of x.rejections) {
    const reason = got.get(at);
    if (reason === undefined) fail(`${place} ${at} should be rejected (${words.join(', ')})`);
    else
      for (const w of words) if (!reason.includes(w)) fail(`${place} ${at}: "${reason}" does not name ${w}`);
  }
  for (const [at, reason] of got) if (!x.rejections.has(at)) fail(`${place} ${at} rejected: ${reason}`);
}

/** The store as the oracle says it must be after the import `importId`. */
function expectedSnapshot(base: Snapshot, x: Expectation, importId: number, links: Link[]): Snapshot {
  const periods = new Map(base.periods.map((p) => [`${p.meter} ${p.start}`, p]));
  for (const [key, { row, line, revision }] of x.periods) {
    periods.set(key, {
      meter: row.meter,
      start: row.start,
      end: row.end,
      account: row.account,
      invoice: row.invoice,
      volume: dec(row.volume)!,
      cost: dec(row.cost),
      estimated: row.estimated,
      rng: dec(row.rng),
      status: row.status,
      revision,
      importId,
      importLine: line,
      updatedAt: 'written',
    });
  }
  return {
    periods: [...periods.values()].sort((a, b) =>
      a.meter === b.meter ? cmp(a.start, b.start) : cmp(a.meter, b.meter),
    ),
    invoices: [...x.invoices].sort(),
    dueLinks: links
      .filter((l) => l.accepted && x.touched.has(l.meter))
      .map((l) => l.id)
      .sort((a, b) => a - b),
  };
}

/** The written periods' update times are not foreseeable; the others' must not have moved. */
function maskWritten(s: Snapshot, x: Expectation): Snapshot {
  return {
    ...s,
    periods: s.periods.map((p) =>
      x.periods.has(`${p.meter} ${p.start}`) ? { ...p, updatedAt: 'written' } : p,
    ),
  };
}

class Figures {
  files = 0;
  bigFiles = 0;
  refusedFiles = new Map<string, number>();
  rows = 0;
  accepted = 0;
  rejections = new Map<string, number>();
  pushes = 0;
  pushRows = 0;
  pushAccepted = 0;
  pushRejections = 0;
  refusedBodies = new Map<number, number>();
  peakHeapMiB = 0;

  reject(reason: string): void {
    const kinds: Array<[RegExp, string]> = [
      [/spreadsheet formula/, 'formula'],
      [/longer than/, 'long-line'],
      [/UTF-8/, 'encoding'],
      [/fields where/, 'cell-count'],
      [/overlaps/, 'overlap'],
      [/already recorded/, 'invoice-conflict'],
      [/before period_start/, 'end-before-start'],
      [/date/, 'date'],
      [/as text/, 'json-type'],
      [/is missing/, 'missing'],
      [/digits|letters/, 'identifier'],
      [/negative|not a number|comma|decimals|too large|above/, 'number'],
      [/neither/, 'word'],
    ];
    const kind = kinds.find(([re]) => re.test(reason))?.[1] ?? 'other';
    this.rejections.set(kind, (this.rejections.get(kind) ?? 0) + 1);
  }

  line(ms: number): string {
    const list = (m: Map<unknown, number>) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${String(k)}=${v}`)
        .join(',');
    return (
      `billing-fuzz seed=${SEED} files=${this.files} (big=${this.bigFiles}) refused=${list(this.refusedFiles)} ` +
      `rows=${this.rows} accepted=${this.accepted} rejected=${this.rows - this.accepted} by-reason=${list(this.rejections)} ` +
      `pushes=${this.pushes} push-rows=${this.pushRows} push-accepted=${this.pushAccepted} ` +
      `push-rejected=${this.pushRejections} refused-bodies=${list(this.refusedBodies)} ` +
      `peak-heap-growth=${this.peakHeapMiB}MiB time=${(ms / 1000).toFixed(1)}s`
    );
  }
}

/** The highest heap growth seen while `run` runs. */
async function heapPeak<T>(run: () => Promise<T>): Promise<{ value: T; growthMiB: number }> {
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  try {
    const value = await run();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { value, growthMiB: Math.round((peak - start) / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'billing-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

forEachStore('fuzzed billing input', (s) => {
  let started = 0;
  let cpuAtStart = process.cpuUsage();
  const figures = new Figures();
  let base: Snapshot;
  let baseImportId: number;
  let links: Link[];

  before(async () => {
    started = Date.now();
    cpuAtStart = process.cpuUsage();
    const db = s.store.db;
    const path = join(dir, `base-${s.kind}.csv`);
    writeFileSync(
      path,
      `${COLUMNS.join(',')}\n${BASE_ROWS.map((r) => COLUMNS.map((c) => r[c]).join(',')).join('\n')}\n`,
    );
    const report = await importBillingFile(db, path);
    assert.deepEqual([report.exitCode, report.inserted + report.cancelled], [0, BASE_ROWS.length]);
    baseImportId = report.importId;
    await markChangedMetersDue(db); // the ESPM side has read the base before any link is made
    links = [];
    for (const [i, { meter }] of [...METERS, { meter: 'NOTBILLED1' }].entries()) {
      const accepted = i !== 1;
      const { id } = await db
        .insertInto('meter_link')
        .values({
          espm_meter_id: `${90000 + i}`,
          espm_property_id: '1000',
          espm_account_id: '2000',
          access_level: 'Read Write',
          custom_fields: '{}',
          meter_number: meter,
          status: accepted ? 'accepted' : 'rejected',
          received_at: new Date(),
          sync_due: false,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      links.push({ id, meter, accepted });
    }
    await sql`create table fuzz_base_period as select * from billing_period`.execute(db);
    await sql`create table fuzz_base_invoice as select * from billing_invoice`.execute(db);
    base = await snapshot(db);
  });

  after(() => {
    // This process's CPU time tells the cost apart from the wait for a loaded machine's cores.
    const cpu = process.cpuUsage(cpuAtStart);
    const cpuSeconds = ((cpu.user + cpu.system) / 1e6).toFixed(1);
    console.log(`${figures.line(Date.now() - started)} cpu=${cpuSeconds}s store=${s.kind}`);
  });

  async function checkFile(c: CsvCase, index: number, rnd: Random, problems: string[]): Promise<void> {
    const db = s.store.db;
    const where = `seed ${SEED}, ${s.kind}, file ${index} (${c.name})`;
    const fail = (what: string) => problems.push(`${where}: ${what}`);
    const written = c.bytes ? { bytes: c.bytes, lines: [] } : writeCsv(c.model, rnd);
    const seen = c.bytes ? { refused: c.refused, inputs: [] } : csvInputs(c.model, written.lines);
    if (c.refused && seen.refused !== c.refused) {
      fail(`the oracle says ${seen.refused ?? 'usable'} where the generator made ${c.refused}`);
    }
    const lineOf = (r: CsvRecord) => written.lines[(c.model.header ? 1 : 0) + c.model.records.indexOf(r)]!;
    const path = join(dir, `fuzz-${s.kind}-${index}.csv`);
    writeFileSync(path, written.bytes);
    await restore(db, baseImportId);
    figures.files++;
    if (c.big) figures.bigFiles++;

    let report;
    try {
      const measured = await heapPeak(() => importBillingFile(db, path));
      report = measured.value;
      if (c.big) {
        figures.peakHeapMiB = Math.max(figures.peakHeapMiB, measured.growthMiB);
        if (measured.growthMiB > 96) fail(`the import grew the heap by ${measured.growthMiB} MiB`);
      }
    } catch (e) {
      fail(`the import threw ${(e as Error).stack}`);
      return;
    }
    const after = await snapshot(db);
    const record = await db
      .selectFrom('billing_import')
      .select(['status', 'rows_read', 'rows_rejected', 'error'])
      .select((eb) =>
        eb
          .selectFrom('billing_import_rejection as r')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('r.import_id', '=', 'billing_import.id')
          .as('kept'),
      )
      .where('id', '=', report.importId)
      .executeTakeFirstOrThrow();

    if (seen.refused) {
      figures.refusedFiles.set(seen.refused, (figures.refusedFiles.get(seen.refused) ?? 0) + 1);
      if (report.exitCode !== 2 || report.errorCode !== seen.refused) {
        fail(
          `expected the file refused as ${seen.refused}, got exit ${report.exitCode} ${report.errorCode} ${report.error}`,
        );
      }
      if (c.stopsAt && !report.error?.startsWith(`line ${lineOf(c.stopsAt)}: `)) {
        fail(`expected the stop at line ${lineOf(c.stopsAt)}, got "${report.error}"`);
      }
      if (
        record.status !== 'failed' ||
        !record.error ||
        importProblemText('en', readImportProblem(record.error)) !== report.error
      )
        fail(`the import is recorded ${record.status}`);
      try {
        assert.deepEqual(after, base);
      } catch {
        fail('a refused file changed the stored data');
      }
      return;
    }

    const x = oracle(base, seen.inputs);
    figures.rows += x.read;
    figures.accepted += x.read - x.rejections.size;
    for (const r of report.rejections) figures.reject(r.reason);
    const got = new Map(report.rejections.map((r) => [r.line, r.reason]));
    checkRejections(x, got, 'line', fail);
    for (const [r, words] of c.broken) {
      const reason = got.get(lineOf(r));
      if (!reason || !words.every((w) => reason.includes(w))) {
        fail(`broken line ${lineOf(r)} (${words.join(', ')}) got ${reason ?? 'no rejection'}`);
      }
    }
    if (reportedCounts(report).join() !== expectedCounts(x).join()) {
      fail(
        `report [exit, read, inserted, updated, cancelled, unchanged, replaced, rejected] ${reportedCounts(report).join()} expected ${expectedCounts(x).join()}`,
      );
    }
    if (Number(record.kept) !== report.rejections.length || record.rows_rejected !== report.rowsRejected) {
      fail(
        `recorded ${record.kept} of ${record.rows_rejected} rejections, reported ${report.rejections.length}`,
      );
    }
    try {
      assert.deepEqual(maskWritten(after, x), expectedSnapshot(base, x, report.importId, links));
    } catch (e) {
      fail(`stored data differs from the oracle: ${(e as Error).message.slice(0, 1500)}`);
    }

    const again = await importBillingFile(db, path);
    const afterAgain = await snapshot(db);
    if (again.rowsImported !== 0 || again.exitCode === 2) {
      fail(
        `importing it again imported ${again.rowsImported} rows (exit ${again.exitCode}): ${JSON.stringify(again.rejections.slice(0, 3))}`,
      );
    }
    try {
      assert.deepEqual(afterAgain, after);
    } catch (e) {
      fail(`importing it again changed the stored data: ${(e as Error).message.slice(0, 1500)}`);
    }
  }

  it(`rejects each bad line of ${SMALL_FILES} fuzzed files and a few huge ones by its number, and stores exactly what the rules allow`, async () => {
    const rnd = new Random(SEED);
    const problems: string[] = [];
    const cases = [...Array.from({ length: SMALL_FILES }, (_, n) => csvCase(n, rnd)), ...bigCases()];
    for (const [index, c] of cases.entries()) await checkFile(c, index, rnd, problems);
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  });

  async function checkPush(app: FastifyInstance, p: Push, index: number, problems: string[]): Promise<void> {
    const db = s.store.db;
    const fail = (what: string) =>
      problems.push(`seed ${SEED}, ${s.kind}, push ${index} (${p.name}): ${what}`);
    await restore(db, baseImportId);
    figures.pushes++;
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/api/billing/rows',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        payload: p.raw ?? JSON.stringify(p.body),
      });
    const response = await send();
    const after = await snapshot(db);
    if (p.refusedWith) {
      figures.refusedBodies.set(
        response.statusCode,
        (figures.refusedBodies.get(response.statusCode) ?? 0) + 1,
      );
      const body = response.json<{ error?: string; message?: string }>();
      if (
        response.statusCode !== p.refusedWith ||
        !['invalid-body', 'invalid-request'].includes(body.error ?? '')
      ) {
        fail(
          `expected ${p.refusedWith} invalid-body or invalid-request, got ${response.statusCode} ${response.body.slice(0, 300)}`,
        );
      }
      if (!body.message) fail('the refusal gives no reason');
      const { n } = await db
        .selectFrom('billing_import')
        .select((e) => e.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      if (Number(n) !== 1) fail('a refused body was recorded as an import');
      try {
        assert.deepEqual(after, base);
      } catch {
        fail('a refused body changed the stored data');
      }
      return;
    }
    if (response.statusCode !== 200) {
      fail(`answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
      return;
    }
    const report = response.json<BillingImportReport<{ index: number; reason: string }>>();
    const rows = (p.body as { rows: JsonRow[] }).rows;
    const x = oracle(
      base,
      rows.map((r, line) => ({
        line,
        cells: Object.fromEntries(COLUMNS.filter((c) => c in r).map((c) => [c, r[c]])),
      })),
    );
    figures.pushRows += x.read;
    figures.pushAccepted += x.read - x.rejections.size;
    figures.pushRejections += report.rejections.length;
    for (const r of report.rejections) figures.reject(r.reason);
    const got = new Map(report.rejections.map((r) => [r.index, r.reason]));
    checkRejections(x, got, 'index', fail);
    for (const [line, reason] of got) {
      if (reason.length > 1000) fail(`index ${line}: a reason of ${reason.length} characters`);
    }
    if (reportedCounts(report).join() !== expectedCounts(x).join())
      fail(`report counts ${reportedCounts(report).join()} expected ${expectedCounts(x).join()}`);
    try {
      assert.deepEqual(maskWritten(after, x), expectedSnapshot(base, x, report.importId, links));
    } catch (e) {
      fail(`stored data differs from the oracle: ${(e as Error).message.slice(0, 1500)}`);
    }
    const again = await send();
    if (again.statusCode !== 200 || again.json<BillingImportReport>().rowsImported !== 0) {
      fail(`pushing it again answered ${again.statusCode} ${again.body.slice(0, 300)}`);
    }
    try {
      assert.deepEqual(await snapshot(db), after);
    } catch (e) {
      fail(`pushing it again changed the stored data: ${(e as Error).message.slice(0, 1500)}`);
    }
  }

  it(`answers ${PUSHES} fuzzed JSON pushes and the malformed bodies with a reason each, storing only what the rules allow`, async () => {
    const rnd = new Random(SEED + 1);
    const app = Fastify();
    await app.register(billingIngestPlugin, { store: s.store, token: TOKEN });
    const problems: string[] = [];
    try {
      const pushes = [...Array.from({ length: PUSHES }, (_, n) => pushCase(n, rnd)), ...envelopeCases(rnd)];
      for (const [index, p] of pushes.entries()) await checkPush(app, p, index, problems);
    } finally {
      await app.close();
    }
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  });

  it('neutralises formula-looking cells in the history CSV it writes out', async () => {
    const db = s.store.db;
    const cells: string[][] = [];
    for (const [i, formula] of FORMULAS.entries()) {
      const { id } = await db
        .insertInto('meter_link')
        .values({
          espm_meter_id: formula,
          espm_property_id: '1000',
          espm_account_id: '2000',
          access_level: 'Read Write',
          custom_fields: '{}',
          meter_number: null,
          status: 'accepted',
          received_at: new Date(),
          sync_due: false,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('consumption_entry')
        .values({
          link_id: id,
          meter_number: `FORMULA${i}`,
          period_start: '2023-01-01',
          period_end: '2023-01-31',
          espm_entry_id: formula,
          state: 'sent',
          usage: '-5',
          unit_of_measure: formula,
          volume_m3: '12.5',
          estimated: false,
          billing_revision: 1,
          updated_at: new Date(),
        })
        .execute();
      const { csv } = await historyCsv(db, { linkId: id });
      const [header, line] = parse(csv) as string[][];
      assert.deepEqual(header, [...HISTORY_COLUMNS]);
      const row = Object.fromEntries(HISTORY_COLUMNS.map((c, k) => [c, line![k]!]));
      // A plain negative number is a number to a spreadsheet too, and stays as it is.
      const shown = /^-?\d+(\.\d+)?$/.test(formula) ? formula : `'${formula}`;
      assert.deepEqual(
        [row.espm_meter_id, row.unit_of_measure, row.espm_entry_id, row.usage],
        [shown, shown, shown, '-5'],
      );
      cells.push(line!);
    }
    for (const cell of cells.flat()) {
      assert.ok(
        !/^[=+\-@\t\r]/.test(cell) || /^-?\d+(\.\d+)?$/.test(cell),
        `a cell a spreadsheet would run: ${cell}`,
      );
    }
  });
});
