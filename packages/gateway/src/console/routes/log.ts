// Journal de passerelle: what the services did, newest first.
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../context.ts';
import { sendPage, str, viewOf } from '../context.ts';
import { logPage } from '../pages/log.ts';
import { listLog, logServices } from '../queries/log.ts';
import { cursor } from './params.ts';

export async function logRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db } = deps;
  app.get<{ Querystring: Record<string, string | undefined> }>('/journal', async (req, reply) => {
    const services = await logServices(db);
    const service = services.includes(str(req.query.service)) ? str(req.query.service) : undefined;
    const status = req.query.status === 'done' || req.query.status === 'error' ? req.query.status : undefined;
    const after = cursor(req.query.after);
    const before = after === undefined ? cursor(req.query.before) : undefined;
    const offset = Math.max(0, Math.min(Number(req.query.o) || 0, 10_000_000));
    const data = await listLog(db, { service, status, after, before });
    return sendPage(reply, logPage(viewOf(req), { service, status, offset }, services, data));
  });
}
