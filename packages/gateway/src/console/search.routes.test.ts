// The console's one search box (/recherche) over HTTP: what each kind of entry finds, in both
// languages, and the request log that never keeps what was searched for.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { importBillingRows } from '../billing/import-billing-rows.ts';
import { addPremises, createBuilding } from '../buildings/buildings.ts';
import { loadConfig } from '../config/config.ts';
import { buildHttpServer } from '../http/server.ts';
import type { Store } from '../store/database.ts';
import { consoleTestGateway, UNREACHABLE_ESPM_ENV } from '../../test-support/console-gateway.ts';
import { plainText } from '../../test-support/console-client.ts';
import { GUIDE } from '../../test-support/guide-example.ts';
import { openTestStore } from '../../test-support/test-store.ts';
import type { SeedIds } from '../../test-support/test-seed.ts';
import { createSession, SESSION_COOKIE } from './auth/sessions.ts';
import { LANG_COOKIE } from './navigation.ts';

describe('the one search box', () => {
  let store: Store;
  let app: FastifyInstance;
  let ids: SeedIds;
  let cookie = '';
  const logged: string[] = [];

  before(async () => {
    store = await openTestStore();
    const seeded = await consoleTestGateway(store);
    ids = seeded.ids;
    await importBillingRows(store.db, [
      {
        account_number: '4300000001',
        invoice_number: '830000000001',
        invoice_date: '2024-02-03',
        meter_number: 'SRCH0001',
        period_start: '2024-01-01',
        period_end: '2024-01-31',
        volume_m3: '12',
        premise_id: 'PR-SEARCH-1',
        service_address: '1200, avenue McGill College',
      },
    ]);
    await createBuilding(store.db, { buildingId: 'MCGILL-1200', name: 'Tour McGill' }, { operator: 'marie' });
    await addPremises(
      store.db,
      'MCGILL-1200',
      [{ premiseId: 'PR-SEARCH-1', ownerHeld: false }],
      { operator: 'marie' },
      new Date(),
    );
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    app = await buildHttpServer({
      gateway: seeded.gateway,
      config: loadConfig(UNREACHABLE_ESPM_ENV),
      scheduler: { trigger: async () => {}, stop: async () => {} },
      logStream,
    });
    const session = await createSession(store.db, 'victor', new Date());
    cookie = `${SESSION_COOKIE}=${session.id}`;
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  const search = async (q: string, lang: 'fr' | 'en' = 'fr') => {
    const res = await app.inject({
      method: 'GET',
      url: `/recherche?q=${encodeURIComponent(q)}`,
      headers: { cookie: `${cookie}; ${LANG_COOKIE}=${lang}` },
    });
    assert.equal(res.statusCode, 200);
    return res.body;
  };
  const section = (page: string, id: string) => {
    const at = page.indexOf(`id="${id}"`);
    return at < 0 ? '' : page.slice(at, page.indexOf('</section>', at));
  };

  it('finds a customer by part of a name or an e-mail, and by ESPM account id', async () => {
    for (const q of ['charron', 'MECHARRON@code201', 'Marc-Etienne']) {
      assert.match(section(await search(q), 'h-s-customers'), /mecharron@code201\.ca/, q);
    }
  });

  it('finds shares by meter number, ESPM meter id, ESPM username, account and invoice number', async () => {
    for (const q of [GUIDE.meterNumber, GUIDE.espmMeterId, 'code201', GUIDE.accountNumber]) {
      assert.ok(section(await search(q), 'h-s-shares').includes(`href="/compteurs/${ids.guideLink}"`), q);
    }
  });

  it('leads to the billing account from an invoice or meter number, through a posted lookup', async () => {
    const page = await search(GUIDE.invoiceNumber, 'en');
    const account = section(page, 'h-s-account');
    assert.match(account, /found by the invoice number/);
    assert.match(account, /<form method="post" action="\/comptes"/);
    assert.ok(account.includes(`name="compte" value="${GUIDE.accountNumber}"`));
  });

  it('finds a building by name, and by a premise or a service address in it', async () => {
    for (const q of ['tour mcgill', 'PR-SEARCH', 'mcgill college']) {
      assert.ok(section(await search(q), 'h-s-buildings').includes('href="/batiments/MCGILL-1200"'), q);
    }
  });

  it('says when nothing matches, in French and in English, and has the box on every page', async () => {
    assert.match(plainText(await search('zzzz-nothing')), /Rien ne correspond à « zzzz-nothing »/);
    assert.match(await search('zzzz-nothing', 'en'), /Nothing matches “zzzz-nothing”/);
    const home = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
    assert.match(home.body, /<form class="search-box" method="get" action="\/recherche"/);
  });

  it('searches the journal by meter, account, text and dates', async () => {
    const journal = async (q: Record<string, string>) => {
      const res = await app.inject({
        method: 'GET',
        url: `/journal?${new URLSearchParams(q).toString()}`,
        headers: { cookie },
      });
      assert.equal(res.statusCode, 200);
      return res.body.slice(res.body.indexOf('<tbody>'));
    };
    // A billing meter number stands for the ESPM meters of the shares that named it.
    const byMeter = await journal({ compteur: GUIDE.meterNumber });
    assert.ok(byMeter.includes(GUIDE.espmMeterId) && byMeter.includes('157127001'));
    assert.ok(!byMeter.includes('facturation-2023-04.csv'));
    const byAccount = await journal({ compte: GUIDE.accountNumber });
    assert.ok(byAccount.includes(GUIDE.espmMeterId));
    assert.ok(!byAccount.includes('157200001'));
    const byText = await journal({ q: 'FACTURATION-2023' });
    assert.ok(byText.includes('facturation-2023-04.csv'));
    assert.ok(!byText.includes(GUIDE.espmMeterId));
    // The guide's lines are from 2023, the others from the last days.
    const in2023 = await journal({ du: '2023-01-01', au: '2023-12-31' });
    assert.ok(in2023.includes(GUIDE.espmMeterId));
    assert.ok(!in2023.includes('facturation-2023-04.csv'));
    const bad = await app.inject({ method: 'GET', url: '/journal?du=2023-13-45', headers: { cookie } });
    assert.equal(bad.statusCode, 400);
  });

  it('keeps what was searched for out of the request log', async () => {
    await search('mecharron@code201.ca');
    const lines = logged.join('');
    assert.match(lines, /"url":"\/recherche"/);
    assert.doesNotMatch(lines, /mecharron/);
  });
});
