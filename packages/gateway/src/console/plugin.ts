// The operators' console: server-rendered pages in French (default) or English, sign-in with sessions
// in the store, CSRF tokens on every form, and the operator actions behind a confirmation step.
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { isEspmError } from '@gaz-espm/espm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { importBillingFile } from '../billing/import-billing-file.ts';
import { privacyRuleOf } from '../buildings/building-periods.ts';
import { runCycle } from '../exchange/cycle.ts';
import type { ConflictChoice } from '../exchange/operator-actions.ts';
import {
  ActionRefused,
  resolveConflict,
  resyncLink,
  revokeLinkByOperator,
  unlockAccount,
} from '../exchange/operator-actions.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { ServiceName } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import { lockedOutAccounts } from '../exchange/lockout.ts';
import { historyCsv } from '../observability/history-export.ts';
import type { Gateway } from '../runtime.ts';
import type { ConsoleFlash } from '../store/schema.ts';
import { normaliseUsername } from './auth/operators.ts';
import { decoyHash, verifyPassword } from './auth/passwords.ts';
import type { Session } from './auth/sessions.ts';
import {
  createSession,
  deleteSession,
  hashSessionId,
  loadSession,
  MAX_AGE_MS,
  randomToken,
  SESSION_COOKIE,
  setFlash,
  tokensMatch,
} from './auth/sessions.ts';
import { clearFailures, takeAttempt } from './auth/signin-limit.ts';
import { buildingRoutes } from './building-routes.ts';
import type { Html } from './html.ts';
import type { Lang, MessageKey } from './i18n/index.ts';
import { DEFAULT_LANG, isLang, refusalText, translator } from './i18n/index.ts';
import type { QueueName } from './labels.ts';
import { isQueueName, QUEUE_SERVICES } from './labels.ts';
import type { View } from './layout.ts';
import { makeView } from './layout.ts';
import { billingPage, importPage } from './pages/billing.ts';
import { contactsPage } from './pages/contacts.ts';
import { homePage } from './pages/home.ts';
import { logPage } from './pages/log.ts';
import type { MeterAction } from './pages/meter.ts';
import { actionsFor, meterPage } from './pages/meter.ts';
import { metersPage } from './pages/meters.ts';
import { confirmPage, errorPage, signinPage } from './pages/misc.ts';
import { rejectionsPage } from './pages/rejections.ts';
import {
  countLinks,
  cursor,
  homeData,
  importDetail,
  isLinkStatus,
  listContacts,
  listLinks,
  listLog,
  lockoutsWithCustomers,
  logServices,
  StatusCountCache,
  meterPageData,
  recentImports,
  recentRejections,
} from './queries.ts';

export type BillingImporter = typeof importBillingFile;

export interface ConsoleOptions {
  gateway: Gateway;
  /** Runs a service now on the job queue; without one, the console runs it in the request. */
  scheduler?: Scheduler | undefined;
  /**
   * Marks cookies Secure and sends Strict-Transport-Security even on plain HTTP (TLS ended by a proxy in front):
   * config.console.secureCookies (GATEWAY_CONSOLE_SECURE_COOKIES). Off by default.
   */
  secureCookies?: boolean | undefined;
  /** The billing import; billing/import-billing-file.ts by default. */
  importBilling?: BillingImporter | undefined;
  /** Largest billing file accepted from the browser. */
  maxUploadBytes?: number | undefined;
  /** How long the per-status link counts are reused (default 10 s; 0 counts on every page). */
  countCacheMs?: number | undefined;
  /** The clock of sessions and sign-in limits (tests). */
  now?: (() => Date) | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes a multipart form and checks its CSRF token itself (console routes only). */
    multipart?: boolean;
    /**
     * Who may use a console route: 'operator' (an action or its confirmation page) or 'any' signed-in
     * role. Unsaid, a page (GET) is for any role and anything that changes state for operators.
     */
    role?: 'operator' | 'any';
  }
}

export const LANG_COOKIE = 'gw_lang';
const LOGIN_COOKIE = 'gw_login';
const DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024;

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** Sent when cookies are Secure (GATEWAY_CONSOLE_SECURE_COOKIES) or the request came over HTTPS. */
export const HSTS = 'max-age=31536000';

const CSS = readFileSync(new URL('./assets/console.css', import.meta.url), 'utf8');
const FAVICON = readFileSync(new URL('./assets/favicon.svg', import.meta.url), 'utf8');

interface RequestState {
  lang: Lang;
  session?: Session;
}

/** Routes answered without a session. */
const PUBLIC_ROUTES = new Set(['/assets/console.css', '/favicon.ico', '/langue/:lang', '/connexion']);

const states = new WeakMap<FastifyRequest, RequestState>();

function stateOf(req: FastifyRequest): RequestState {
  return states.get(req) ?? { lang: langOf(req) };
}

function langOf(req: FastifyRequest): Lang {
  const c = req.cookies?.[LANG_COOKIE];
  return isLang(c) ? c : DEFAULT_LANG;
}

/** A local path to go back to after sign-in or a language switch; anything else is refused. */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 2000) return undefined;
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(next)) return undefined;
  return next;
}

/**
 * A state-changing request sent from another site's page, refused besides the form tokens and the
 * SameSite cookies. Browsers say where a request comes from in Sec-Fetch-Site (over HTTPS and to
 * localhost), else in Origin or Referer, compared here with the Host the request was sent to (or the
 * X-Forwarded-Host of a proxy in front). A client that sends none of them (curl) is judged by the form
 * token alone.
 */
export function crossOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const from = req.headers.origin ?? req.headers.referer;
  if (from === undefined) return false;
  let source: string;
  try {
    source = new URL(from).host; // "null" (a sandboxed page, a file) is no URL: refused
  } catch {
    return true;
  }
  const hosts = [req.headers.host, ...String(req.headers['x-forwarded-host'] ?? '').split(',')];
  return !hosts.some((h) => h && bareHost(h) === bareHost(source));
}

function bareHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/:(80|443)$/, '');
}

function viewOf(req: FastifyRequest): View {
  const s = stateOf(req);
  const user = s.session
    ? {
        username: s.session.username,
        displayName: s.session.displayName,
        role: s.session.role,
        csrf: s.session.csrf,
      }
    : undefined;
  return makeView(s.lang, req.url, user, s.session?.flash ?? null);
}

function send(reply: FastifyReply, page: Html, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page.text);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function bodyOf(req: FastifyRequest): Record<string, unknown> {
  return req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
}

/** The console's routes, in their own encapsulated context (cookie, form and multipart parsers). */
async function consoleRoutes(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
  const { gateway } = opts;
  const db = gateway.store.db;
  const now = opts.now ?? (() => new Date());
  const maxUpload = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
  const importBilling: BillingImporter = opts.importBilling ?? importBillingFile;
  const statusCounts = new StatusCountCache(opts.countCacheMs ?? 10_000);

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(multipart, { limits: { fileSize: maxUpload, files: 1, fields: 10, parts: 12 } });

  const secureAlways = opts.secureCookies ?? false;
  const secure = (req: FastifyRequest) => secureAlways || req.protocol === 'https';

  // Who is asking, in which language; pages need a session, sign-in and assets do not.
  app.addHook('preHandler', async (req, reply) => {
    const state: RequestState = { lang: langOf(req) };
    states.set(req, state);
    if (req.method !== 'GET' && req.method !== 'HEAD' && crossOrigin(req)) {
      return send(reply, errorPage(viewOf(req), 'error.originTitle', 'error.origin'), 403);
    }
    if (PUBLIC_ROUTES.has(req.routeOptions.url ?? '')) return;
    const cookieValue = req.cookies[SESSION_COOKIE];
    const session = await loadSession(db, cookieValue, now());
    if (!session) {
      const next = req.method === 'GET' ? safeNext(req.url) : undefined;
      const params = new URLSearchParams();
      if (next && next !== '/') params.set('next', next);
      if (cookieValue) params.set('expired', '1');
      const q = params.toString();
      return reply.redirect(`/connexion${q ? `?${q}` : ''}`, 303);
    }
    state.session = session;
    if (roleNeeded(req) === 'operator' && session.role !== 'operator') {
      return send(reply, errorPage(viewOf(req), 'error.forbiddenTitle', 'error.forbidden'), 403);
    }
    // Every form posts the session's token. A multipart form is accepted only by a route declared to
    // take one (config.multipart), which checks the token in its handler once the fields are read.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const valid = req.isMultipart()
        ? req.routeOptions.config.multipart === true
        : tokensMatch(session.csrf, bodyOf(req)._csrf);
      if (!valid) return send(reply, errorPage(viewOf(req), 'error.csrfTitle', 'error.csrf'), 403);
    }
  });

  const notFound = (req: FastifyRequest, reply: FastifyReply) =>
    send(reply, errorPage(viewOf(req), 'error.notFoundTitle', 'error.notFound'), 404);

  const flashAndGo = async (req: FastifyRequest, reply: FastifyReply, flash: ConsoleFlash, to: string) => {
    const session = stateOf(req).session;
    if (session) await setFlash(db, session.idHash, flash);
    return reply.redirect(to, 303);
  };

  /** Runs an action and turns its outcome, or the reason it could not be done, into a flash message. */
  const act = async (
    req: FastifyRequest,
    reply: FastifyReply,
    to: string,
    confirmUrl: string,
    run: () => Promise<ConsoleFlash>,
  ) => {
    if (str(bodyOf(req).confirm) !== 'yes') {
      return flashAndGo(req, reply, { kind: 'error', key: 'flash.notConfirmed' }, confirmUrl);
    }
    let flash: ConsoleFlash;
    try {
      flash = await run();
    } catch (e) {
      const lang = stateOf(req).lang;
      if (e instanceof ActionRefused) {
        flash = { kind: 'error', key: 'flash.refused', params: { reason: refusalText(lang, e.message) } };
      } else if (isEspmError(e)) {
        flash = { kind: 'error', key: 'flash.espmError', params: { error: e.message } };
      } else {
        // The cause may be SQL or a driver's words: it goes to the log, the operator gets its reference.
        req.log.error(e);
        flash = { kind: 'error', key: 'flash.failed', params: { ref: req.id } };
      }
    }
    // The action may have changed a link's status, even when it failed half-way.
    statusCounts.forget();
    return flashAndGo(req, reply, flash, to);
  };

  // ---- assets and language --------------------------------------------------------------------

  app.get('/assets/console.css', async (_req, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(CSS),
  );
  app.get('/favicon.ico', async (_req, reply) =>
    reply
      .header('content-type', 'image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .send(FAVICON),
  );
  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>(
    '/langue/:lang',
    async (req, reply) => {
      const lang = req.params.lang;
      if (isLang(lang)) {
        reply.setCookie(LANG_COOKIE, lang, {
          path: '/',
          maxAge: 365 * 24 * 3600,
          sameSite: 'lax',
          httpOnly: true,
          secure: secure(req),
        });
      }
      return reply.redirect(safeNext(req.query.next) ?? '/', 303);
    },
  );

  // ---- sign-in and sign-out ---------------------------------------------------------------------

  const loginToken = (req: FastifyRequest, reply: FastifyReply): string => {
    const existing = req.cookies[LOGIN_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = randomToken();
    reply.setCookie(LOGIN_COOKIE, token, {
      path: '/connexion',
      httpOnly: true,
      sameSite: 'lax',
      secure: secure(req),
      maxAge: 3600,
    });
    return token;
  };

  app.get<{ Querystring: { next?: string; expired?: string; out?: string } }>(
    '/connexion',
    async (req, reply) => {
      const v = viewOf(req);
      const session = await loadSession(db, req.cookies[SESSION_COOKIE], now());
      if (session) return reply.redirect(safeNext(req.query.next) ?? '/', 303);
      const message = req.query.out
        ? { kind: 'ok' as const, text: v.t('signin.signedOut') }
        : req.query.expired
          ? { kind: 'error' as const, text: v.t('signin.expired') }
          : undefined;
      return send(
        reply,
        signinPage(v, {
          token: loginToken(req, reply),
          next: safeNext(req.query.next),
          ...(message ? { message } : {}),
        }),
      );
    },
  );

  app.post<{ Querystring: { next?: string } }>('/connexion', async (req, reply) => {
    const v = viewOf(req);
    const body = bodyOf(req);
    const next = safeNext(req.query.next);
    const username = normaliseUsername(str(body.username)).slice(0, 200);
    const password = str(body.password).slice(0, 1000);
    const token = req.cookies[LOGIN_COOKIE];
    if (!token || !tokensMatch(token, body._csrf)) {
      return send(reply, errorPage(v, 'error.csrfTitle', 'error.csrf'), 403);
    }
    const again = (status: number, text: string) =>
      send(reply, signinPage(v, { token, next, username, message: { kind: 'error', text } }), status);
    const at = now();
    const wait = await takeAttempt(db, username, req.ip, at);
    if (wait > 0) return again(429, v.t('signin.tooMany', { minutes: Math.ceil(wait / 60_000) }));
    const operator = await db
      .selectFrom('console_operator')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    // The hash is checked even for an unknown username, so both take the same time.
    const valid = await verifyPassword(password, operator?.password_hash ?? (await decoyHash()));
    // A failed attempt stays recorded (takeAttempt); a successful one clears the pair's failures.
    if (!operator || !valid || operator.disabled_at) return again(401, v.t('signin.failed'));
    await clearFailures(db, username, req.ip);
    // Always a new session id; the one the browser had, if any, ends (no session outlives a sign-in).
    const previous = req.cookies[SESSION_COOKIE];
    if (previous) await deleteSession(db, hashSessionId(previous));
    const session = await createSession(db, operator.username, at);
    reply.setCookie(SESSION_COOKIE, session.id, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: secure(req),
      maxAge: MAX_AGE_MS / 1000,
    });
    reply.clearCookie(LOGIN_COOKIE, { path: '/connexion' });
    return reply.redirect(next ?? '/', 303);
  });

  app.post('/deconnexion', { config: { role: 'any' } }, async (req, reply) => {
    const session = stateOf(req).session!;
    await deleteSession(db, session.idHash);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/connexion?out=1', 303);
  });

  // ---- pages ------------------------------------------------------------------------------------

  app.get('/', async (req, reply) =>
    send(reply, homePage(viewOf(req), await homeData(db, gateway.ctx.now(), statusCounts))),
  );

  app.get<{ Querystring: { q?: string; page?: string } }>('/contacts', async (req, reply) => {
    const q = str(req.query.q).slice(0, 200);
    const page = Math.min(Math.max(1, Number(req.query.page) || 1), 100_000);
    const [data, locked] = await Promise.all([
      listContacts(db, { q, page }),
      lockedOutAccounts(db, gateway.ctx.now()),
    ]);
    return send(reply, contactsPage(viewOf(req), q, page, data, new Set(locked.map((l) => l.accountId))));
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/compteurs', async (req, reply) => {
    const status = isLinkStatus(req.query.status) ? req.query.status : undefined;
    const q = str(req.query.q).trim().slice(0, 60);
    const account = /^\d{1,20}$/.test(str(req.query.account)) ? str(req.query.account) : undefined;
    const after = cursor(req.query.after);
    const before = after === undefined ? cursor(req.query.before) : undefined;
    const offset = Math.max(0, Math.min(Number(req.query.o) || 0, 10_000_000));
    const filter = { status, q, account };
    const [data, count] = await Promise.all([
      listLinks(db, { ...filter, after, before }),
      countLinks(db, filter, await statusCounts.get(db)),
    ]);
    return send(
      reply,
      metersPage(viewOf(req), { status, q, account, offset, total: count.total, capped: count.capped }, data),
    );
  });

  app.get<{ Params: { id: string } }>('/compteurs/:id', async (req, reply) => {
    const id = cursor(req.params.id);
    const data = id === undefined ? undefined : await meterPageData(db, id);
    if (!data) return notFound(req, reply);
    return send(reply, meterPage(viewOf(req), data));
  });

  // The link's history as sent to ESPM, as CSV (observability/history-export.ts).
  app.get<{ Params: { id: string } }>('/compteurs/:id/historique.csv', async (req, reply) => {
    const id = cursor(req.params.id);
    const link =
      id === undefined
        ? undefined
        : await db
            .selectFrom('meter_link')
            .select(['id', 'espm_meter_id'])
            .where('id', '=', id)
            .executeTakeFirst();
    if (!link) return notFound(req, reply);
    const { csv } = await historyCsv(db, { linkId: link.id });
    const name = `compteur-${link.espm_meter_id.replace(/[^\w-]/g, '_')}-historique.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/journal', async (req, reply) => {
    const services = await logServices(db);
    const service = services.includes(str(req.query.service)) ? str(req.query.service) : undefined;
    const status = req.query.status === 'done' || req.query.status === 'error' ? req.query.status : undefined;
    const after = cursor(req.query.after);
    const before = after === undefined ? cursor(req.query.before) : undefined;
    const offset = Math.max(0, Math.min(Number(req.query.o) || 0, 10_000_000));
    const data = await listLog(db, { service, status, after, before });
    return send(reply, logPage(viewOf(req), { service, status, offset }, services, data));
  });

  app.get('/refus', async (req, reply) => {
    const [lockouts, rejections] = await Promise.all([
      lockoutsWithCustomers(db, gateway.ctx.now()),
      recentRejections(db),
    ]);
    return send(reply, rejectionsPage(viewOf(req), lockouts, rejections));
  });

  app.get('/facturation', async (req, reply) =>
    send(reply, billingPage(viewOf(req), await recentImports(db))),
  );

  app.get<{ Params: { id: string } }>('/facturation/:id', async (req, reply) => {
    const id = cursor(req.params.id);
    const data = id === undefined ? undefined : await importDetail(db, id);
    if (!data) return notFound(req, reply);
    return send(reply, importPage(viewOf(req), data));
  });

  buildingRoutes(app, {
    db,
    now,
    privacy: privacyRuleOf(gateway.ctx),
    viewOf,
    send,
    notFound,
    act,
    operatorOf: (req) => stateOf(req).session!.username,
  });

  // ---- actions: a confirmation page (GET), then the action (POST) -------------------------------

  const METER_ACTIONS: readonly MeterAction[] = ['resync', 'revoke', 'keep-customer', 'replace'];

  const meterAction = async (
    req: FastifyRequest<{ Params: { id: string; action: string } }>,
    reply: FastifyReply,
  ) => {
    const id = cursor(req.params.id);
    const action = req.params.action as MeterAction;
    if (id === undefined || !METER_ACTIONS.includes(action)) return notFound(req, reply);
    const link = await db
      .selectFrom('meter_link')
      .select(['id', 'espm_meter_id', 'status'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!link) return notFound(req, reply);
    return { link, action };
  };

  app.get<{ Params: { id: string; action: string } }>(
    '/compteurs/:id/action/:action',
    { config: { role: 'operator' } },
    async (req, reply) => {
      const found = await meterAction(req, reply);
      if (!found) return reply;
      const { link, action } = found;
      const v = viewOf(req);
      if (!actionsFor(link.status).includes(action)) {
        // Shown anyway: the POST would be refused with the reason, so say it now.
        return flashAndGo(
          req,
          reply,
          {
            kind: 'error',
            key: 'flash.refused',
            params: { reason: refusalText(v.lang, refusalFor(action)) },
          },
          `/compteurs/${link.id}`,
        );
      }
      return send(
        reply,
        confirmPage(v, {
          question: v.t(`confirm.${action}`, { meter: link.espm_meter_id }),
          help: v.t(`confirm.${action}Help`),
          action: `/compteurs/${link.id}/action/${action}`,
          cancel: `/compteurs/${link.id}`,
          danger: action === 'revoke' || action === 'replace',
        }),
      );
    },
  );

  app.post<{ Params: { id: string; action: string } }>(
    '/compteurs/:id/action/:action',
    async (req, reply) => {
      const found = await meterAction(req, reply);
      if (!found) return reply;
      const { link, action } = found;
      const operator = stateOf(req).session!.username;
      const back = `/compteurs/${link.id}`;
      return act(req, reply, back, `${back}/action/${action}`, async (): Promise<ConsoleFlash> => {
        const ctx = gateway.ctx;
        switch (action) {
          case 'resync': {
            const r = await resyncLink(ctx, link.id, operator);
            if (r.outcome === 'error')
              return { kind: 'error', key: 'flash.resync.error', params: { error: r.error ?? '' } };
            if (r.outcome === 'skipped') return { kind: 'error', key: 'flash.resync.skipped' };
            if (r.outcome === 'revoked') return { kind: 'error', key: 'flash.resync.revoked' };
            if (r.conflicts > 0)
              return { kind: 'warn', key: 'flash.resync.conflicts', params: { conflicts: r.conflicts } };
            if (r.outcome === 'nothing-to-send') return { kind: 'ok', key: 'flash.resync.nothing-to-send' };
            return {
              kind: 'ok',
              key: 'flash.resync.synced',
              params: { created: r.created + r.adopted, updated: r.updated, deleted: r.deleted },
            };
          }
          case 'revoke':
            await revokeLinkByOperator(ctx, link.id, operator);
            return { kind: 'ok', key: 'flash.revoked' };
          case 'keep-customer':
          case 'replace':
            await resolveConflict(ctx, link.id, action as ConflictChoice, operator);
            return { kind: 'ok', key: `flash.${action}` };
        }
      });
    },
  );

  app.get<{ Params: { accountId: string } }>(
    '/contacts/:accountId/deverrouiller',
    { config: { role: 'operator' } },
    async (req, reply) => {
      const customer = await db
        .selectFrom('espm_customer')
        .select(['account_id', 'username'])
        .where('account_id', '=', req.params.accountId)
        .executeTakeFirst();
      if (!customer) return notFound(req, reply);
      const v = viewOf(req);
      return send(
        reply,
        confirmPage(v, {
          question: v.t('confirm.unlock', { account: `${customer.username} (${customer.account_id})` }),
          help: v.t('confirm.unlockHelp'),
          action: `/contacts/${encodeURIComponent(customer.account_id)}/deverrouiller`,
          cancel: '/refus',
        }),
      );
    },
  );

  app.post<{ Params: { accountId: string } }>('/contacts/:accountId/deverrouiller', async (req, reply) => {
    const accountId = req.params.accountId;
    const operator = stateOf(req).session!.username;
    return act(req, reply, '/refus', `/contacts/${encodeURIComponent(accountId)}/deverrouiller`, async () => {
      await unlockAccount(gateway.ctx, accountId, operator);
      return { kind: 'ok', key: 'flash.unlocked', params: { account: accountId } };
    });
  });

  app.get<{ Params: { queue: string } }>(
    '/services/:queue/relancer',
    { config: { role: 'operator' } },
    async (req, reply) => {
      const queue = req.params.queue;
      if (!isQueueName(queue)) return notFound(req, reply);
      const v = viewOf(req);
      return send(
        reply,
        confirmPage(v, {
          question: v.t('confirm.run', { queue: v.t(`queue.${queue}`) }),
          help: v.t('confirm.runHelp', { services: QUEUE_SERVICES[queue].join(', ') }),
          action: `/services/${queue}/relancer`,
          cancel: '/',
        }),
      );
    },
  );

  app.post<{ Params: { queue: string } }>('/services/:queue/relancer', async (req, reply) => {
    const queue = req.params.queue;
    if (!isQueueName(queue)) return notFound(req, reply);
    const operator = stateOf(req).session!.username;
    const lang = stateOf(req).lang;
    const queueLabel = translator(lang)(`queue.${queue}`);
    return act(req, reply, '/', `/services/${queue}/relancer`, () =>
      runQueue(opts, queue, operator, queueLabel),
    );
  });

  app.post('/facturation', { config: { multipart: true } }, async (req, reply) => {
    const session = stateOf(req).session!;
    if (!req.isMultipart()) return send(reply, errorPage(viewOf(req), 'error.csrfTitle', 'error.csrf'), 403);
    const fields: Record<string, string> = {};
    let dir: string | undefined;
    let saved: string | undefined;
    let originalName = '';
    try {
      try {
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            originalName = basename(part.filename || '').slice(0, 200);
            if (!originalName) {
              part.file.resume();
              continue;
            }
            dir = await mkdtemp(join(tmpdir(), 'gw-console-'));
            saved = join(dir, 'upload.csv');
            await pipeline(part.file, createWriteStream(saved));
          } else if (typeof part.value === 'string') {
            fields[part.fieldname] = part.value;
          }
        }
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          if (!tokensMatch(session.csrf, fields._csrf)) throw e;
          return await flashAndGo(
            req,
            reply,
            { kind: 'error', key: 'flash.fileTooLarge', params: { mb: Math.round(maxUpload / 1048576) } },
            '/facturation',
          );
        }
        throw e;
      }
      if (!tokensMatch(session.csrf, fields._csrf)) {
        return send(reply, errorPage(viewOf(req), 'error.csrfTitle', 'error.csrf'), 403);
      }
      if (!saved) return await flashAndGo(req, reply, { kind: 'error', key: 'flash.noFile' }, '/facturation');
      if (fields.confirm !== 'yes') {
        return await flashAndGo(req, reply, { kind: 'error', key: 'flash.notConfirmed' }, '/facturation');
      }
      let report: Awaited<ReturnType<BillingImporter>>;
      try {
        report = await importBilling(db, saved, {
          source: 'console',
          fileName: originalName,
          operator: session.username,
        });
      } catch (e) {
        req.log.error(e);
        return await flashAndGo(
          req,
          reply,
          { kind: 'error', key: 'flash.importFailed', params: { ref: req.id } },
          '/facturation',
        );
      }
      // The touched meters' links are now sync_due: under serve, their consumption runs now.
      if (opts.scheduler && report.rowsImported > 0) {
        await opts.scheduler.trigger('espm-consumption').catch((e: unknown) => req.log.error(e));
      }
      const flash: ConsoleFlash = report.error
        ? { kind: 'error', key: 'flash.importFailed', params: { error: report.error } }
        : {
            kind: report.rowsRejected ? 'warn' : 'ok',
            key: 'flash.imported',
            params: {
              imported: report.rowsImported,
              unchanged: report.rowsUnchanged,
              rejected: report.rowsRejected,
            },
          };
      return await flashAndGo(req, reply, flash, `/facturation/${report.importId}`);
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  });

  // A page that fails shows a page, not a stack trace.
  app.setErrorHandler(async (error, req, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) req.log.error(error);
    const v = viewOf(req);
    if (status === 404) return send(reply, errorPage(v, 'error.notFoundTitle', 'error.notFound'), 404);
    if (status === 413 || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      return send(reply, errorPage(v, 'error.serverTitle', 'error.server'), 413);
    }
    return send(reply, errorPage(v, 'error.serverTitle', 'error.server'), status >= 400 ? status : 500);
  });
}

/** The role a console route needs (config.role): GET pages any, anything that changes state operator. */
function roleNeeded(req: FastifyRequest): 'operator' | 'any' {
  const declared = req.routeOptions.config.role;
  if (declared) return declared;
  return req.method === 'GET' || req.method === 'HEAD' ? 'any' : 'operator';
}

/** The refusal the operator action would give for an action that does not apply to the link now. */
function refusalFor(action: MeterAction): string {
  switch (action) {
    case 'resync':
      return 'only a current link can be synced';
    case 'keep-customer':
    case 'replace':
      return 'this link is not in conflict';
    case 'revoke':
      return 'this link is not current';
  }
}

/** Runs a scheduler queue now: through the job queue when there is one, else right here. */
async function runQueue(
  opts: ConsoleOptions,
  queue: QueueName,
  operator: string,
  label: string,
): Promise<ConsoleFlash> {
  const { db } = opts.gateway.ctx;
  if (opts.scheduler) {
    await opts.scheduler.trigger(queue);
    await writeLog(db, {
      service: 'Operator',
      subject: queue,
      event: { kind: 'run-requested', queue },
      operator,
    });
    return { kind: 'ok', key: 'flash.runRequested', params: { queue: label } };
  }
  const report = await runCycle(opts.gateway.ctx, QUEUE_SERVICES[queue] as ServiceName[]);
  const failed = report.services.filter((s) => !s.ok);
  await writeLog(db, {
    service: 'Operator',
    subject: queue,
    event: {
      kind: 'run-done',
      queue,
      failures: failed.map((s) => ({ service: s.service, error: s.error ?? '' })),
    },
    operator,
  });
  if (report.fatal || failed.length) {
    return {
      kind: 'error',
      key: 'flash.runFailed',
      params: { error: report.fatal ?? failed.map((s) => s.error).join('; ') },
    };
  }
  return { kind: 'ok', key: 'flash.runDone', params: { queue: label } };
}

/**
 * The console, registered by buildHttpServer. It adds the security headers to every response of the
 * server (not only the console's), and keeps its own parsers and hooks inside its routes' context.
 */
export const consolePlugin = Object.assign(
  async function consolePlugin(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
    app.addHook('onSend', async (req, reply, payload) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        if (!reply.hasHeader(name)) reply.header(name, value);
      }
      // Over HTTPS (here or at the proxy in front), browsers are told to stay on HTTPS.
      if (opts.secureCookies || req.protocol === 'https') reply.header('strict-transport-security', HSTS);
      return payload;
    });
    await app.register(consoleRoutes, opts);
  },
  {
    // Not encapsulated (like fastify-plugin): the onSend hook above applies to the whole server.
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'gateway-console',
  },
);

export type { MessageKey };
