import assert from 'node:assert/strict';
import { insertBareLink } from '../../test-support/bare-link.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { forEachStore, resetStore } from '../../test-support/test-store.ts';
import { markChangedMetersDue } from '../exchange/consumption/billing-reader.ts';
import { FILE_BATCH_SIZE, importBillingFile } from './import-billing-file.ts';
import { importProblemText, rowReasonText } from './reason-text.ts';
import { readImportProblem, readRowProblems } from './stored-reasons.ts';

const HEADER =
  'account_number,invoice_number,invoice_date,meter_number,period_start,period_end,volume_m3,cost,estimated';
// The guide's example: account 11111111111, meter 2222222, its last invoice 333333333333.
const APRIL = '11111111111,333333333332,2021-05-20,2222222,2021-04-16,2021-05-16,251,120.50,false';
const MAY = '11111111111,333333333333,2021-06-20,2222222,2021-05-17,2021-06-17,200,99.10,false';

const dir = mkdtempSync(join(tmpdir(), 'billing-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function csv(...lines: string[]): string {
  return bytes(Buffer.from(lines.join('\n') + '\n', 'utf8'));
}

function bytes(content: Buffer): string {
  const path = join(dir, `billing-${++files}.csv`);
  writeFileSync(path, content);
  return path;
}

async function periods(db: Kysely<Database>) {
  return db
    .selectFrom('billing_period')
    .select([
      'meter_number',
      'period_start',
      'period_end',
      'volume_m3',
      'status',
      'revision',
      'invoice_number',
    ])
    .orderBy('meter_number')
    .orderBy('period_start')
    .execute();
}

/** Imports a file of `lines` after one holding the guide's April period alone. */
async function importAfterApril(db: Kysely<Database>, ...lines: string[]) {
  await importBillingFile(db, csv(HEADER, APRIL));
  return importBillingFile(db, csv(HEADER, ...lines));
}

/** Each recorded invoice as [number, account, date], by number. */
async function invoices(db: Kysely<Database>): Promise<string[][]> {
  const rows = await db.selectFrom('billing_invoice').selectAll().orderBy('invoice_number').execute();
  return rows.map((i) => [i.invoice_number, i.account_number, i.invoice_date]);
}

/** Whether the link is due once the ESPM side has read billing's changes. */
async function syncDue(db: Kysely<Database>, id: number): Promise<boolean> {
  await markChangedMetersDue(db);
  const link = await db
    .selectFrom('meter_link')
    .select('sync_due')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return link.sync_due;
}

forEachStore('importing a billing CSV file', (s) => {
  beforeEach(() => resetStore(s.store));

  it('imports the guide’s example: two billing periods of meter 2222222 on two invoices', async () => {
    const report = await importBillingFile(s.store.db, csv(HEADER, APRIL, MAY));
    assert.equal(report.exitCode, 0);
    assert.equal(report.status, 'done');
    assert.deepEqual(
      [report.rowsRead, report.rowsImported, report.inserted, report.rowsUnchanged, report.rowsRejected],
      [2, 2, 2, 0, 0],
    );
    assert.deepEqual(report.touchedMeters, ['2222222']);
    assert.deepEqual(await periods(s.store.db), [
      {
        meter_number: '2222222',
        period_start: '2021-04-16',
        period_end: '2021-05-16',
        volume_m3: '251.000',
        status: 'billed',
        revision: 1,
        invoice_number: '333333333332',
      },
      {
        meter_number: '2222222',
        period_start: '2021-05-17',
        period_end: '2021-06-17',
        volume_m3: '200.000',
        status: 'billed',
        revision: 1,
        invoice_number: '333333333333',
      },
    ]);
    assert.deepEqual(await invoices(s.store.db), [
      ['333333333332', '11111111111', '2021-05-20'],
      ['333333333333', '11111111111', '2021-06-20'],
    ]);
    const record = await s.store.db.selectFrom('billing_import').selectAll().executeTakeFirstOrThrow();
    assert.equal(record.id, report.importId);
    assert.deepEqual(
      [record.source, record.file_name, record.status, record.rows_read, record.rows_imported, record.error],
      ['csv', report.fileName, 'done', 2, 2, null],
    );
    assert.ok(record.finished_at);
    const log = await s.store.db.selectFrom('gateway_log').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual(
      [log.service, log.subject, log.outcome, log.status],
      ['BillingImport', report.fileName, 'imported', 'done'],
    );
    assert.deepEqual(JSON.parse(log.details ?? ''), {
      importId: report.importId,
      read: 2,
      inserted: 2,
      updated: 0,
      cancelled: 0,
      unchanged: 0,
      replaced: 0,
      rejected: 0,
      meters: 1,
    });
  });

  it('changes nothing when the same file is imported again', async () => {
    const file = csv(HEADER, APRIL, MAY);
    await importBillingFile(s.store.db, file);
    await markChangedMetersDue(s.store.db); // the ESPM side has read the first import
    const link = await insertBareLink(s.store.db, { meterNumber: '2222222', status: 'accepted' });
    const before = await periods(s.store.db);
    const again = await importBillingFile(s.store.db, file);
    assert.deepEqual([again.exitCode, again.rowsRead, again.rowsImported, again.rowsUnchanged], [0, 2, 0, 2]);
    assert.deepEqual(again.touchedMeters, []);
    assert.deepEqual(await periods(s.store.db), before);
    assert.equal(await syncDue(s.store.db, link), false);
  });

  it('takes a changed row as a correction: the period is updated, its revision bumped, its accepted link due', async () => {
    await importBillingFile(s.store.db, csv(HEADER, APRIL, MAY));
    const accepted = await insertBareLink(s.store.db, { meterNumber: '2222222', status: 'accepted' });
    const rejected = await insertBareLink(s.store.db, { meterNumber: '2222222', status: 'rejected' });
    const report = await importBillingFile(s.store.db, csv(HEADER, APRIL, MAY.replace(',200,', ',205.5,')));
    assert.deepEqual([report.rowsImported, report.updated, report.rowsUnchanged], [1, 1, 1]);
    assert.deepEqual(report.touchedMeters, ['2222222']);
    const may = (await periods(s.store.db))[1];
    assert.deepEqual([may?.volume_m3, may?.revision], ['205.500', 2]);
    assert.equal(await syncDue(s.store.db, accepted), true);
    assert.equal(await syncDue(s.store.db, rejected), false);
  });

  it('records where each meter is, tracks a change of premise as a correction, keeps it when a file lacks the column', async () => {
    const WHERE =
      'account_number,invoice_number,invoice_date,meter_number,period_start,period_end,volume_m3,premise_id,service_address';
    const may = (premise: string, address: string) =>
      `11111111111,333333333333,2021-06-20,2222222,2021-05-17,2021-06-17,200,${premise},${address}`;
    await importBillingFile(s.store.db, csv(WHERE, may('PR-1', '"1000, rue Sherbrooke"')));
    const where = () =>
      s.store.db
        .selectFrom('billing_period')
        .select(['premise_id', 'service_address', 'revision'])
        .executeTakeFirstOrThrow();
    assert.deepEqual(await where(), {
      premise_id: 'PR-1',
      service_address: '1000, rue Sherbrooke',
      revision: 1,
    });
    // A file without the columns (or with them blank) leaves the stored premise as it is.
    const again = await importBillingFile(
      s.store.db,
      csv(WHERE.split(',').slice(0, 7).join(','), may('', '').split(',').slice(0, 7).join(',')),
    );
    assert.equal(again.rowsUnchanged, 1);
    await importBillingFile(s.store.db, csv(WHERE, may('', '')));
    assert.deepEqual(await where(), {
      premise_id: 'PR-1',
      service_address: '1000, rue Sherbrooke',
      revision: 1,
    });
    const moved = await importBillingFile(s.store.db, csv(WHERE, may('PR-2', '')));
    assert.equal(moved.updated, 1);
    assert.deepEqual(await where(), {
      premise_id: 'PR-2',
      service_address: '1000, rue Sherbrooke',
      revision: 2,
    });
  });

  it('records the customer of an account, and keeps it when a file lacks the column', async () => {
    const WITH = `${HEADER},customer_id`;
    const may = `11111111111,333333333333,2021-06-20,2222222,2021-05-17,2021-06-17,200,,false`;
    await importBillingFile(s.store.db, csv(WITH, `${may},CL-1`));
    const customer = async () =>
      (await s.store.db.selectFrom('billing_period').select('customer_id').executeTakeFirstOrThrow())
        .customer_id;
    assert.equal(await customer(), 'CL-1');
    const again = await importBillingFile(s.store.db, csv(HEADER, may));
    assert.equal(again.rowsUnchanged, 1);
    assert.equal(await customer(), 'CL-1');
    const moved = await importBillingFile(s.store.db, csv(WITH, `${may},CL-2`));
    assert.equal(moved.updated, 1);
    assert.equal(await customer(), 'CL-2');
  });

  it('withdraws a period on a cancelled row, and keeps it withdrawn when the row comes again', async () => {
    await importBillingFile(s.store.db, csv(HEADER, APRIL, MAY));
    const link = await insertBareLink(s.store.db, { meterNumber: '2222222', status: 'accepted' });
    const cancelling = csv(`${HEADER},status`, `${MAY},cancelled`);
    const report = await importBillingFile(s.store.db, cancelling);
    assert.deepEqual([report.exitCode, report.cancelled, report.touchedMeters], [0, 1, ['2222222']]);
    const may = (await periods(s.store.db))[1];
    assert.deepEqual([may?.status, may?.revision], ['cancelled', 2]);
    assert.equal(await syncDue(s.store.db, link), true);

    await s.store.db.updateTable('meter_link').set({ sync_due: false }).execute();
    const again = await importBillingFile(s.store.db, cancelling);
    assert.deepEqual([again.rowsUnchanged, again.touchedMeters], [1, []]);
    assert.equal(await syncDue(s.store.db, link), false);
  });

  it('records a cancelled period it never had without calling for a sync', async () => {
    const report = await importBillingFile(s.store.db, csv(`${HEADER},status`, `${MAY},cancelled`));
    assert.deepEqual([report.cancelled, report.touchedMeters], [1, []]);
    assert.equal((await periods(s.store.db))[0]?.status, 'cancelled');
  });

  it('rejects each bad row with its line and reason, and imports the others', async () => {
    const lines = [
      `${HEADER},rng_percent,status`,
      `${APRIL},,`,
      '',
      '1111111111A,333333333340,2021-06-20,3333333,2021-05-17,2021-06-17,1,,false,,',
      '11111111111,33333333334,2021-06-20,3333333,2021-05-17,2021-06-17,1,,false,,',
      '11111111111,333333333341,2021-06-20,333,2021-05-17,2021-06-17,1,,false,,',
      '11111111111,333333333342,2021-06-31,3333333,2021-05-17,2021-06-17,1,,false,,',
      '11111111111,333333333343,2021-06-20,3333333,2024-02-01,2024-01-31,1,,false,,',
      '11111111111,333333333344,2021-06-20,3333333,2021-05-17,2021-06-17,-1,,false,,',
      '11111111111,333333333345,2021-06-20,3333333,2021-05-17,2021-06-17,1.0001,,false,,',
      '11111111111,333333333346,2021-06-20,3333333,2021-05-17,2021-06-17,1,1.001,false,,',
      '11111111111,333333333347,2021-06-20,3333333,2021-05-17,2021-06-17,1,,maybe,,',
      '11111111111,333333333348,2021-06-20,3333333,2021-05-17,2021-06-17,1,,false,101,',
      '11111111111,333333333349,2021-06-20,3333333,2021-05-17,2021-06-17,1,,false,,void',
      '11111111111,333333333350,2021-06-20,3333333,2021-05-17,2021-06-17,,,false,,',
      '11111111111,333333333351,2021-06-20,3333333,2021-05-17,2021-06-17,1',
      '=1+1,+333333333352,@SUM(A1),-3333333,2021-05-17,2021-06-17,1,,false,,',
      '11111111112,333333333332,2021-05-20,4444444,2021-04-16,2021-05-16,1,,false,,',
      '11111111111,333333333332,2021-05-21,4444444,2021-04-16,2021-05-16,1,,false,,',
      '11111111111,333333333353,2021-06-20,2222222,2021-05-15,2021-06-17,1,,false,,',
      `${MAY},,`,
    ];
    const report = await importBillingFile(s.store.db, csv(...lines));
    assert.equal(report.exitCode, 1);
    assert.equal(report.status, 'done');
    const expected: Array<[line: number, reason: string]> = [
      [4, 'account_number "1111111111A" is not 10 or 11 digits'],
      [5, 'invoice_number "33333333334" is not 12 digits'],
      [6, 'meter_number "333" is not 7 to 18 letters or digits'],
      [7, 'invoice_date 2021-06-31 is not a real calendar date'],
      [8, 'period_end 2024-01-31 is before period_start 2024-02-01'],
      [9, 'volume_m3 -1 is negative'],
      [10, 'volume_m3 1.0001 has more than 3 decimals'],
      [11, 'cost 1.001 has more than 2 decimals'],
      [12, 'estimated "maybe" is neither true nor false'],
      [13, 'rng_percent 101 is above 100'],
      [14, 'status "void" is neither billed nor cancelled'],
      [15, 'volume_m3 is missing'],
      [16, 'the line has 7 fields where the header has 11'],
      [
        17,
        'account_number "=1+1" looks like a spreadsheet formula; invoice_number "+333333333352" looks like a spreadsheet formula; ' +
          'invoice_date "@SUM(A1)" looks like a spreadsheet formula; meter_number "-3333333" looks like a spreadsheet formula',
      ],
      [18, 'invoice_number 333333333332 is already recorded for account 11111111111'],
      [19, 'invoice_number 333333333332 is already recorded with invoice_date 2021-05-20'],
      [
        20,
        'period 2021-05-15..2021-06-17 overlaps the billed period 2021-04-16..2021-05-16 of meter 2222222 (on line 2) by 2 days',
      ],
    ];
    assert.deepEqual(
      report.rejections,
      expected.map(([line, reason]) => ({ line, reason })),
    );
    assert.deepEqual([report.rowsRead, report.rowsImported, report.rowsRejected], [19, 2, 17]);
    assert.equal((await periods(s.store.db)).length, 2);
    const stored = await s.store.db
      .selectFrom('billing_import_rejection')
      .select(['line', 'reason'])
      .where('import_id', '=', report.importId)
      .orderBy('line')
      .execute();
    assert.deepEqual(
      stored.map((r) => ({ line: r.line, reason: rowReasonText('en', readRowProblems(r.reason)) })),
      report.rejections,
    );
    const record = await s.store.db.selectFrom('billing_import').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([record.rows_read, record.rows_imported, record.rows_rejected], [19, 2, 17]);
    const log = await s.store.db.selectFrom('gateway_log').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([log.outcome, log.status], ['imported-with-rejections', 'done']);
  });

  it('checks overlaps against stored periods too, accepting a shared day', async () => {
    const report = await importAfterApril(
      s.store.db,
      '11111111111,333333333333,2021-06-20,2222222,2021-05-15,2021-06-17,200,,false',
      '11111111111,333333333333,2021-06-20,2222222,2021-05-16,2021-06-17,200,,false',
    );
    assert.deepEqual(report.rejections, [
      {
        line: 2,
        reason:
          'period 2021-05-15..2021-06-17 overlaps the billed period 2021-04-16..2021-05-16 of meter 2222222 (already stored) by 2 days',
      },
    ]);
    assert.equal(report.inserted, 1);
  });

  it('checks invoices against the recorded ones', async () => {
    const report = await importAfterApril(
      s.store.db,
      '22222222222,333333333332,2021-05-20,5555555,2021-04-16,2021-05-16,1,,false',
      '11111111111,333333333332,2021-05-19,5555555,2021-04-16,2021-05-16,1,,false',
      '11111111111,333333333332,2021-05-20,5555555,2021-04-16,2021-05-16,1,,false',
    );
    assert.deepEqual(
      report.rejections.map((r) => r.reason),
      [
        'invoice_number 333333333332 is already recorded for account 11111111111',
        'invoice_number 333333333332 is already recorded with invoice_date 2021-05-20',
      ],
    );
    assert.equal(report.inserted, 1);
  });

  it('reads a file saved with a byte order mark and CRLF line ends', async () => {
    const report = await importBillingFile(
      s.store.db,
      bytes(Buffer.from(`\uFEFF${HEADER}\r\n${APRIL}\r\n${MAY}\r\n`)),
    );
    assert.deepEqual([report.exitCode, report.inserted], [0, 2]);
  });

  it('rejects a line with a 10 MB field and imports the rest, in bounded memory', async () => {
    const huge = Buffer.alloc(10 * 1024 * 1024, 'x');
    const path = bytes(
      Buffer.concat([Buffer.from(`${HEADER}\n${APRIL}\n11111111111,`), huge, Buffer.from(`\n${MAY}\n`)]),
    );
    const report = await importBillingFile(s.store.db, path);
    assert.equal(report.exitCode, 1);
    assert.deepEqual(report.rejections, [
      { line: 3, reason: 'the line is longer than 65536 bytes and was not read' },
    ]);
    assert.equal(report.inserted, 2);
  });

  it('rejects a line that is not UTF-8 rather than storing garbled values', async () => {
    const path = bytes(
      Buffer.concat([
        Buffer.from(`${HEADER}\n${APRIL}\n`),
        Buffer.from(
          '11111111111,333333333333,2021-06-20,2222222\xe9,2021-05-17,2021-06-17,200,,false\n',
          'latin1',
        ),
      ]),
    );
    const report = await importBillingFile(s.store.db, path);
    assert.deepEqual(report.rejections, [
      { line: 3, reason: 'the line contains bytes that are not valid UTF-8' },
    ]);
    assert.equal(report.inserted, 1);
  });

  it('stores nothing from a file without a required column, and says which (exit code 2)', async () => {
    const report = await importBillingFile(
      s.store.db,
      csv('account_number,invoice_number,invoice_date,meter_number,period_start,volume_m3', APRIL),
    );
    assert.deepEqual(
      [report.exitCode, report.status, report.errorCode, report.error],
      [2, 'failed', 'missing-columns', 'the header lacks the required column period_end'],
    );
    assert.equal(report.rowsRead, 0);
    assert.deepEqual(await periods(s.store.db), []);
    assert.deepEqual(await s.store.db.selectFrom('billing_invoice').selectAll().execute(), []);
    const record = await s.store.db.selectFrom('billing_import').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual(
      [record.status, record.error && importProblemText('en', readImportProblem(record.error))],
      ['failed', report.error],
    );
    const log = await s.store.db.selectFrom('gateway_log').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([log.outcome, log.status], ['failed', 'error']);
    assert.equal(JSON.parse(log.details ?? '').problem, 'missing-columns');
  });

  it('fails on an empty file, a missing file and a file that breaks off in a quote, storing nothing', async () => {
    const empty = await importBillingFile(s.store.db, bytes(Buffer.alloc(0)));
    assert.deepEqual([empty.exitCode, empty.errorCode], [2, 'empty']);
    const missing = await importBillingFile(s.store.db, join(dir, 'no-such-file.csv'));
    assert.deepEqual(
      [missing.exitCode, missing.errorCode, missing.fileName],
      [2, 'unreadable', 'no-such-file.csv'],
    );
    const broken = await importBillingFile(s.store.db, csv(HEADER, APRIL, `"${MAY}`));
    assert.deepEqual(
      [broken.exitCode, broken.error],
      [2, 'line 3: a quoted field opened on this line is never closed; the file could not be read further'],
    );
    assert.deepEqual(await periods(s.store.db), []);
  });

  it('keeps the first 1000 rejections and counts them all', async () => {
    const bad = Array.from(
      { length: 1005 },
      () => '11111111111,333333333333,2021-06-20,2222222,2021-05-17,x,1,,false',
    );
    const seen: number[] = [];
    const report = await importBillingFile(s.store.db, csv(HEADER, ...bad), {
      onRejection: (r) => seen.push(r.line),
    });
    assert.deepEqual([report.rowsRejected, report.rejections.length, seen.length], [1005, 1000, 1005]);
    assert.equal(seen.at(-1), 1006);
    const { count } = await s.store.db
      .selectFrom('billing_import_rejection')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count), 1000);
  });

  it('lets a later row for the same period replace an earlier one, also far apart, and a re-import change nothing', async () => {
    const filler = Array.from(
      { length: FILE_BATCH_SIZE + 100 },
      (_, i) => `11111111111,333333333333,2021-06-20,M${1000000 + i},2021-05-17,2021-06-17,1,,false`,
    );
    const file = csv(HEADER, MAY, MAY.replace(',200,', ',201,'), ...filler, MAY.replace(',200,', ',202,'));
    const first = await importBillingFile(s.store.db, file);
    assert.equal(first.exitCode, 0);
    assert.deepEqual([first.rowsReplaced, first.inserted, first.updated], [1, filler.length + 1, 1]);
    const may = (await periods(s.store.db)).find((p) => p.meter_number === '2222222');
    assert.deepEqual([may?.volume_m3, may?.revision], ['202.000', 2]);

    await markChangedMetersDue(s.store.db); // the ESPM side has read the first import
    const link = await insertBareLink(s.store.db, { meterNumber: '2222222', status: 'accepted' });
    const again = await importBillingFile(s.store.db, file);
    assert.deepEqual([again.rowsImported, again.touchedMeters.length], [0, 0]);
    const still = (await periods(s.store.db)).find((p) => p.meter_number === '2222222');
    assert.deepEqual([still?.volume_m3, still?.revision], ['202.000', 2]);
    assert.equal(await syncDue(s.store.db, link), false);
  });
});
