// Comptes de facturation: the helpdesk's lookup of one billing account (queries/accounts.ts).
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../context.ts';
import { sendPage, str, viewOf } from '../context.ts';
import { accountPage } from '../pages/account.ts';
import { accountNumberOf, billingAccount } from '../queries/accounts.ts';
import { query, text } from './params.ts';

export async function accountRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway } = deps;
  const schema = { querystring: query({ compte: text(40) }) };
  app.get<{ Querystring: { compte?: string } }>('/comptes', { schema }, async (req, reply) => {
    const typed = str(req.query.compte).trim();
    const accountNumber = accountNumberOf(typed);
    const account = accountNumber ? await billingAccount(db, accountNumber) : undefined;
    return sendPage(reply, accountPage(viewOf(req), { typed, account, today: gateway.ctx.now() }));
  });
}
