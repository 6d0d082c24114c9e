// Every reason the billing importer gives, for a line or a whole file, reads in French on the console
// as read back from the store: the reasons come from real imports of broken files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importBillingFile } from '../billing/import-billing-file.ts';
import { importBillingRows } from '../billing/import-billing-rows.ts';
import type { Store } from '../store/database.ts';
import { openTestStore } from '../../test-support/test-store.ts';
import { importErrorText, rejectionText } from './billing-reasons.ts';

const HEADER = 'account_number,invoice_number,invoice_date,meter_number,period_start,period_end,volume_m3';
const FULL_HEADER = `${HEADER},cost,estimated,rng_percent,status`;
const good = (n: number, start: string, end: string, invoice = `30000000000${n}`) =>
  `1111111111${n},${invoice},2024-02-05,M222222${n},${start},${end},100.5`;

/** Broken lines, each giving the importer one kind of reason. */
const BROKEN_LINES = [
  `${good(1, '2024-01-01', '2024-01-31')},,,,`,
  `${good(1, '2024-01-15', '2024-02-14', '300000000009')},,,,`, // overlaps the line before
  `${good(2, '2024-01-01', '2024-01-31', '300000000001')},,,,`, // invoice of another account
  `1111111111,30000000000,2024-02-05,M2222223,2024-01-01,2024-01-31,100.5,,,,`, // short numbers
  `11111111113,300000000003,2024-02-05,M2222,2024-01-01,2024-01-31,100.5,,,,`, // short meter
  `11111111113,300000000003,2024-02-30,M2222223,01/01/2024,2024-01-31,abc,,,,`,
  `11111111113,300000000003,2024-02-05,M2222223,2024-01-01,2024-01-31,"1,5",,,,`,
  `11111111113,300000000003,2024-02-05,M2222223,2024-01-01,2024-01-31,-4,,,,`,
  `11111111113,300000000003,2024-02-05,M2222223,2024-01-01,2024-01-31,1.12345,,,,`,
  `11111111113,300000000003,2024-02-05,M2222223,2024-01-01,2024-01-31,123456789012345,,,,`,
  `11111111113,300000000003,2024-02-05,M2222223,2024-01-01,2024-01-31,1,,maybe,101,lost`,
  `11111111113,300000000003,2024-02-05,M2222223,2024-01-31,2024-01-01,1,,,,`,
  `=SUM(A1),300000000003,2024-02-05,M2222223,2024-01-01,2024-01-31,1,,,,`,
  `,300000000003,2024-02-05,M2222223,2024-01-01,2024-01-31,1,,,,`,
  `11111111113,300000000003,2024-02-05,M2222223,2024-01-01`,
  `11111111113,300000000003,2024-02-05,M2222223,2024-01-01,2024-01-31,1,,,,${'x'.repeat(70_000)}`,
];

/** Files the importer refuses as a whole. */
const BROKEN_FILES: Array<string | Buffer> = [
  '',
  `${HEADER},account_number\n`,
  'account_number;invoice_number;invoice_date\n1;2;3\n',
  'account_number,invoice_number\n',
  Buffer.from('account_number\u0000,x\n'),
  Buffer.concat([Buffer.from('account_num'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n')]),
  `${HEADER}\n${good(4, '2024-01-01', '2024-01-31')}\n"unclosed,1,2\n`,
  `${'y'.repeat(70_000)}\n`,
];

describe('billing reasons on the console', () => {
  let store: Store;
  let dir: string;
  /** Each reason as the store keeps it, with the English the import report gave for it. */
  const reasons = new Map<string, string>();

  before(async () => {
    store = await openTestStore();
    dir = mkdtempSync(join(tmpdir(), 'billing-reasons-'));
    const english = new Map<string, string>();
    const collect = (r: { rejections: Array<{ reason: string }>; error: string | null }) => {
      for (const x of r.rejections) english.set(x.reason, x.reason);
      if (r.error) english.set(r.error, r.error);
    };
    const file = join(dir, 'lines.csv');
    writeFileSync(file, [FULL_HEADER, ...BROKEN_LINES, ''].join('\n'));
    collect(await importBillingFile(store.db, file));
    // Imported again once the file's own later lines changed what an earlier row was checked against.
    const again = join(dir, 'again.csv');
    writeFileSync(
      again,
      [
        FULL_HEADER,
        `${good(5, '2024-01-15', '2024-02-14')},,,,`,
        `${good(5, '2024-01-01', '2024-01-31', '300000000008')},,,,`,
        `${good(5, '2024-01-15', '2024-02-14')},,,,cancelled`,
        '',
      ].join('\n'),
    );
    collect(await importBillingFile(store.db, again));
    collect(await importBillingFile(store.db, again));
    for (const [i, content] of BROKEN_FILES.entries()) {
      const path = join(dir, `file-${i}.csv`);
      writeFileSync(path, content);
      const r = await importBillingFile(store.db, path);
      assert.ok(r.error, `file ${i} should be refused as a whole`);
      collect(r);
    }
    collect(await importBillingFile(store.db, join(dir, 'no-such-file.csv')));
    collect(await importBillingRows(store.db, [{ account_number: 11111111113, invoice_number: {} }, 'x']));
    for (const r of await store.db.selectFrom('billing_import_rejection').select('reason').execute())
      reasons.set(r.reason, rejectionText('en', r.reason));
    for (const i of await store.db.selectFrom('billing_import').select('error').execute())
      if (i.error) reasons.set(i.error, importErrorText('en', i.error));
    // What the store gives back reads as the report said it.
    assert.deepEqual(new Set(reasons.values()), new Set(english.keys()));
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('translates every reason the importer gave, keeping columns, values and numbers', () => {
    assert.ok(reasons.size >= 25, `${reasons.size} reasons collected`);
    const english =
      /\b(is|the|has|line|not|and|or|of|by|with|must|looks|uses|missing|read|file|number|boolean)\b|[^ ]; /;
    for (const [stored, reason] of reasons) {
      const french = stored.startsWith('[') ? rejectionText('fr', stored) : importErrorText('fr', stored);
      // Values and column names are the file's own, the system's words why a file cannot be read its
      // own: only what lies outside them must be French.
      const words = french
        .replace(/"(?:[^"\\]|\\.)*"/g, '""')
        .replace(/\b[a-z]+_[a-z_0-9]+\b/g, '')
        .replace(/ne peut pas être lu : .*/, '');
      assert.doesNotMatch(words, english, `untranslated: ${reason} → ${french}`);
      for (const n of reason.match(/\d{4}-\d{2}-\d{2}|\b\d+\b/g) ?? [])
        assert.ok(french.includes(n), `${n} lost in: ${french}`);
      console.log('# ' + french.slice(0, 200));
    }
  });

  it('reads an overlap as the operator would say it', () => {
    const overlap = [...reasons].find(([, english]) => english.includes('overlaps the billed period'));
    assert.ok(overlap);
    assert.equal(
      rejectionText('fr', overlap[0]),
      'la période 2024-01-15..2024-02-14 chevauche de 17 jours la période facturée 2024-01-01..2024-01-31 du compteur M2222221 (ligne 2)',
    );
  });

  it('shows a reason stored as an English sentence before reasons were values, as it was written', () => {
    assert.equal(rejectionText('fr', 'volume_m3 is missing'), 'volume_m3 is missing');
    assert.equal(importErrorText('fr', 'the file is empty'), 'the file is empty');
  });
});
