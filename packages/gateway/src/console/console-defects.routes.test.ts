// Rough edges a new user of the console hit (issue 23): counts that disagree with what is listed,
// labels that say something else than their values, notes shown as sent that were never sent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/config.ts';
import { buildHttpServer } from '../http/server.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Store } from '../store/database.ts';
import { ConsoleClient, plainText } from '../../test-support/console-client.ts';
import { consoleTestGateway, UNREACHABLE_ESPM_ENV } from '../../test-support/console-gateway.ts';
import type { SeedIds } from '../../test-support/test-seed.ts';
import { openTestStore } from '../../test-support/test-store.ts';

describe('console rough edges', () => {
  let store: Store;
  let app: FastifyInstance;
  let ids: SeedIds;
  const scheduler: Scheduler = { trigger: async () => {}, stop: async () => {} };

  before(async () => {
    store = await openTestStore();
    ({ ids } = await consoleTestGateway(store).then(async (g) => {
      app = await buildHttpServer({
        gateway: g.gateway,
        config: loadConfig(UNREACHABLE_ESPM_ENV),
        scheduler,
      });
      return g;
    }));
  });

  after(async () => {
    await app?.close();
    await store?.close();
  });

  const links = () => store.db.selectFrom('meter_link').select(['id', 'status']).execute();

  it('counts meters on the home page without the rejections a later share superseded', async () => {
    const marie = new ConsoleClient(app, '10.24.0.2');
    await marie.signIn('marie');
    const home = plainText((await marie.get('/')).body);
    const superseded = 1; // the seed's supersededLink
    const meters = (await links()).length - superseded;
    const kpi = /href="\/compteurs">([\d\s]+)<\/a>\s*<span class="label" id="kpi-links">/.exec(home);
    assert.ok(kpi, 'the home page has the meters figure');
    assert.equal(Number(kpi[1]!.replace(/\s/g, '')), meters);
  });

  it('counts, on the meter list, the links it lists, even shares that arrived since the counts were cached', async () => {
    const marie = new ConsoleClient(app, '10.24.0.1');
    await marie.signIn('marie');
    const first = plainText((await marie.get('/compteurs')).body);
    const all = (await links()).length;
    assert.match(first, new RegExp(`1–${all} sur ${all}\\b`));
    // Two shares arrive: the cached per-status counts (10 s) do not know them yet.
    const template = await store.db
      .selectFrom('meter_link')
      .selectAll()
      .where('id', '=', ids.guideLink)
      .executeTakeFirstOrThrow();
    const { id: _id, ...values } = template;
    for (const m of ['158000001', '158000002'])
      await store.db
        .insertInto('meter_link')
        .values({
          ...values,
          espm_meter_id: m,
          status: 'pending',
          custom_fields: JSON.stringify(values.custom_fields),
          conflict: null,
        })
        .execute();
    const page = plainText((await marie.get('/compteurs')).body);
    assert.match(page, new RegExp(`1–${all + 2} sur ${all + 2}\\b`), /\d+–\d+ sur \d+/.exec(page)?.[0]);
  });

  it('names the list’s date column for what it holds, the end of the last period sent', async () => {
    const marie = new ConsoleClient(app, '10.24.0.3');
    await marie.signIn('marie');
    assert.doesNotMatch((await marie.get('/compteurs')).body, /Dernière sync/);
    assert.match((await marie.get('/compteurs')).body, /Dernière période envoyée/);
    await marie.setLang('en');
    const en = (await marie.get('/compteurs')).body;
    assert.doesNotMatch(en, /Last sync</);
    assert.match(en, /Last period sent/);
  });

  it('shows a conflict’s held-back periods as details, not as a note sent to the customer', async () => {
    const marie = new ConsoleClient(app, '10.24.0.4');
    await marie.signIn('marie');
    const page = (await marie.get(`/compteurs/${ids.conflictLink}`)).body;
    const history = page.slice(page.indexOf('id="h-history"'));
    const conflictRow = /<tr>(?:(?!<\/tr>)[\s\S])*?Conflit(?:(?!<\/tr>)[\s\S])*?<\/tr>/.exec(history)?.[0];
    assert.ok(conflictRow, 'the history has the conflict');
    const cells = [...conflictRow.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.trim());
    assert.equal(cells[3], '', 'nothing was sent to the customer');
    assert.match(cells[4]!, /Périodes retenues \(non envoyées\) : \d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d/);
  });

  it('points the meter page of a share refused as locked out to the unlock, then tells to share again', async () => {
    const victor = new ConsoleClient(app, '10.24.0.5');
    await victor.signIn('victor');
    const seen = plainText((await victor.get(`/compteurs/${ids.lockedOutLink}`)).body);
    assert.match(
      seen,
      /compte ESPM du client est verrouillé \(trop de partages refusés\), jusqu’au \d{4}-\d\d-\d\d/,
    );
    assert.match(seen, /Un opérateur peut le déverrouiller/);
    const marie = new ConsoleClient(app, '10.24.0.6');
    await marie.signIn('marie');
    const page = (await marie.get(`/compteurs/${ids.lockedOutLink}`)).body;
    const unlock = `/contacts/${ids.lockedAccount}/deverrouiller`;
    assert.ok(page.includes(`href="${unlock}"`), 'the unlock action is one click away');
    const confirm = await marie.submit(unlock, unlock, { confirm: 'yes' });
    assert.equal(confirm.statusCode, 303);
    assert.match(plainText((await marie.get('/refus')).body), /partager ses compteurs de nouveau/);
    const after = plainText((await marie.get(`/compteurs/${ids.lockedOutLink}`)).body);
    assert.match(
      after,
      /n’est plus verrouillé : pour que ce compteur soit accepté, le client doit le partager de nouveau/,
    );
    assert.ok(!after.includes(`href="${unlock}"`));
  });
});
