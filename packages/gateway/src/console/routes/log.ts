// Journal de passerelle: what the services did, newest first.
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../context.ts';
import { sendPage, str, viewOf } from '../context.ts';
import { logPage } from '../pages/log.ts';
import { listLog, logServices } from '../queries/log.ts';
import type { Db } from '../queries/paging.ts';
import { choice, day, int, int8Id, listOffset, query, text } from './params.ts';

/** The journal's filters as its page and its CSV export read them from the URL. */
export interface LogFilterQuery {
  service?: string;
  status?: 'done' | 'error' | '';
  compteur?: string;
  compte?: string;
  q?: string;
  du?: string;
  au?: string;
}

export const LOG_FILTER = {
  service: text(100),
  status: choice(['done', 'error']),
  compteur: text(100),
  compte: text(100),
  q: text(200),
  du: day,
  au: day,
};

/** The services the journal names, and the filter a URL asks for (a service it never named filters nothing). */
export async function logFilter(db: Db, q: LogFilterQuery) {
  const services = await logServices(db);
  const filter = {
    service: services.find((s) => s === q.service),
    status: q.status || undefined,
    meter: str(q.compteur).trim() || undefined,
    account: str(q.compte).trim() || undefined,
    text: str(q.q).trim() || undefined,
    from: q.du || undefined,
    to: q.au || undefined,
  };
  return { services, filter };
}

interface LogList {
  Querystring: LogFilterQuery & { after?: string; before?: string; o?: string };
}

const LOG_LIST = {
  querystring: query({ ...LOG_FILTER, after: int8Id, before: int8Id, o: listOffset }),
};

export async function logRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db } = deps;
  app.get<LogList>('/journal', { schema: LOG_LIST }, async (req, reply) => {
    const { services, filter } = await logFilter(db, req.query);
    const after = int(req.query.after);
    const before = after === undefined ? int(req.query.before) : undefined;
    const offset = int(req.query.o) ?? 0;
    const data = await listLog(db, { ...filter, after, before });
    return sendPage(reply, logPage(viewOf(req), { ...filter, offset }, services, data));
  });
}
