// The language switch: a cookie, then back to the page it was asked from.
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../context.ts';
import { isLang } from '../i18n/index.ts';
import { LANG_COOKIE, safeNext } from '../navigation.ts';
import { params, query, text } from './params.ts';

const SWITCH = { params: params({ lang: text(10) }), querystring: query({ next: { type: 'string' } }) };

export async function languageRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>(
    '/langue/:lang',
    { schema: SWITCH },
    async (req, reply) => {
      const lang = req.params.lang;
      if (isLang(lang)) {
        reply.setCookie(LANG_COOKIE, lang, {
          path: '/',
          maxAge: 365 * 24 * 3600,
          sameSite: 'lax',
          httpOnly: true,
          secure: deps.secure(req),
        });
      }
      return reply.redirect(safeNext(req.query.next) ?? '/', 303);
    },
  );
}
