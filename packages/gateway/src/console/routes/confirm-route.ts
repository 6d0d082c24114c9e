// The page asking to confirm an action before its form posts it: the question (confirm.<question>) and
// its help (confirm.<question>Help), a box to tick, Confirm and Cancel. Only for the roles that may act.
// And the action confirmed that way, posted to the same path (flash.ts act).
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import type { ConsoleFlash } from '../../store/schema.ts';
import type { ConsoleDeps } from '../context.ts';
import { notFound, sendPage, viewOf } from '../context.ts';
import { act } from '../flash.ts';
import type { MessageKey, Params } from '../i18n/index.ts';
import type { View } from '../layout.ts';
import { confirmPage } from '../pages/misc.ts';

/** The questions that have their help. */
export type ConfirmQuestion = {
  [K in MessageKey]: K extends `confirm.${infer Q}Help` ? Q : never;
}[MessageKey];

export interface ActionToConfirm {
  question: ConfirmQuestion;
  params?: Params;
  helpParams?: Params;
  /** Where the form posts. */
  action: string;
  /** Where Cancel leads. */
  cancel: string;
  danger?: boolean;
}

/** A request with the path's parameters, as the route's schema checked them. */
export type RequestWith<P> = FastifyRequest & { params: P };

/** `ask` finds what the path names and words the action on it; nothing found is a 404. */
export function confirmRoute<P>(
  app: FastifyInstance,
  path: string,
  options: { role: 'admin' | 'operator'; schema: FastifySchema },
  ask: (req: RequestWith<P>, v: View) => Promise<ActionToConfirm | undefined> | ActionToConfirm | undefined,
): void {
  app.get<{ Params: P }>(
    path,
    { config: { role: options.role }, schema: options.schema },
    async (req, reply) => {
      const v = viewOf(req);
      const asked = await ask(req as RequestWith<P>, v);
      if (!asked) return notFound(req, reply);
      const { question, params, helpParams, ...form } = asked;
      return sendPage(
        reply,
        confirmPage(v, {
          question: v.t(`confirm.${question}`, params),
          help: v.t(`confirm.${question}Help`, helpParams),
          ...form,
        }),
      );
    },
  );
}

export interface ConfirmedAction<P, S> {
  role: 'admin' | 'operator';
  schema: FastifySchema;
  /** What the path names, for the page and for the action; nothing found is a 404. */
  find: (req: RequestWith<P>) => Promise<S | undefined>;
  /** Its action posts back to the page, whose Cancel is where the operator goes once it is done. */
  ask: (subject: S, v: View) => ActionToConfirm;
  run: (subject: S, req: RequestWith<P>) => Promise<ConsoleFlash>;
}

/** An action on what the path names: its confirmation page, and the form that page posts. */
export function confirmedAction<P, S>(
  app: FastifyInstance,
  deps: ConsoleDeps,
  path: string,
  a: ConfirmedAction<P, S>,
): void {
  confirmRoute<P>(app, path, a, async (req, v) => {
    const subject = await a.find(req);
    return subject === undefined ? undefined : a.ask(subject, v);
  });
  app.post<{ Params: P }>(path, { schema: a.schema }, async (req, reply) => {
    const subject = await a.find(req as RequestWith<P>);
    if (subject === undefined) return notFound(req, reply);
    const { cancel, action } = a.ask(subject, viewOf(req));
    return act(deps, req, reply, cancel, action, () => a.run(subject, req as RequestWith<P>));
  });
}
