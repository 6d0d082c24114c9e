// Signing in (its own form token in a cookie scoped to /connexion, the sign-in rate limit, a new
// session id every time) and signing out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normaliseUsername } from '../auth/operators.ts';
import { PasswordChecks } from '../auth/password-checks.ts';
import {
  createSession,
  deleteSession,
  hashSessionId,
  loadSession,
  MAX_AGE_MS,
  randomToken,
  SESSION_COOKIE,
  tokensMatch,
} from '../auth/sessions.ts';
import { clearFailures, takeAttempt, UnknownUsernameAttempts } from '../auth/signin-limit.ts';
import type { ConsoleDeps } from '../context.ts';
import { formOf, sendPage, sessionOf, str, viewOf } from '../context.ts';
import { safeNext } from '../navigation.ts';
import { errorPage, signinPage } from '../pages/misc.ts';
import { operatorNamed } from '../queries/sign-in.ts';
import { query } from './params.ts';

const NEXT = { type: 'string' } as const;
const SIGN_IN_PAGE = {
  querystring: query({ next: NEXT, expired: { type: 'string' }, out: { type: 'string' } }),
};
const SIGN_IN = { querystring: query({ next: NEXT }) };

const LOGIN_COOKIE = 'gw_login';

export async function signInRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, now } = deps;
  const checks = new PasswordChecks();
  const unknownAttempts = new UnknownUsernameAttempts();

  const loginToken = (req: FastifyRequest, reply: FastifyReply): string => {
    const existing = req.cookies[LOGIN_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = randomToken();
    reply.setCookie(LOGIN_COOKIE, token, {
      path: '/connexion',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secure(req),
      maxAge: 3600,
    });
    return token;
  };

  app.get<{ Querystring: { next?: string; expired?: string; out?: string } }>(
    '/connexion',
    { schema: SIGN_IN_PAGE },
    async (req, reply) => {
      const v = viewOf(req);
      const session = await loadSession(db, req.cookies[SESSION_COOKIE], now());
      if (session) return reply.redirect(safeNext(req.query.next) ?? '/', 303);
      const message = req.query.out
        ? { kind: 'ok' as const, text: v.t('signin.signedOut') }
        : req.query.expired
          ? { kind: 'error' as const, text: v.t('signin.expired') }
          : undefined;
      return sendPage(
        reply,
        signinPage(v, {
          token: loginToken(req, reply),
          next: safeNext(req.query.next),
          ...(message ? { message } : {}),
        }),
      );
    },
  );

  app.post<{ Querystring: { next?: string } }>('/connexion', { schema: SIGN_IN }, async (req, reply) => {
    const v = viewOf(req);
    const body = formOf(req);
    const next = safeNext(req.query.next);
    const username = normaliseUsername(str(body.username)).slice(0, 200);
    const password = str(body.password).slice(0, 1000);
    const token = req.cookies[LOGIN_COOKIE];
    if (!token || !tokensMatch(token, body._csrf)) {
      return sendPage(reply, errorPage(v, 'error.csrfTitle', 'error.csrf'), 403);
    }
    const again = (status: number, text: string) =>
      sendPage(reply, signinPage(v, { token, next, username, message: { kind: 'error', text } }), status);
    const at = now();
    const operator = await operatorNamed(db, username);
    const wait = operator
      ? await takeAttempt(db, username, req.ip, token, at)
      : unknownAttempts.take(username, req.ip, at);
    if (wait > 0) return again(429, v.t('signin.tooMany', { minutes: Math.ceil(wait / 60_000) }));
    // An unknown username runs no password check but answers after as long (auth/password-checks.ts).
    const valid = operator ? await checks.verify(password, operator.password_hash) : await checks.unknown();
    if (valid === 'busy') return again(503, v.t('signin.busy'));
    // A failed attempt stays recorded (takeAttempt); a successful one clears its own form's failures.
    if (!operator || !valid || operator.disabled_at) return again(401, v.t('signin.failed'));
    await clearFailures(db, username, req.ip, token);
    // Always a new session id; the one the browser had, if any, ends (no session outlives a sign-in).
    const previous = req.cookies[SESSION_COOKIE];
    if (previous) await deleteSession(db, hashSessionId(previous));
    const session = await createSession(db, operator.username, at);
    reply.setCookie(SESSION_COOKIE, session.id, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secure(req),
      maxAge: MAX_AGE_MS / 1000,
    });
    reply.clearCookie(LOGIN_COOKIE, { path: '/connexion' });
    return reply.redirect(next ?? '/', 303);
  });

  app.post('/deconnexion', { config: { role: 'any' } }, async (req, reply) => {
    await deleteSession(db, sessionOf(req).idHash);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/connexion?out=1', 303);
  });
}
