// Health, readiness, metrics, alerts and retention, against an embedded store and a local webhook.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, loadOperabilityConfig } from '../config/config.ts';
import { buildHttpServer } from '../http/server.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import { logRow, writeLog } from '../log/gateway-log.ts';
import type { Store } from '../store/database.ts';
import { UNREACHABLE_ESPM_ENV, unreachableEspmGateway } from '../../test-support/console-gateway.ts';
import { openTestStore } from '../../test-support/test-store.ts';
import type { AlertPayload } from './alerts.ts';
import { Alerts } from './alerts.ts';
import { espmAttempts } from './events.ts';
import { pruneOldData } from './retention.ts';

const silent = {
  warn: () => {},
  info: () => {},
  error: () => {},
} as unknown as ConstructorParameters<typeof Alerts>[0]['log'];

describe('operability', () => {
  let store: Store;
  let app: FastifyInstance;
  let jobsRunning = true;
  let hook: Server;
  let hookUrl = '';
  const received: AlertPayload[] = [];

  before(async () => {
    store = await openTestStore('embedded');
    const config = loadConfig({ ...UNREACHABLE_ESPM_ENV, GATEWAY_METRICS_TOKEN: 'scrape-secret' });
    const gateway = unreachableEspmGateway(store);
    const scheduler: Scheduler = {
      trigger: async () => {},
      stop: async () => {},
      isReady: () => jobsRunning,
      queueSizes: async () => ({ 'espm-requests': 2, 'espm-notifications': 0, 'espm-consumption': 0 }),
    };
    app = await buildHttpServer({ gateway, config, scheduler });
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as AlertPayload);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`;
  });

  after(async () => {
    await app?.close();
    await store?.close();
    await new Promise((r) => hook?.close(r));
  });

  it('answers /healthz', async () => {
    const res = await app.inject({ url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('is ready with the store and the job engine, tells no one more, and is not ready without jobs', async () => {
    espmAttempts.emit({
      method: 'GET',
      route: '/customer/{id}',
      outcome: 'ok',
      holdsEveryCall: false,
      status: 200,
      durationMs: 12,
      attempt: 1,
    });
    let res = await app.inject({ url: '/readyz' });
    assert.equal(res.statusCode, 200);
    // Open without credentials: neither the store's kind nor ESPM's last call (that is for /metrics).
    assert.deepEqual(res.json(), { status: 'ready', store: 'ok', jobs: 'running' });
    assert.doesNotMatch(res.body, /customer|postgres|embedded|espm/i);
    jobsRunning = false;
    res = await app.inject({ url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json<{ jobs: string }>().jobs, 'stopped');
    jobsRunning = true;
  });

  it('serves Prometheus metrics behind the bearer token', async () => {
    assert.equal((await app.inject({ url: '/metrics' })).statusCode, 401);
    assert.equal(
      (await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode,
      401,
    );
    espmAttempts.emit({
      method: 'POST',
      route: '/meter/{id}/consumptionData',
      outcome: 'rate-limited',
      holdsEveryCall: false,
      status: 429,
      durationMs: 30,
      waitedMs: 10,
      attempt: 1,
    });
    await writeLog(store.db, {
      service: 'MeterConnectionManager',
      subject: '1',
      event: { kind: 'rejected', rule: 'unknown-account' },
    });
    await writeLog(store.db, {
      service: 'MeterConnectionManager',
      subject: '2',
      event: { kind: 'accepted' },
    });
    await writeLog(store.db, {
      service: 'NotificationWatcher',
      subject: '3',
      event: { kind: 'revoked', reason: 'meter-unshared' },
    });
    const res = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-secret' } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/plain/);
    const text = res.body;
    for (const line of [
      'gateway_espm_requests_total{method="POST",route="/meter/{id}/consumptionData",outcome="rate-limited"} 1',
      'gateway_espm_rate_limited_total 1',
      'gateway_espm_limiter_wait_seconds_count 1',
      'gateway_share_decisions_total{outcome="rejected",rule="unknown-account"} 1',
      'gateway_share_decisions_total{outcome="accepted",rule=""} 1',
      'gateway_link_revocations_total{reason="meter-unshared"} 1',
      'gateway_job_queue_depth{queue="espm-requests"} 2',
      'gateway_meter_links{status="pending"} 0',
    ]) {
      assert.ok(text.includes(line), `missing: ${line}`);
    }
    assert.match(text, /gateway_espm_request_duration_seconds_bucket\{le="0.05",method="POST"/);
    assert.match(text, /# TYPE gateway_billing_to_espm_lag_seconds histogram/);
  });

  it('alerts once per condition until it clears, then says resolved', async () => {
    let now = new Date('2026-01-10T00:00:00Z');
    const alerts = new Alerts({
      webhookUrl: hookUrl,
      afterFailures: 3,
      billingStaleHours: 48,
      instance: 'gw-1',
      log: silent,
      db: store.db,
      now: () => now,
    });
    for (let i = 0; i < 5; i++) alerts.serviceRun('ConsumptionUpdater', false, 'boom');
    alerts.espmAnswer('unauthorized', '/customer/list');
    alerts.espmAnswer('unauthorized', '/customer/list');
    await alerts.flush();
    assert.deepEqual(
      received.map((a) => [a.alert, a.status, a.service, a.instance]),
      [
        ['service-failing', 'firing', 'ConsumptionUpdater', 'gw-1'],
        ['espm-unauthorized', 'firing', 'ESPM', 'gw-1'],
      ],
    );
    assert.match(received[0]!.messages.en, /failed 3 times in a row; last error: "boom"/);
    assert.match(received[0]!.messages.fr, /3 échecs de suite\u202f; dernière erreur : "boom"/);
    assert.equal(received[0]!.message, `${received[0]!.messages.fr} / ${received[0]!.messages.en}`);
    assert.equal(received[0]!.at, '2026-01-10T00:00:00.000Z');
    alerts.serviceRun('ConsumptionUpdater', true);
    alerts.espmAnswer('ok', '/customer/list');
    alerts.serviceRun('ConsumptionUpdater', true);
    await alerts.flush();
    assert.deepEqual(
      received.slice(2).map((a) => [a.alert, a.status]),
      [
        ['service-failing', 'resolved'],
        ['espm-unauthorized', 'resolved'],
      ],
    );

    // Billing: no import yet, stale once the window has passed since the start; cleared by an import.
    received.length = 0;
    await alerts.checkBilling();
    now = new Date('2026-01-12T01:00:00Z');
    await alerts.checkBilling();
    await alerts.checkBilling();
    await store.db
      .insertInto('billing_import')
      .values({
        source: 'csv',
        started_at: now,
        finished_at: now,
        status: 'done',
        rows_read: 0,
        rows_imported: 0,
        rows_unchanged: 0,
        rows_rejected: 0,
      })
      .execute();
    await alerts.checkBilling();
    await alerts.flush();
    assert.deepEqual(
      received.map((a) => [a.alert, a.status, a.service]),
      [
        ['billing-stale', 'firing', 'BillingImport'],
        ['billing-stale', 'resolved', 'BillingImport'],
      ],
    );
    assert.match(received[0]!.messages.en, /since this instance started at 2026-01-09 19:00 EST, 49 h ago/);
  });

  it('logs a webhook it cannot reach, without failing', async () => {
    const warnings: unknown[] = [];
    const alerts = new Alerts({
      webhookUrl: 'http://127.0.0.1:9/none',
      afterFailures: 1,
      billingStaleHours: 48,
      log: { ...silent, warn: (o: unknown) => warnings.push(o) } as typeof silent,
      db: store.db,
      timeoutMs: 500,
    });
    alerts.serviceRun('NotificationWatcher', false, 'down');
    await alerts.flush();
    assert.ok(warnings.some((w) => (w as { event?: string }).event === 'alert-delivery'));
  });

  it('e-mails alerts through SMTP when configured', async () => {
    const mails: string[] = [];
    const smtp = createTcpServer((socket) => {
      let data: string | undefined;
      let buffer = '';
      socket.write('220 test ESMTP\r\n');
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (data !== undefined) {
            if (line === '.') {
              mails.push(data);
              data = undefined;
              socket.write('250 queued\r\n');
            } else data += line + '\n';
          } else if (/^(EHLO|HELO)/i.test(line)) socket.write('250 test\r\n');
          else if (/^DATA/i.test(line)) {
            data = '';
            socket.write('354 go on\r\n');
          } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
          else socket.write('250 OK\r\n');
        }
      });
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    try {
      const ops = loadOperabilityConfig({
        GATEWAY_ALERT_SMTP_URL: `smtp://127.0.0.1:${(smtp.address() as AddressInfo).port}`,
        GATEWAY_ALERT_EMAIL_TO: 'ops@gaz.example, astreinte@gaz.example',
        GATEWAY_ALERT_EMAIL_FROM: 'passerelle@gaz.example',
      });
      const alerts = new Alerts({
        webhookUrl: undefined,
        email: ops.alertEmail,
        afterFailures: 1,
        billingStaleHours: 48,
        instance: 'gw-2',
        log: silent,
        db: store.db,
      });
      alerts.espmAnswer('unauthorized', '/customer/list');
      await alerts.flush();
      alerts.close();
      assert.equal(mails.length, 1);
      assert.match(mails[0]!, /Subject: \[espm-gateway\] ALERTE \/ ALERT: espm-unauthorized \(ESPM\)/);
      assert.match(mails[0]!, /To: ops@gaz\.example, astreinte@gaz\.example/);
      assert.match(mails[0]!, /instance: gw-2/);
      // The body is quoted-printable (soft line breaks, UTF-8 bytes as =XX); decoded, French then English.
      const body = Buffer.from(
        mails[0]!
          .slice(mails[0]!.indexOf('\n\n') + 2)
          .replace(/=\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8');
      assert.ok(
        body.startsWith(
          'ESPM a refusé les identifiants du fournisseur (HTTP 401 sur /customer/list)\n\n' +
            "ESPM refused the provider's credentials (HTTP 401 on /customer/list)\n\n",
        ),
        body,
      );
    } finally {
      await new Promise((r) => smtp.close(r));
    }
  });

  it('validates the operability variables with messages naming them', () => {
    assert.deepEqual(
      { ...loadOperabilityConfig({}), instance: undefined },
      {
        logLevel: 'info',
        metricsToken: undefined,
        alertWebhookUrl: undefined,
        alertEmail: undefined,
        alertAfterFailures: 3,
        billingStaleHours: 48,
        logRetentionDays: 400,
        instance: undefined,
      },
    );
    for (const [env, name] of [
      [{ GATEWAY_LOG_LEVEL: 'loud' }, 'GATEWAY_LOG_LEVEL'],
      [{ GATEWAY_ALERT_WEBHOOK_URL: 'ftp://x' }, 'GATEWAY_ALERT_WEBHOOK_URL'],
      [{ GATEWAY_ALERT_AFTER_FAILURES: '0' }, 'GATEWAY_ALERT_AFTER_FAILURES'],
      [{ GATEWAY_BILLING_STALE_HOURS: 'x' }, 'GATEWAY_BILLING_STALE_HOURS'],
      [{ GATEWAY_LOG_RETENTION_DAYS: '1.5' }, 'GATEWAY_LOG_RETENTION_DAYS'],
      [{ GATEWAY_ALERT_EMAIL_TO: 'a@b.c' }, 'GATEWAY_ALERT_SMTP_URL'],
      [{ GATEWAY_ALERT_SMTP_URL: 'smtp://h', GATEWAY_ALERT_EMAIL_TO: 'nobody' }, 'GATEWAY_ALERT_EMAIL_TO'],
      [{ GATEWAY_ALERT_SMTP_URL: 'http://h', GATEWAY_ALERT_EMAIL_TO: 'a@b.c' }, 'GATEWAY_ALERT_SMTP_URL'],
    ] as const) {
      assert.throws(
        () => loadOperabilityConfig(env),
        (e: Error) => e instanceof ConfigError && e.message.startsWith(name),
        name,
      );
    }
    assert.throws(
      () =>
        loadOperabilityConfig({
          GATEWAY_ALERT_SMTP_URL: 'smtp://u:s3cret@',
          GATEWAY_ALERT_EMAIL_TO: 'a@b.c',
        }),
      (e: Error) => !e.message.includes('s3cret'),
    );
  });

  it('prunes old log lines, handled notifications and old imports’ rejections, idempotently', async () => {
    const now = new Date('2027-06-01T00:00:00Z');
    const old = new Date('2026-01-01T00:00:00Z');
    const recent = new Date('2027-05-01T00:00:00Z');
    await store.db.deleteFrom('gateway_log').execute();
    await store.db
      .insertInto('gateway_log')
      .values([
        logRow({ service: 'Operator', event: { kind: 'resync-requested' } }, old),
        logRow({ service: 'Operator', event: { kind: 'account-unlocked' } }, recent),
      ])
      .execute();
    const note = (id: string, handled: Date | null) => ({
      notification_id: id,
      type_code: 'UNSHARE',
      description: '',
      received_at: old,
      handled_at: handled,
    });
    await store.db
      .insertInto('espm_notification')
      .values([note('n-old', old), note('n-unhandled', null), note('n-recent', recent)])
      .execute();
    const imp = (at: Date) => ({
      source: 'csv' as const,
      started_at: at,
      finished_at: at,
      status: 'done' as const,
      rows_read: 1,
      rows_imported: 0,
      rows_unchanged: 0,
      rows_rejected: 1,
    });
    const [a, b] = await store.db
      .insertInto('billing_import')
      .values([imp(old), imp(recent)])
      .returning('id')
      .execute();
    await store.db
      .insertInto('billing_import_rejection')
      .values([
        { import_id: a!.id, line: 2, reason: 'r' },
        { import_id: a!.id, line: 3, reason: 'r' },
        { import_id: b!.id, line: 2, reason: 'r' },
      ])
      .execute();
    assert.deepEqual(await pruneOldData(store.db, 400, now), {
      logLines: 1,
      notifications: 1,
      rejections: 2,
    });
    assert.deepEqual(await pruneOldData(store.db, 400, now), {
      logLines: 0,
      notifications: 0,
      rejections: 0,
    });
    const left = await store.db
      .selectFrom('espm_notification')
      .select('notification_id')
      .orderBy('notification_id')
      .execute();
    assert.deepEqual(
      left.map((n) => n.notification_id),
      ['n-recent', 'n-unhandled'],
    );
    assert.equal(
      (await store.db.selectFrom('billing_import').select('id').where('id', '=', a!.id).execute()).length,
      1,
    );
  });
});
