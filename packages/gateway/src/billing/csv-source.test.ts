import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { BillingFileError, MAX_LINE_BYTES, readBillingCsv } from './csv-source.ts';
import type { SourceRow } from './import-run.ts';
import { rowProblemText } from './reason-text.ts';
import type { RowProblem } from '../vocabulary/billing-reasons.ts';
import { GUIDE_MAY_CELLS } from '../../test-support/billing-rows.ts';

/** A line's problem as the import report words it. */
function inEnglish(problem: RowProblem | undefined): string | undefined {
  return problem && rowProblemText('en', problem);
}

const HEADER = 'account_number,invoice_number,invoice_date,meter_number,period_start,period_end,volume_m3';
const GUIDE_LINE = '11111111111,333333333333,2021-06-20,2222222,2021-05-17,2021-06-17,200';

/** The file as chunks of bytes, as a read stream would give them. */
function file(...chunks: Array<string | Buffer>): Readable {
  return Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
}

async function rowsOf(input: Readable): Promise<SourceRow[]> {
  const csv = await readBillingCsv(input);
  const rows: SourceRow[] = [];
  for await (const row of csv.rows) rows.push(row);
  return rows;
}

async function fileProblem(input: Readable): Promise<BillingFileError> {
  try {
    await rowsOf(input);
  } catch (e) {
    assert.ok(e instanceof BillingFileError, String(e));
    return e;
  }
  assert.fail('the file was read without a problem');
}

describe('a billing CSV file', () => {
  it('gives each row with its columns and the physical line it is on, the header being line 1', async () => {
    const rows = await rowsOf(file(`${HEADER}\n${GUIDE_LINE}\n\n${GUIDE_LINE}\n`));
    assert.deepEqual(
      rows.map((r) => r.line),
      [2, 4],
    );
    assert.deepEqual(rows[0]?.raw, GUIDE_MAY_CELLS);
  });

  it('reads columns in any order, by trimmed case-insensitive names, and ignores other columns', async () => {
    const rows = await rowsOf(
      file(
        ' Volume_M3 ,notes,METER_NUMBER,period_end,period_start,invoice_date,invoice_number,account_number,Status\n' +
          '251,"a note, with a comma",2222222,2021-05-16,2021-04-16,2021-05-20,333333333332,11111111111,billed\n',
      ),
    );
    assert.deepEqual(rows[0]?.raw, {
      volume_m3: '251',
      meter_number: '2222222',
      period_end: '2021-05-16',
      period_start: '2021-04-16',
      invoice_date: '2021-05-20',
      invoice_number: '333333333332',
      account_number: '11111111111',
      status: 'billed',
    });
  });

  it('reads a UTF-16 file that starts with its byte order mark, even split after its first byte', async () => {
    const utf16 = Buffer.from(`\uFEFF${HEADER}\r\n${GUIDE_LINE}\r\n`, 'utf16le');
    const rows = await rowsOf(file(utf16.subarray(0, 1), utf16.subarray(1, 99), utf16.subarray(99)));
    assert.equal(rows[0]?.raw?.meter_number, '2222222');
  });

  it('rejects a long line of a UTF-16 file as in a UTF-8 one, reading the next line whole', async () => {
    const long = `${GUIDE_LINE},${'é'.repeat(MAX_LINE_BYTES)}`;
    const rows = await rowsOf(
      file(Buffer.from(`\uFEFF${HEADER},note\n${long}\n${GUIDE_LINE},é\n`, 'utf16le')),
    );
    assert.deepEqual(
      rows.map((r) => [r.line, inEnglish(r.problem) ?? r.raw?.meter_number]),
      [
        [2, `the line is longer than ${MAX_LINE_BYTES} bytes and was not read`],
        [3, '2222222'],
      ],
    );
  });

  it('tolerates a UTF-8 byte order mark and CRLF line ends, even mixed with LF', async () => {
    const rows = await rowsOf(
      file(`\uFEFF${HEADER}\r\n${GUIDE_LINE}\r\n\r\n${GUIDE_LINE}\n${GUIDE_LINE}\r\n`),
    );
    assert.deepEqual(
      rows.map((r) => [r.line, r.raw?.account_number, r.raw?.volume_m3]),
      [
        [2, '11111111111', '200'],
        [4, '11111111111', '200'],
        [5, '11111111111', '200'],
      ],
    );
  });

  it('counts the lines inside a quoted cell, so later rows keep their physical line', async () => {
    const rows = await rowsOf(
      file(`${HEADER},notes\n${GUIDE_LINE},"two\r\nlines"\n${GUIDE_LINE},"three\n\nlines"\n${GUIDE_LINE},\n`),
    );
    assert.deepEqual(
      rows.map((r) => r.line),
      [2, 4, 7],
    );
  });

  it('keeps a stray quote inside an unquoted cell as text', async () => {
    const rows = await rowsOf(file(`${HEADER},notes\n${GUIDE_LINE},ACME "Gas" Inc.\n`));
    assert.equal(rows[0]?.problem, undefined);
  });

  it('skips blank lines, including lines of empty cells', async () => {
    const rows = await rowsOf(file(`${HEADER}\n,,,,,,\n   \n${GUIDE_LINE}`));
    assert.deepEqual(
      rows.map((r) => r.line),
      [4],
    );
  });

  describe('a line it cannot use is that line’s problem, and the next lines are read', () => {
    it('a line with more or fewer cells than the header', async () => {
      const rows = await rowsOf(
        file(`${HEADER}\n${GUIDE_LINE},extra\n11111111111,333333333333\n${GUIDE_LINE}\n`),
      );
      assert.deepEqual(
        rows.map((r) => [r.line, inEnglish(r.problem)]),
        [
          [2, 'the line has 8 fields where the header has 7'],
          [3, 'the line has 2 fields where the header has 7'],
          [4, undefined],
        ],
      );
      assert.equal(rows[2]?.raw?.meter_number, '2222222');
    });

    it('a line with bytes that are not UTF-8, rather than garbled values', async () => {
      const latin1 = Buffer.from(`${GUIDE_LINE},Montr\xe9al\n`, 'latin1');
      const rows = await rowsOf(file(`${HEADER},city\n`, latin1, `${GUIDE_LINE},Montréal\n`));
      assert.deepEqual(
        rows.map((r) => [r.line, inEnglish(r.problem)]),
        [
          [2, 'the line contains bytes that are not valid UTF-8'],
          [3, undefined],
        ],
      );
    });

    it('a 10 MB quoted cell, whose closing quote is kept so that the next lines are read', async () => {
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const huge = Array.from({ length: 160 }, () => chunk);
      const rows = await rowsOf(
        file(`${HEADER}\n${GUIDE_LINE}\n11111111111,"`, ...huge, `",a,"b""c",d\n${GUIDE_LINE}\n`),
      );
      assert.deepEqual(
        rows.map((r) => [r.line, inEnglish(r.problem)]),
        [
          [2, undefined],
          [3, `the line is longer than ${MAX_LINE_BYTES} bytes and was not read`],
          [4, undefined],
        ],
      );
    });

    it('a 10 MB line, read in bounded memory', async () => {
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const huge = Array.from({ length: 160 }, () => chunk);
      const rows = await rowsOf(
        file(`${HEADER}\n${GUIDE_LINE}\n11111111111,`, ...huge, `\r\n${GUIDE_LINE}\n`),
      );
      assert.deepEqual(
        rows.map((r) => [r.line, inEnglish(r.problem)]),
        [
          [2, undefined],
          [3, `the line is longer than ${MAX_LINE_BYTES} bytes and was not read`],
          [4, undefined],
        ],
      );
    });
  });

  describe('a file it cannot use at all is a file problem', () => {
    it('an empty file, or one with only a byte order mark and blank lines', async () => {
      assert.equal((await fileProblem(file(''))).code, 'empty');
      assert.equal((await fileProblem(file('\uFEFF\r\n\r\n'))).code, 'empty');
    });

    it('a header without a required column, naming the missing ones', async () => {
      const problem = await fileProblem(file('account_number,invoice_number,meter_number,volume_m3\n'));
      assert.equal(problem.code, 'missing-columns');
      assert.equal(
        problem.message,
        'the header lacks the required columns invoice_date, period_start, period_end',
      );
    });

    it('a file separated by semicolons, with a hint', async () => {
      const problem = await fileProblem(file(`${HEADER.replaceAll(',', ';')}\n`));
      assert.match(problem.message, /the columns seem separated by ";"; use commas/);
    });

    it('a header naming a column twice', async () => {
      const problem = await fileProblem(file(`${HEADER},Meter_Number\n`));
      assert.equal(problem.code, 'duplicate-column');
      assert.equal(problem.message, 'the header has the column meter_number twice');
    });

    it('a file that is not UTF-8 text', async () => {
      assert.equal(
        (await fileProblem(file(Buffer.from(`${HEADER},num\xe9ro\n`, 'latin1')))).code,
        'not-utf8',
      );
      assert.equal((await fileProblem(file(Buffer.from(`${HEADER}\n`, 'utf16le')))).code, 'not-text');
      assert.equal(
        (await fileProblem(file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])))).code,
        'not-text',
      );
    });

    it('a quote opened and never closed, naming its line', async () => {
      const problem = await fileProblem(
        file(`${HEADER}\n${GUIDE_LINE}\n11111111111,"333333333333\n${GUIDE_LINE}\n`),
      );
      assert.equal(problem.code, 'unparsable');
      assert.equal(
        problem.message,
        'line 3: a quoted field opened on this line is never closed; the file could not be read further',
      );
    });

    it('a file that cannot be read', async () => {
      const failing = new Readable({
        read() {
          this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
        },
      });
      const problem = await fileProblem(failing);
      assert.equal(problem.code, 'unreadable');
      assert.equal(problem.message, 'the file cannot be read: EIO: i/o error, read');
    });
  });
});
