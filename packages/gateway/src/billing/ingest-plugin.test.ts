import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { forEachStore, resetStore } from '../../test-support/test-store.ts';
import { billingIngestPlugin } from './ingest-plugin.ts';

const TOKEN = 'a-long-random-token-shared-with-the-billing-system';
const auth = { authorization: `Bearer ${TOKEN}` };

// The guide's example, as the billing system would push it.
const april = {
  account_number: '11111111111',
  invoice_number: '333333333332',
  invoice_date: '2021-05-20',
  meter_number: '2222222',
  period_start: '2021-04-16',
  period_end: '2021-05-16',
  volume_m3: 251,
  cost: '120.50',
  estimated: false,
};
const may = {
  ...april,
  invoice_number: '333333333333',
  invoice_date: '2021-06-20',
  period_start: '2021-05-17',
  period_end: '2021-06-17',
  volume_m3: '200',
  rng_percent: 5,
  status: 'billed',
};

forEachStore('the billing ingest over HTTP', (s) => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify();
    await app.register(billingIngestPlugin, { store: s.store, token: TOKEN });
  });
  after(() => app.close());
  beforeEach(() => resetStore(s.store));

  const push = (body: unknown, headers: Record<string, string> = auth) =>
    app.inject({ method: 'POST', url: '/api/billing/rows', headers, payload: body as object });

  it('imports pushed rows and answers with the report', async () => {
    const response = await push({ rows: [april, may] });
    assert.equal(response.statusCode, 200);
    const report = response.json();
    assert.deepEqual(
      [
        report.source,
        report.exitCode,
        report.rowsRead,
        report.inserted,
        report.rejections,
        report.touchedMeters,
      ],
      ['http', 0, 2, 2, [], ['2222222']],
    );
    const periods = await s.store.db
      .selectFrom('billing_period')
      .select(['volume_m3', 'rng_percent'])
      .execute();
    assert.deepEqual(periods.map((p) => [p.volume_m3, p.rng_percent]).sort(), [
      ['200.000', '5.00'],
      ['251.000', null],
    ]);
    const log = await s.store.db.selectFrom('gateway_log').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([log.service, log.subject, log.outcome], ['BillingImport', 'http', 'imported']);
  });

  it('rejects bad rows by their index in the array and imports the others', async () => {
    const response = await push({
      rows: [april, { ...may, account_number: 11111111111 }, { ...may, period_end: '2021-05-01' }, may],
    });
    assert.equal(response.statusCode, 200);
    const report = response.json();
    assert.equal(report.exitCode, 1);
    assert.deepEqual(report.rejections, [
      { index: 1, reason: 'account_number must be given as text, not a number' },
      { index: 2, reason: 'period_end 2021-05-01 is before period_start 2021-05-17' },
    ]);
    assert.equal(report.inserted, 2);
  });

  it('records the customer an account belongs to, when the row says', async () => {
    const response = await push({ rows: [{ ...april, customer_id: 'CL-9' }] });
    assert.equal(response.json().inserted, 1);
    const period = await s.store.db
      .selectFrom('billing_period')
      .select('customer_id')
      .executeTakeFirstOrThrow();
    assert.equal(period.customer_id, 'CL-9');
  });

  it('changes nothing when the same rows are pushed again', async () => {
    await push({ rows: [april, may] });
    const again = (await push({ rows: [april, may] })).json();
    assert.deepEqual([again.rowsUnchanged, again.rowsImported, again.touchedMeters], [2, 0, []]);
  });

  it('answers 401 without the token or with a wrong one, before reading the rows', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong' },
      { authorization: TOKEN },
      { authorization: `Basic ${TOKEN}` },
    ]) {
      const response = await push({ rows: [april] }, headers);
      assert.equal(response.statusCode, 401);
      assert.equal(response.headers['www-authenticate'], 'Bearer');
      assert.equal(response.json().error, 'unauthorized');
    }
    assert.deepEqual(await s.store.db.selectFrom('billing_period').selectAll().execute(), []);
  });

  it('answers 400 with a clear message to a malformed body', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /must have required property 'rows'/],
      [{ rows: { april } }, /rows must be array/],
      [{ rows: [april, 'may'] }, /rows\/1 must be object/],
      [{ rows: Array.from({ length: 10_001 }, () => april) }, /must NOT have more than 10000 items/],
    ];
    for (const [body, message] of cases) {
      const response = await push(body);
      assert.equal(response.statusCode, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(response.json().error, 'invalid-body');
      assert.match(response.json().message, message);
    }
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/billing/rows',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"rows": [',
    });
    assert.equal(notJson.statusCode, 400);
    assert.equal(notJson.json().error, 'invalid-request');
    assert.deepEqual(await s.store.db.selectFrom('billing_import').selectAll().execute(), []);
  });

  it('refuses to start without a token', async () => {
    const bare = Fastify();
    await assert.rejects(async () => {
      await bare.register(billingIngestPlugin, { store: s.store, token: '' });
      await bare.ready();
    }, /needs a token/);
    await bare.close();
  });
});
