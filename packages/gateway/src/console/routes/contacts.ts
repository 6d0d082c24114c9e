// Contacts: the ESPM customers, and unlocking an account locked out after too many refused shares.
import type { FastifyInstance } from 'fastify';
import { lockedOutAccounts } from '../../exchange/lockout.ts';
import { unlockAccount } from '../../exchange/operator-actions.ts';
import type { ConsoleDeps } from '../context.ts';
import { sendPage, sessionOf, str, viewOf } from '../context.ts';
import { act } from '../flash.ts';
import { contactsPage } from '../pages/contacts.ts';
import { customerOfAccount, listContacts } from '../queries/contacts.ts';
import { confirmRoute } from './confirm-route.ts';
import { int, listOffset, params, query, text } from './params.ts';

const ACCOUNT = { params: params({ accountId: text(100) }) };
const CONTACT_LIST = {
  querystring: query({ q: text(200), after: text(100), before: text(100), o: listOffset }),
};

export async function contactRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway } = deps;

  app.get<{ Querystring: { q?: string; after?: string; before?: string; o?: string } }>(
    '/contacts',
    { schema: CONTACT_LIST },
    async (req, reply) => {
      const q = str(req.query.q);
      const after = req.query.after;
      const before = after === undefined ? req.query.before : undefined;
      const offset = int(req.query.o) ?? 0;
      const [data, locked] = await Promise.all([
        listContacts(db, { q, after, before }),
        lockedOutAccounts(db, gateway.ctx.now()),
      ]);
      return sendPage(
        reply,
        contactsPage(viewOf(req), { q, offset }, data, new Set(locked.map((l) => l.accountId))),
      );
    },
  );

  confirmRoute<{ accountId: string }>(
    app,
    '/contacts/:accountId/deverrouiller',
    { role: 'operator', schema: ACCOUNT },
    async (req) => {
      const customer = await customerOfAccount(db, req.params.accountId);
      return (
        customer && {
          question: 'unlock',
          params: { account: `${customer.username} (${customer.account_id})` },
          action: `/contacts/${encodeURIComponent(customer.account_id)}/deverrouiller`,
          cancel: '/refus',
        }
      );
    },
  );

  app.post<{ Params: { accountId: string } }>(
    '/contacts/:accountId/deverrouiller',
    { schema: ACCOUNT },
    async (req, reply) => {
      const accountId = req.params.accountId;
      const operator = sessionOf(req).username;
      const confirmUrl = `/contacts/${encodeURIComponent(accountId)}/deverrouiller`;
      return act(deps, req, reply, '/refus', confirmUrl, async () => {
        await unlockAccount(gateway.ctx, accountId, operator);
        return { kind: 'ok', key: 'flash.unlocked', params: { account: accountId } };
      });
    },
  );
}
