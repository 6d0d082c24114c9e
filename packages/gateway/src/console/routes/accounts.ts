// Comptes de facturation: the helpdesk's lookup of one billing account (queries/accounts.ts).
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../context.ts';
import { sendPage, str, viewOf } from '../context.ts';
import { accountPage } from '../pages/account.ts';
import { accountNumberOf, billingAccount } from '../queries/accounts.ts';

export async function accountRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway } = deps;
  app.get<{ Querystring: Record<string, string | undefined> }>('/comptes', async (req, reply) => {
    const typed = str(req.query.compte).trim().slice(0, 40);
    const accountNumber = accountNumberOf(typed);
    const account = accountNumber ? await billingAccount(db, accountNumber) : undefined;
    return sendPage(reply, accountPage(viewOf(req), { typed, account, today: gateway.ctx.now() }));
  });
}
