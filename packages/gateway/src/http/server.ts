// The gateway's HTTP server: health checks, metrics and the billing ingest; the console registers here too.
import Fastify from 'fastify';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { GatewayConfig } from '../config/config.ts';
import { loadOperabilityConfig } from '../config/config.ts';
import { BILLING_READER_QUEUES } from '../jobs/queues.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Gateway } from '../runtime.ts';
import type { BillingChanged } from '../billing/changes.ts';
import { billingIngestPlugin } from '../billing/ingest-plugin.ts';
import { consolePlugin } from '../console/plugin.ts';
import { startAlerts } from '../observability/alerts.ts';
import { logOperations, loggerOptions } from '../observability/logger.ts';
import { startRetention } from '../observability/retention.ts';
import { operabilityRoutes } from './operability.ts';
import { scopeRequests } from './safety-net.ts';
import { answerUnroutable } from './security-headers.ts';

/** The largest body a route reads unless it says otherwise. */
const DEFAULT_BODY_LIMIT = 64 * 1024;

export interface HttpDeps {
  gateway: Gateway;
  config: GatewayConfig;
  scheduler: Scheduler;
  /**
   * What `serve` runs besides the routes (observability/): JSON logs on stdout (or logStream), the
   * service-run log, the alerts and the retention timer, all stopped when the server closes.
   */
  operate?: boolean;
  /** Where the JSON logs go instead of stdout (tests). */
  logStream?: NodeJS.WritableStream;
  /** Told of every route as it is registered (http/security.test.ts checks each one's access rules). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const ops = deps.config.operability ?? loadOperabilityConfig({});
  const app = Fastify({
    logger: deps.operate || deps.logStream ? loggerOptions(ops.logLevel, deps.logStream) : false,
    // Forwarded headers (X-Forwarded-For, -Proto, -Host) are believed only from these proxies.
    ...(deps.config.http.trustProxy.length ? { trustProxy: deps.config.http.trustProxy } : {}),
    // Routes that take more say so (the billing ingest); the console's forms take less.
    bodyLimit: DEFAULT_BODY_LIMIT,
    frameworkErrors: answerUnroutable,
  });
  scopeRequests(app);
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  operabilityRoutes(app, {
    store: deps.gateway.store,
    scheduler: deps.scheduler,
    metricsToken: ops.metricsToken,
  });
  const billingChanged: BillingChanged = async () => {
    await Promise.all(BILLING_READER_QUEUES.map((queue) => deps.scheduler.trigger(queue)));
  };
  if (deps.config.ingestToken) {
    await app.register(billingIngestPlugin, {
      store: deps.gateway.store,
      token: deps.config.ingestToken,
      onChanged: billingChanged,
    });
  }
  await app.register(consolePlugin, {
    gateway: deps.gateway,
    scheduler: deps.scheduler,
    onBillingChanged: billingChanged,
    secureCookies: deps.config.console?.secureCookies,
  });
  if (deps.operate) {
    const stopLogging = logOperations(app.log);
    const alerts = startAlerts({
      webhookUrl: ops.alertWebhookUrl,
      email: ops.alertEmail,
      afterFailures: ops.alertAfterFailures,
      billingStaleHours: ops.billingStaleHours,
      instance: ops.instance,
      log: app.log,
      db: deps.gateway.store.db,
    });
    const stopRetention = startRetention(deps.gateway.store.db, ops.logRetentionDays, app.log);
    app.addHook('onClose', async () => {
      stopRetention();
      stopLogging();
      await alerts.stop();
    });
  }
  return app;
}
