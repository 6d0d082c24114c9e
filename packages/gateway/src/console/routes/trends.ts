// Tendances: the exchange over days or weeks (queries/trends.ts, pages/trends.ts).
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../context.ts';
import { sendPage, viewOf } from '../context.ts';
import { trendsPage } from '../pages/trends.ts';
import { trends } from '../queries/trends.ts';
import { TIME_ZONE } from '../format.ts';
import { choice, query } from './params.ts';

const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE });

export async function trendRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway } = deps;
  app.get<{ Querystring: { par?: 'jour' | 'semaine' | '' } }>(
    '/tendances',
    { schema: { querystring: query({ par: choice(['jour', 'semaine']) }) } },
    async (req, reply) => {
      const span = req.query.par === 'semaine' ? 'weeks' : 'days';
      const today = TODAY.format(gateway.ctx.now());
      return sendPage(reply, trendsPage(viewOf(req), await trends(db, span, today)));
    },
  );
}
