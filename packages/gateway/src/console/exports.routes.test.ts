// Every console list as CSV: the filters on screen, the columns in the reader's language, the rows read
// by keyset batches, and an ownership proof a viewer does not get whole.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import type { Store } from '../store/database.ts';
import { consoleTestGateway } from '../../test-support/console-gateway.ts';
import { GUIDE } from '../../test-support/guide-example.ts';
import { openTestStore } from '../../test-support/test-store.ts';
import type { SeedIds } from '../../test-support/test-seed.ts';
import { createSession, SESSION_COOKIE } from './auth/sessions.ts';
import { allRows, EXPORT_BATCH } from './csv.ts';
import { LANG_COOKIE } from './navigation.ts';
import { consolePlugin } from './plugin.ts';

/** A CSV answer's rows, its cells split (none of the seeded values holds a comma or a quote). */
function table(body: string): string[][] {
  assert.ok(body.startsWith('\uFEFF'), 'a byte-order mark for spreadsheets');
  return body
    .slice(1)
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => l.split(','));
}

describe('CSV exports', () => {
  let store: Store;
  let app: FastifyInstance;
  let ids: SeedIds;
  const cookies: Record<'marie' | 'victor', string> = { marie: '', victor: '' };

  before(async () => {
    store = await openTestStore();
    const seeded = await consoleTestGateway(store);
    ids = seeded.ids;
    app = Fastify();
    await app.register(consolePlugin, { gateway: seeded.gateway });
    for (const who of ['marie', 'victor'] as const)
      cookies[who] = `${SESSION_COOKIE}=${(await createSession(store.db, who, new Date())).id}`;
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  const get = async (url: string, lang: 'fr' | 'en' = 'fr', who: 'marie' | 'victor' = 'marie') => {
    const res = await app.inject({
      method: 'GET',
      url,
      headers: { cookie: `${cookies[who]}; ${LANG_COOKIE}=${lang}` },
    });
    assert.equal(res.statusCode, 200, url);
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="[\w-]+\.csv"$/);
    return res.body;
  };

  it('exports the meters with the list’s filters, columns named in French or in English', async () => {
    const fr = table(await get('/export/compteurs.csv?status=conflict'));
    assert.deepEqual(fr[0]!.slice(0, 2), ['Compteur ESPM', 'Compte ESPM']);
    assert.ok(fr.length > 1);
    assert.ok(
      fr.slice(1).every((r) => r[6] === 'En conflit'),
      'the status filter applies',
    );
    const en = table(await get('/export/compteurs.csv?status=conflict', 'en'));
    assert.deepEqual(en[0]!.slice(0, 2), ['ESPM meter', 'ESPM account']);
    assert.equal(en.length, fr.length);
    const all = table(await get('/export/compteurs.csv'));
    const links = await store.db
      .selectFrom('meter_link')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(all.length - 1, Number(links.n), 'every link');
    const searched = table(await get(`/export/compteurs.csv?q=${GUIDE.meterNumber}`));
    assert.ok(searched.slice(1).every((r) => r[4] === GUIDE.meterNumber));
  });

  it('exports the rejections, the lockouts, the contacts, the journal, the buildings and the billing imports', async () => {
    const rejections = table(await get('/export/refus.csv', 'en'));
    assert.equal(rejections[0]![0], 'Decided');
    assert.ok(rejections.some((r) => r[1] === '157127001'));
    const lockouts = table(await get('/export/verrouillages.csv', 'en'));
    assert.ok(lockouts.some((r) => r[0] === ids.lockedAccount));
    const contacts = table(await get('/export/contacts.csv?q=charron'));
    assert.equal(contacts.length, 2);
    assert.equal(contacts[1]![3], 'mecharron@code201.ca');
    const journal = table(await get(`/export/journal.csv?compteur=${GUIDE.espmMeterId}`, 'en'));
    assert.deepEqual(journal[0], ['Date', 'Service', 'Subject', 'Result', 'Status', 'Details', 'Operator']);
    assert.ok(journal.length > 2 && journal.slice(1).every((r) => r[2] === GUIDE.espmMeterId));
    const buildings = table(await get('/export/batiments.csv'));
    assert.equal(buildings[0]![0], 'Identifiant du bâtiment');
    const imports = table(await get('/export/facturation.csv', 'en'));
    assert.ok(imports.some((r) => r[2] === 'facturation-2023-04.csv'));
  });

  it('gives a viewer the invoice numbers masked', async () => {
    const operator = await get(`/export/compteurs.csv?q=${GUIDE.accountNumber}`, 'fr', 'marie');
    assert.ok(operator.includes(GUIDE.invoiceNumber));
    const viewer = await get(`/export/compteurs.csv?q=${GUIDE.accountNumber}`, 'fr', 'victor');
    assert.ok(!viewer.includes(GUIDE.invoiceNumber));
    assert.ok(!(await get('/export/refus.csv', 'fr', 'victor')).includes(GUIDE.invoiceNumber));
  });

  it('journals each download with the operator and the list, and not what was searched for', async () => {
    await get(`/export/contacts.csv?q=${GUIDE.accountNumber}`, 'en', 'victor');
    const line = await store.db
      .selectFrom('gateway_log')
      .selectAll()
      .where('outcome', '=', 'list-exported:contacts')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual([line.service, line.operator, line.subject], ['Operator', 'victor', 'contacts']);
    assert.deepEqual(line.event, { kind: 'list-exported', list: 'contacts' });
    assert.ok(!JSON.stringify(line).includes(GUIDE.accountNumber), 'the filter stays out of the journal');
  });

  it('reads a list page by page, holding one page at a time', async () => {
    const asked: Array<number | undefined> = [];
    const pages = allRows(async (after: number | undefined) => {
      asked.push(after);
      const start = after ?? 0;
      const rows = Array.from({ length: Math.min(EXPORT_BATCH, 2_500 - start) }, (_, i) => start + i);
      return { rows, next: start + rows.length < 2_500 ? start + rows.length : undefined };
    });
    let n = 0;
    for await (const row of pages) assert.equal(row, n++);
    assert.equal(n, 2_500);
    assert.deepEqual(asked, [undefined, 1_000, 2_000]);
  });
});
