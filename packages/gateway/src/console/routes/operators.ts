// Opérateurs: an administrator adds operators, changes their role, gives them a new password or
// disables them (auth/operators.ts, which writes each change to the journal with who made it). The
// CLI (`operator …`) does the same from the command line.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  disableOperator,
  isRole,
  listOperators,
  OperatorError,
  operatorOf,
  upsertOperator,
} from '../auth/operators.ts';
import { generatePassword } from '../auth/passwords.ts';
import type { ConsoleDeps } from '../context.ts';
import { formOf, notFound, sendPage, sessionOf, str, viewOf } from '../context.ts';
import { flashAndGo } from '../flash.ts';
import { errorPage } from '../pages/misc.ts';
import { operatorPasswordPage, operatorsPage } from '../pages/operators.ts';
import type { ActionToConfirm, ConfirmQuestion, RequestWith } from './confirm-route.ts';
import { confirmedAction, confirmRoute } from './confirm-route.ts';
import { params, text } from './params.ts';

const badRequest = (req: FastifyRequest, reply: FastifyReply) =>
  sendPage(reply, errorPage(viewOf(req), 'error.badRequestTitle', 'error.badRequest'), 400);

const ADMIN = { config: { role: 'admin' as const } };
const OPERATOR_PARAMS = { params: params({ username: text(64) }) };
const OPERATOR = { ...ADMIN, schema: OPERATOR_PARAMS };

export async function operatorRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db } = deps;
  const byAdmin = (req: FastifyRequest) => ({ admin: sessionOf(req).username });
  const path = (username: string) => `/operateurs/${encodeURIComponent(username)}`;
  /** The operator a URL names, other than the administrator asking (who cannot demote or disable themselves). */
  const other = async (req: FastifyRequest<{ Params: { username: string } }>, reply: FastifyReply) => {
    const operator = await operatorOf(db, req.params.username);
    if (!operator) return void notFound(req, reply);
    return operator;
  };
  const self = (req: FastifyRequest, username: string) => sessionOf(req).username === username;
  /** The operator the path names, for an administrator's action on them. */
  const onOperator = {
    role: 'admin' as const,
    schema: OPERATOR_PARAMS,
    find: async (req: RequestWith<{ username: string }>) =>
      (await operatorOf(db, req.params.username))?.username,
  };
  /** An action on an operator, confirmed at their path and `step`. */
  const asked = (
    username: string,
    step: string,
    question: ConfirmQuestion,
    danger: boolean,
  ): ActionToConfirm => ({
    question,
    params: { username },
    action: `${path(username)}/${step}`,
    cancel: '/operateurs',
    danger,
  });

  app.get('/operateurs', ADMIN, async (req, reply) =>
    sendPage(reply, operatorsPage(viewOf(req), await listOperators(db))),
  );

  app.post('/operateurs', ADMIN, async (req, reply) => {
    const form = formOf(req);
    const username = str(form.username).trim().toLowerCase();
    const role = str(form.role);
    if (!isRole(role)) return badRequest(req, reply);
    if (await operatorOf(db, username))
      return flashAndGo(deps, req, reply, { kind: 'error', key: 'operatorError.exists' }, '/operateurs');
    const password = generatePassword();
    try {
      const name = str(form.name).trim();
      await upsertOperator(
        db,
        { username, role, password, ...(name ? { displayName: name } : {}) },
        byAdmin(req),
      );
    } catch (e) {
      if (!(e instanceof OperatorError)) throw e;
      return flashAndGo(deps, req, reply, { kind: 'error', key: 'operatorError.invalid' }, '/operateurs');
    }
    return sendPage(reply, operatorPasswordPage(viewOf(req), username, password));
  });

  app.post<{ Params: { username: string } }>('/operateurs/:username/role', OPERATOR, async (req, reply) => {
    const operator = await other(req, reply);
    if (!operator) return reply;
    const role = str(formOf(req).role);
    if (!isRole(role)) return badRequest(req, reply);
    if (self(req, operator.username))
      return flashAndGo(deps, req, reply, { kind: 'error', key: 'operatorError.self' }, '/operateurs');
    await upsertOperator(db, { username: operator.username, role }, byAdmin(req));
    const v = viewOf(req);
    return flashAndGo(
      deps,
      req,
      reply,
      {
        kind: 'ok',
        key: 'flash.operatorRoleChanged',
        params: { username: operator.username, role: v.t(`role.${role}`) },
      },
      '/operateurs',
    );
  });

  confirmedAction<{ username: string }, string>(app, deps, '/operateurs/:username/desactiver', {
    ...onOperator,
    ask: (username) => asked(username, 'desactiver', 'disableOperator', true),
    run: async (username, req) => {
      if (self(req, username)) return { kind: 'error', key: 'operatorError.self' };
      await disableOperator(db, username, byAdmin(req));
      return { kind: 'ok', key: 'flash.operatorDisabled', params: { username } };
    },
  });

  confirmRoute<{ username: string }>(app, '/operateurs/:username/mot-de-passe', onOperator, async (req) => {
    const username = await onOperator.find(req);
    return username === undefined ? undefined : asked(username, 'mot-de-passe', 'resetPassword', false);
  });

  // Not through act: the answer is the page showing the password, never a flash kept in the session.
  app.post<{ Params: { username: string } }>(
    '/operateurs/:username/mot-de-passe',
    OPERATOR,
    async (req, reply) => {
      const operator = await other(req, reply);
      if (!operator) return reply;
      const confirmUrl = `${path(operator.username)}/mot-de-passe`;
      if (str(formOf(req).confirm) !== 'yes')
        return flashAndGo(deps, req, reply, { kind: 'error', key: 'flash.notConfirmed' }, confirmUrl);
      const password = generatePassword();
      await upsertOperator(db, { username: operator.username, password }, byAdmin(req));
      return sendPage(reply, operatorPasswordPage(viewOf(req), operator.username, password));
    },
  );
}
