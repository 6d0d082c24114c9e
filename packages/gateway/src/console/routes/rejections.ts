// Refus: the shares the rules refused and the accounts locked out.
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../context.ts';
import { sendPage, viewOf } from '../context.ts';
import { rejectionsPage } from '../pages/rejections.ts';
import { lockoutsWithCustomers, recentRejections } from '../queries/rejections.ts';

export async function rejectionRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway } = deps;
  app.get('/refus', async (req, reply) => {
    const [lockouts, rejections] = await Promise.all([
      lockoutsWithCustomers(db, gateway.ctx.now()),
      recentRejections(db),
    ]);
    return sendPage(reply, rejectionsPage(viewOf(req), lockouts, rejections));
  });
}
