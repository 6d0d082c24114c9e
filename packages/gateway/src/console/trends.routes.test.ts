// Tendances over HTTP: each chart counts what the journal, the entries and the links hold, by day or by
// week, in French and in English, drawn as SVG in the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { logRow } from '../log/gateway-log.ts';
import type { Store } from '../store/database.ts';
import { consoleTestGateway } from '../../test-support/console-gateway.ts';
import { openTestStore } from '../../test-support/test-store.ts';
import { createSession, SESSION_COOKIE } from './auth/sessions.ts';
import { LANG_COOKIE } from './navigation.ts';
import { consolePlugin } from './plugin.ts';
import { bucketsOf } from './queries/trends.ts';

describe('the trends page', () => {
  let store: Store;
  let app: FastifyInstance;
  let cookie = '';
  // Noon in Montréal today, whatever the hour the test runs at (a line at "now" could fall tomorrow there).
  const montrealToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Montreal' }).format(new Date());
  const at = new Date(`${montrealToday}T12:00:00-05:00`);

  before(async () => {
    store = await openTestStore();
    const seeded = await consoleTestGateway(store);
    // Today's lines only: the seed's own are days old or from 2023.
    await store.db.deleteFrom('gateway_log').execute();
    const lines = [
      ...Array.from({ length: 3 }, () => ({
        service: 'MeterConnectionManager' as const,
        event: { kind: 'accepted' as const },
      })),
      ...Array.from({ length: 2 }, () => ({
        service: 'MeterConnectionManager' as const,
        event: { kind: 'rejected' as const, rule: 'invoice-not-latest' as const },
      })),
      {
        service: 'ConsumptionUpdater' as const,
        event: { kind: 'sent' as const, created: 5, updated: 2, deleted: 0, adopted: 0 },
      },
      { service: 'ConsumptionUpdater' as const, event: { kind: 'failed' as const, message: 'boom' } },
    ];
    await store.db
      .insertInto('gateway_log')
      .values(lines.map((l) => logRow({ ...l, subject: '157127890' }, at)))
      .execute();
    app = Fastify();
    await app.register(consolePlugin, { gateway: seeded.gateway });
    cookie = `${SESSION_COOKIE}=${(await createSession(store.db, 'victor', new Date())).id}`;
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  const page = async (url: string, lang: 'fr' | 'en') => {
    const res = await app.inject({
      method: 'GET',
      url,
      headers: { cookie: `${cookie}; ${LANG_COOKIE}=${lang}` },
    });
    assert.equal(res.statusCode, 200);
    return res.body;
  };

  it('counts shares by outcome and rule, entries sent and errors by service, by day', async () => {
    const fr = await page('/tendances', 'fr');
    assert.match(fr, /<svg class="chart"/);
    assert.ok(fr.includes(`<title>${montrealToday} · Acceptés : 3</title>`));
    assert.ok(fr.includes(`<title>${montrealToday} · Refusés : Facture autre que la dernière : 2</title>`));
    assert.ok(fr.includes(`<title>${montrealToday} · Entrées : 7</title>`));
    assert.ok(fr.includes(`<title>${montrealToday} · Envoi des consommations : 1</title>`));
    const en = await page('/tendances', 'en');
    assert.ok(en.includes(`<title>${montrealToday} · Rejected: Not the latest invoice: 2</title>`));
    assert.ok(en.includes(`<title>${montrealToday} · Consumption sending: 1</title>`));
    assert.match(en, /Oldest pending request/);
    assert.doesNotMatch(en, /https?:\/\/(?!www\.w3\.org)/, 'nothing fetched from elsewhere');
  });

  it('groups by week from Monday', async () => {
    const weeks = bucketsOf('weeks', montrealToday);
    assert.equal(weeks.length, 26);
    assert.equal(new Date(`${weeks[25]}T00:00:00Z`).getUTCDay(), 1);
    const fr = await page('/tendances?par=semaine', 'fr');
    assert.ok(fr.includes(`<title>${weeks[25]} · Acceptés : 3</title>`));
  });

  it('shows how long the oldest pending request has waited', async () => {
    const fr = await page('/tendances', 'fr');
    const pending = fr.slice(fr.indexOf('id="h-t-pending"'));
    const last = [...pending.matchAll(/<title>[\d-]+ · Âge de la plus ancienne : ([\d  ,]+) h<\/title>/g)].at(
      -1,
    );
    assert.ok(
      last && Number(last[1]!.replace(/\s/g, '').replace(',', '.')) > 0,
      'the seed’s pending share waits',
    );
  });
});
