// The gateway's HTTP server: health checks and the billing ingest; the console registers here too.
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../config/config.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Gateway } from '../runtime.ts';
import { billingIngestPlugin } from '../billing/ingest-plugin.ts';
import { consolePlugin } from '../console/plugin.ts';
import { sql } from 'kysely';

export interface HttpDeps {
  gateway: Gateway;
  config: GatewayConfig;
  scheduler: Scheduler;
}

export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await sql`select 1`.execute(deps.gateway.store.db);
      return { status: 'ready', store: deps.gateway.store.kind };
    } catch (e) {
      return reply.code(503).send({ status: 'not-ready', store: (e as Error).message });
    }
  });
  if (deps.config.ingestToken) {
    await app.register(billingIngestPlugin, { store: deps.gateway.store, token: deps.config.ingestToken });
  }
  await app.register(consolePlugin, { gateway: deps.gateway, scheduler: deps.scheduler });
  return app;
}
