// Comptes de facturation: the helpdesk's lookup of one billing account (queries/accounts.ts). The
// lookup is posted, so that account numbers stay out of URLs (and so out of request logs and browser
// history); a share or a rejection links to its account by the share's id. Every lookup is written to
// the journal with who looked, and the ownership proof is shown only to the roles that act on shares
// (ownership-proof.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { writeLog } from '../../log/gateway-log.ts';
import type { ConsoleDeps } from '../context.ts';
import { formOf, sendPage, sessionOf, str, viewOf } from '../context.ts';
import { seesOwnershipProof } from '../ownership-proof.ts';
import type { AccountLookup } from '../pages/account.ts';
import { accountPage } from '../pages/account.ts';
import type { FoundBy } from '../queries/accounts.ts';
import { accountOfShare, billingAccount, checkProof, findAccount } from '../queries/accounts.ts';
import { int, int4Id, query } from './params.ts';

const FIELD_MAX = 100;

export async function accountRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway } = deps;

  async function answer(
    req: FastifyRequest,
    reply: FastifyReply,
    typed: string,
    found: { accountNumber: string; foundBy: FoundBy } | undefined,
    readOut?: { invoice: string; meter: string },
  ): Promise<FastifyReply> {
    const session = sessionOf(req);
    const today = gateway.ctx.now();
    let lookup: AccountLookup | undefined;
    if (found) {
      const account = await billingAccount(db, found.accountNumber);
      const proofShown = seesOwnershipProof(session.role);
      const check =
        readOut && (readOut.invoice.trim() || readOut.meter.trim())
          ? checkProof(account, readOut, today.toISOString().slice(0, 10))
          : undefined;
      await writeLog(gateway.ctx.db, {
        service: 'Operator',
        subject: found.accountNumber,
        operator: session.username,
        event: {
          kind: 'account-looked-up',
          proofShown,
          ...(check?.invoice === undefined ? {} : { invoiceMatched: check.invoice }),
          ...(check?.meter === undefined ? {} : { meterMatched: check.meter }),
        },
      });
      lookup = { account, foundBy: found.foundBy, proofShown, check };
    }
    return sendPage(reply, accountPage(viewOf(req), { typed, lookup, today }));
  }

  app.get<{ Querystring: { partage?: string } }>(
    '/comptes',
    { schema: { querystring: query({ partage: int4Id }) } },
    async (req, reply) => {
      const linkId = int(req.query.partage);
      if (linkId === undefined)
        return sendPage(reply, accountPage(viewOf(req), { typed: '', today: gateway.ctx.now() }));
      const accountNumber = await accountOfShare(db, linkId);
      return answer(
        req,
        reply,
        accountNumber ?? '',
        accountNumber ? { accountNumber, foundBy: 'account' } : undefined,
      );
    },
  );

  // A lookup changes nothing but the journal: any signed-in role may post it.
  app.post('/comptes', { config: { role: 'any' } }, async (req, reply) => {
    const form = formOf(req);
    const typed = str(form.compte).slice(0, FIELD_MAX).trim();
    const readOut = {
      invoice: str(form.facture).slice(0, FIELD_MAX),
      meter: str(form.compteur).slice(0, FIELD_MAX),
    };
    return answer(req, reply, typed, typed ? await findAccount(db, typed) : undefined, readOut);
  });
}
