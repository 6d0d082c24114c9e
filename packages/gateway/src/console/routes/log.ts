// Journal de passerelle: what the services did, newest first.
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../context.ts';
import { sendPage, str, viewOf } from '../context.ts';
import { logPage } from '../pages/log.ts';
import { listLog, logServices } from '../queries/log.ts';
import { choice, day, int, int8Id, listOffset, query, text } from './params.ts';

interface LogList {
  Querystring: {
    service?: string;
    status?: 'done' | 'error' | '';
    compteur?: string;
    compte?: string;
    q?: string;
    du?: string;
    au?: string;
    after?: string;
    before?: string;
    o?: string;
  };
}

const LOG_LIST = {
  querystring: query({
    service: text(100),
    status: choice(['done', 'error']),
    compteur: text(100),
    compte: text(100),
    q: text(200),
    du: day,
    au: day,
    after: int8Id,
    before: int8Id,
    o: listOffset,
  }),
};

export async function logRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db } = deps;
  app.get<LogList>('/journal', { schema: LOG_LIST }, async (req, reply) => {
    const services = await logServices(db);
    const service = services.includes(str(req.query.service)) ? str(req.query.service) : undefined;
    const status = req.query.status || undefined;
    const after = int(req.query.after);
    const before = after === undefined ? int(req.query.before) : undefined;
    const offset = int(req.query.o) ?? 0;
    const filter = {
      service,
      status,
      meter: str(req.query.compteur).trim() || undefined,
      account: str(req.query.compte).trim() || undefined,
      text: str(req.query.q).trim() || undefined,
      from: req.query.du || undefined,
      to: req.query.au || undefined,
    };
    const data = await listLog(db, { ...filter, after, before });
    return sendPage(reply, logPage(viewOf(req), { ...filter, offset }, services, data));
  });
}
