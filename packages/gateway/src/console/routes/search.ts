// Recherche: the console's one search box (queries/search.ts).
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../context.ts';
import { sendPage, str, viewOf } from '../context.ts';
import { searchPage } from '../pages/search.ts';
import { searchEverything } from '../queries/search.ts';
import { query, text } from './params.ts';

export async function searchRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db } = deps;
  app.get<{ Querystring: { q?: string } }>(
    '/recherche',
    { schema: { querystring: query({ q: text(200) }) } },
    async (req, reply) => {
      const q = str(req.query.q).trim();
      return sendPage(reply, searchPage(viewOf(req), q ? await searchEverything(db, q) : undefined));
    },
  );
}
