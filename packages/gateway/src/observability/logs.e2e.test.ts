// The structured log of a serve-like setup against the simulator: service runs are logged as JSON with
// their counts and durations, errors too, and never the ESPM password, the Authorization or Cookie
// headers, nor the custom field values customers typed. Also checks the consumption metrics end to end.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/config.ts';
import { runCycle } from '../exchange/cycle.ts';
import { buildHttpServer } from '../http/server.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Gateway } from '../runtime.ts';
import { espmClientFor } from '../runtime.ts';
import { guideAnswers, guideBillingRows } from '../../test-support/guide-example.ts';
import type { Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import { upsertOperator } from '../console/auth/operators.ts';
import { createSession } from '../console/auth/sessions.ts';
import { historyCsv } from './history-export.ts';
import { registry } from './metrics.ts';

const PASSWORD = 'Pw-zq7Xk!distinct-5531';
const WRONG_PASSWORD = 'Wrong-pw-hh2Q!-8812';
const SECRET_VALUES = { accountNumber: '98765432109', invoiceNumber: '876543210987', meterNumber: '7654321' };
const INGEST_TOKEN = 'ingest-token-Hq83-zzv-2210';
const METRICS_TOKEN = 'metrics-token-Pk29-wwr-7781';
const OPERATOR_PASSWORD = 'operator-pw-Tq55-xxa-3319';

async function lagCount(): Promise<number> {
  const m = await registry.getSingleMetric('gateway_billing_to_espm_lag_seconds')?.get();
  const count = m?.values.find(
    (v) => (v as { metricName?: string }).metricName === 'gateway_billing_to_espm_lag_seconds_count',
  );
  return count?.value ?? 0;
}

async function metricValue(name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  const v = m?.values.find((x) => Object.entries(labels).every(([k, l]) => String(x.labels[k]) === l));
  return v?.value ?? 0;
}

describe('structured logs and metrics against the simulator', () => {
  let h: Harness;
  let app: FastifyInstance;
  let output = '';
  let goodMeter = '';

  before(async () => {
    h = await startHarness({ simulator: { provider: { username: 'gaz-provider', password: PASSWORD } } });
    const config = loadConfig({
      ESPM_BASE_URL: h.sim.url,
      ESPM_USERNAME: 'gaz-provider',
      ESPM_PASSWORD: PASSWORD,
      GATEWAY_LOG_LEVEL: 'debug',
      GATEWAY_INGEST_TOKEN: INGEST_TOKEN,
      GATEWAY_METRICS_TOKEN: METRICS_TOKEN,
    });
    const gateway = { store: h.store, espm: h.espm, ctx: h.ctx, close: async () => {} } as unknown as Gateway;
    const scheduler: Scheduler = { trigger: async () => {}, stop: async () => {}, isReady: () => true };
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        output += chunk.toString();
        done();
      },
    });
    app = await buildHttpServer({ gateway, config, scheduler, operate: true, logStream });
    await h.importAccepted(guideBillingRows({ withPeriodBeforeWindow: true }));
    const customer = await h.customer('code301', 'Code');
    const { meterIds } = await h.shareNewProperty(customer, 'Bureau', [
      { answers: guideAnswers() },
      { answers: { ...SECRET_VALUES, initialLoad: '12' } },
    ]);
    goodMeter = meterIds[0]!;
  });
  after(async () => {
    await app?.close();
    await h?.close();
  });

  it('logs each service run as JSON, counts what was sent and observes the billing lag', async () => {
    const createdBefore = await metricValue('gateway_consumption_entries_total', { operation: 'created' });
    const lagBefore = await lagCount();
    await h.cleanCycle();
    const lines = output
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const runs = lines.filter((l) => l.event === 'service-run');
    assert.deepEqual(
      runs.map((r) => r.service),
      [
        'NotificationWatcher',
        'ConnectionManager',
        'PropertyShareManager',
        'MeterConnectionManager',
        'ConsumptionUpdater',
      ],
    );
    const consumption = runs.at(-1)!;
    assert.equal(typeof consumption.durationMs, 'number');
    assert.equal((consumption.summary as { created: number }).created, 23);
    assert.equal(
      (await metricValue('gateway_consumption_entries_total', { operation: 'created' })) - createdBefore,
      23,
    );
    const lagAfter = await lagCount();
    assert.equal(lagAfter - lagBefore, 23);
  });

  it('logs the errors of a run refused by ESPM, and an alert', async () => {
    const wrong = espmClientFor({
      baseUrl: h.sim.url,
      username: 'gaz-provider',
      password: WRONG_PASSWORD,
      maxRps: 100,
      maxConcurrency: 2,
      timeoutMs: 2000,
    });
    try {
      const report = await runCycle({ ...h.ctx, espm: wrong });
      assert.ok(report.fatal);
    } finally {
      await wrong.close();
    }
    await app.inject({
      url: '/readyz',
      headers: {
        authorization: `Basic ${Buffer.from(`x:${PASSWORD}`).toString('base64')}`,
        cookie: 'sid=abc',
      },
    });
    await app.inject({ url: '/connexion', headers: { cookie: `gw_session=${PASSWORD}` } });
    // An operator signing in (wrong, then right), the billing system pushing rows, Prometheus scraping.
    await upsertOperator(h.store.db, { username: 'claire', role: 'operator', password: OPERATOR_PASSWORD });
    for (const password of [`${OPERATOR_PASSWORD}-typo`, OPERATOR_PASSWORD]) {
      const form = await app.inject({ url: '/connexion' });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      await app.inject({
        method: 'POST',
        url: '/connexion',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, username: 'claire', password }).toString(),
      });
    }
    for (const token of [INGEST_TOKEN, `${INGEST_TOKEN}-wrong`])
      await app.inject({
        method: 'POST',
        url: '/api/billing/rows',
        headers: { authorization: `Bearer ${token}` },
        payload: { rows: [] },
      });
    await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const lines = output
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(
      lines.some((l) => l.event === 'service-run' && l.espmKind === 'unauthorized' && l.level === 50),
    );
    assert.ok(
      lines.some((l) => l.event === 'alert' && l.alert === 'espm-unauthorized' && l.status === 'firing'),
    );
  });

  it('exports the meter’s sent history as CSV, in the console (signed in) and for the CLI', async () => {
    const { csv, rows } = await historyCsv(h.store.db, { espmMeterId: goodMeter });
    assert.equal(rows, 23);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(
      lines[0],
      'espm_meter_id,period_start,period_end,volume_m3,usage,unit_of_measure,estimated,rng_percent,espm_entry_id,state,sent_at,updated_at',
    );
    assert.match(
      lines[1]!,
      new RegExp(
        `^${goodMeter},\\d{4}-\\d{2}-\\d{2},\\d{4}-\\d{2}-\\d{2},[\\d.]+,[\\d.]+,[^,]+,(true|false),[^,]*,\\d+,sent,\\d{4}-`,
      ),
    );
    const link = await h.linkOf(goodMeter);
    const url = `/compteurs/${link.id}/historique.csv`;
    const anonymous = await app.inject({ url });
    assert.equal(anonymous.statusCode, 303);
    await upsertOperator(h.store.db, { username: 'lecteur', role: 'viewer', password: 'a-long-password-42' });
    const session = await createSession(h.store.db, 'lecteur', new Date());
    const res = await app.inject({ url, headers: { cookie: `gw_console=${session.id}` } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(
      String(res.headers['content-disposition']),
      /attachment; filename="compteur-\d+-historique.csv"/,
    );
    assert.equal(res.body, csv);
    const page = await app.inject({
      url: `/compteurs/${link.id}`,
      headers: { cookie: `gw_console=${session.id}` },
    });
    assert.ok(page.body.includes(`href="${url}"`));
    const missing = await app.inject({
      url: '/compteurs/999999/historique.csv',
      headers: { cookie: `gw_console=${session.id}` },
    });
    assert.equal(missing.statusCode, 404);
  });

  it('never writes the password, the headers’ secrets or the custom field values', () => {
    assert.ok(output.length > 1000);
    // The requests carrying them were logged: the secrets were there to leak.
    for (const url of ['/api/billing/rows', '/connexion'])
      assert.ok(output.includes(`"${url}"`), `no log line of ${url}`);
    for (const secret of [
      PASSWORD,
      WRONG_PASSWORD,
      Buffer.from(`gaz-provider:${PASSWORD}`).toString('base64'),
      Buffer.from(`gaz-provider:${WRONG_PASSWORD}`).toString('base64'),
      Buffer.from(`x:${PASSWORD}`).toString('base64'),
      'sid=abc',
      INGEST_TOKEN,
      METRICS_TOKEN,
      OPERATOR_PASSWORD,
      ...Object.values(SECRET_VALUES),
    ]) {
      assert.ok(!output.includes(secret), `the log holds ${secret}`);
    }
  });
});
