// Assembles the Fastify app: body parsers, the ESPM routes under /ws/ and /wstest/, the /sim/ API and
// page, and the fallbacks that keep answering ESPM's envelope on ESPM paths.
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { buildErrorResponse, MAX_DOCUMENT_BYTES } from '../espm.ts';
import { GENERIC_ERROR } from '../errors.ts';
import { consumptionRoutes } from '../routes/consumption.ts';
import { customerRoutes } from '../routes/customer.ts';
import { notificationRoutes } from '../routes/notifications.ts';
import { providerCustomerRoutes } from '../routes/provider-customers.ts';
import { providerRequestRoutes } from '../routes/provider-requests.ts';
import { providerSettingsRoutes } from '../routes/provider-settings.ts';
import { resourceRoutes } from '../routes/resources.ts';
import { simControlRoutes } from '../routes/sim-control.ts';
import { simCustomerApiRoutes } from '../routes/sim-customer-api.ts';
import { simPageRoutes } from '../routes/sim-page.ts';
import { testWebUiRoutes } from '../routes/test-web-ui.ts';
import type { SimContext } from './context.ts';

export const ESPM_PREFIXES = ['/ws', '/wstest'] as const;

const isEspmPath = (url: string): boolean => ESPM_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`));

function espmEnvelope(status: number, description: string) {
  return {
    status,
    body: buildErrorResponse([{ errorNumber: GENERIC_ERROR, errorDescription: description }]),
  };
}

export function buildApp(sim: SimContext, logger: boolean): FastifyInstance {
  const app = Fastify({ logger, bodyLimit: MAX_DOCUMENT_BYTES, forceCloseConnections: true });
  // ESPM bodies are XML; any body that is not JSON is kept as text and checked by the route.
  app.addContentTypeParser(['application/xml', 'text/xml', '*'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  for (const prefix of ESPM_PREFIXES) {
    app.register(
      async (scope) => {
        providerSettingsRoutes(scope, sim);
        providerRequestRoutes(scope, sim);
        providerCustomerRoutes(scope, sim);
        resourceRoutes(scope, sim);
        consumptionRoutes(scope, sim);
        notificationRoutes(scope, sim);
        customerRoutes(scope, sim);
      },
      { prefix },
    );
  }
  simControlRoutes(app, sim);
  simCustomerApiRoutes(app, sim);
  simPageRoutes(app);
  testWebUiRoutes(app, sim);

  const answer = (req: FastifyRequest, status: number, description: string) => {
    if (isEspmPath(req.url)) {
      const e = espmEnvelope(status, description);
      return { type: 'application/xml', status, body: e.body };
    }
    return {
      type: 'application/json',
      status,
      body: JSON.stringify({ error: description, errors: [description] }),
    };
  };

  app.setNotFoundHandler((req, reply) => {
    const a = answer(req, 404, `No such web service: ${req.method} ${req.url.split('?')[0]}`);
    return reply.code(a.status).type(a.type).send(a.body);
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error(err);
    const a = answer(req, status, status >= 500 ? 'An unexpected error occurred.' : err.message);
    return reply.code(a.status).type(a.type).send(a.body);
  });
  return app;
}
