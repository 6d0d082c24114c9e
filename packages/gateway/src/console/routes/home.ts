// Accueil: the services, the link counts and what needs attention.
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../context.ts';
import { sendPage, viewOf } from '../context.ts';
import { homePage } from '../pages/home.ts';
import { homeData } from '../queries/home.ts';

export async function homeRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  app.get('/', async (req, reply) =>
    sendPage(
      reply,
      homePage(viewOf(req), await homeData(deps.db, deps.gateway.ctx.now(), deps.statusCounts)),
    ),
  );
}
