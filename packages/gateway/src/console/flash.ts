// How a console action ends: a flash message in the session, then a redirect (post/redirect/get).
import { isEspmError } from '@gaz-espm/espm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ActionRefused } from '../exchange/operator-actions.ts';
import type { ConsoleFlash } from '../store/schema.ts';
import { setFlash } from './auth/sessions.ts';
import type { ConsoleDeps } from './context.ts';
import { formOf, stateOf, str } from './context.ts';
import { refusalText } from './i18n/index.ts';

export async function flashAndGo(
  deps: ConsoleDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  flash: ConsoleFlash,
  to: string,
): Promise<FastifyReply> {
  const session = stateOf(req).session;
  if (session) await setFlash(deps.db, session.idHash, flash);
  return reply.redirect(to, 303);
}

/**
 * Runs a confirmed action and turns its outcome, or the reason it could not be done, into a flash
 * message; an unconfirmed one goes back to its confirmation page.
 */
export async function act(
  deps: ConsoleDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  to: string,
  confirmUrl: string,
  run: () => Promise<ConsoleFlash>,
): Promise<FastifyReply> {
  if (str(formOf(req).confirm) !== 'yes') {
    return flashAndGo(deps, req, reply, { kind: 'error', key: 'flash.notConfirmed' }, confirmUrl);
  }
  let flash: ConsoleFlash;
  try {
    flash = await run();
  } catch (e) {
    if (e instanceof ActionRefused) {
      flash = {
        kind: 'error',
        key: 'flash.refused',
        params: { reason: refusalText(stateOf(req).lang, e.code) },
      };
    } else if (isEspmError(e)) {
      flash = { kind: 'error', key: 'flash.espmError', params: { error: e.message } };
    } else {
      // The cause may be SQL or a driver's words: it goes to the log, the operator gets its reference.
      req.log.error(e);
      flash = { kind: 'error', key: 'flash.failed', params: { ref: req.id } };
    }
  }
  // The action may have changed a link's status, even when it failed half-way.
  deps.statusCounts.forget();
  return flashAndGo(deps, req, reply, flash, to);
}
