// The operators' console: server-rendered pages in French (default) or English, sign-in with sessions
// in the store, CSRF tokens on every form, and the operator actions behind a confirmation step.
// This file holds what applies to every console route — parsers, hooks (language, session, role,
// origin, CSRF), security headers and the one error handler; the routes live by subject in routes/,
// their reads in queries/.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { importBillingFile } from '../billing/import-billing-file.ts';
import type { BillingChanged } from '../billing/changes.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Gateway } from '../runtime.ts';
import { mayAct } from './auth/operators.ts';
import { loadSession, SESSION_COOKIE, tokensMatch } from './auth/sessions.ts';
import type { BillingImporter, ConsoleDeps, ConsoleState } from './context.ts';
import { formOf, sendPage, viewOf } from './context.ts';
import type { Lang, MessageKey } from './i18n/index.ts';
import { DEFAULT_LANG, isLang } from './i18n/index.ts';
import { LANG_COOKIE, safeNext } from './navigation.ts';
import { setSecurityHeaders } from '../http/security-headers.ts';
import { makeView } from './layout.ts';
import { errorPage } from './pages/misc.ts';
import { StatusCountCache } from './queries/meters.ts';
import { accountRoutes } from './routes/accounts.ts';
import { assetRoutes } from './routes/assets.ts';
import { billingRoutes } from './routes/billing.ts';
import { buildingRoutes } from './routes/buildings.ts';
import { contactRoutes } from './routes/contacts.ts';
import { exportRoutes } from './routes/exports.ts';
import { homeRoutes } from './routes/home.ts';
import { languageRoutes } from './routes/language.ts';
import { logRoutes } from './routes/log.ts';
import { meterRoutes } from './routes/meters.ts';
import { operatorRoutes } from './routes/operators.ts';
import { rejectionRoutes } from './routes/rejections.ts';
import { searchRoutes } from './routes/search.ts';
import { serviceRoutes } from './routes/services.ts';
import { signInRoutes } from './routes/sign-in.ts';
import { trendRoutes } from './routes/trends.ts';

export type { BillingImporter };

export interface ConsoleOptions {
  gateway: Gateway;
  /** Runs a service now on the job queue; without one, the console runs it in the request. */
  scheduler?: Scheduler | undefined;
  /** Told after a billing import changed some period (billing/changes.ts). */
  onBillingChanged?: BillingChanged | undefined;
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

const DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024;
/** The largest form the console reads (sign-in, confirmations): a few fields. */
const FORM_BODY_LIMIT = 16 * 1024;

/** Routes answered without a session. */
const PUBLIC_ROUTES = new Set(['/assets/console.css', '/favicon.ico', '/langue/:lang', '/connexion']);

function langOf(req: FastifyRequest): Lang {
  const c = req.cookies?.[LANG_COOKIE];
  return isLang(c) ? c : DEFAULT_LANG;
}

/**
 * A state-changing request sent from another site's page, refused besides the form tokens and the
 * SameSite cookies. Browsers say where a request comes from in Sec-Fetch-Site (over HTTPS and to
 * localhost), else in Origin or Referer, compared here with the Host the request was sent to (or the
 * X-Forwarded-Host of a trusted proxy in front, GATEWAY_TRUST_PROXY). A client that sends none of them (curl) is judged by the form
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
  // req.host is X-Forwarded-Host only when the request came through a proxy GATEWAY_TRUST_PROXY names.
  const hosts = [req.headers.host, req.host];
  return !hosts.some((h) => h && bareHost(h) === bareHost(source));
}

function bareHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/:(80|443)$/, '');
}

/** The role a console route needs (config.role): GET pages any, anything that changes state operator. */
function roleNeeded(req: FastifyRequest): 'admin' | 'operator' | 'any' {
  const declared = req.routeOptions.config.role;
  if (declared) return declared;
  return req.method === 'GET' || req.method === 'HEAD' ? 'any' : 'operator';
}

/** The console's routes, in their own encapsulated context (cookie, form and multipart parsers). */
async function consoleContext(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
  const secureAlways = opts.secureCookies ?? false;
  const deps: ConsoleDeps = {
    gateway: opts.gateway,
    db: opts.gateway.store.consoleDb,
    scheduler: opts.scheduler,
    onBillingChanged: opts.onBillingChanged,
    now: opts.now ?? (() => new Date()),
    statusCounts: new StatusCountCache(opts.countCacheMs ?? 10_000),
    importBilling: opts.importBilling ?? importBillingFile,
    maxUploadBytes: opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD,
    secure: (req) => secureAlways || req.protocol === 'https',
  };
  const { db, now } = deps;

  // Forms only: no JSON or text parser in the console's context (a JSON body gets 415 unread), and the
  // session is known before any body is read (onRequest below).
  app.removeAllContentTypeParsers();
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT });
  await app.register(multipart, {
    limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 10, parts: 12 },
  });

  app.decorateRequest('consoleState', null);

  // Who is asking, in which language, before anything is parsed: pages need a session (sign-in and
  // assets do not), actions an operator, and a state change must come from the console's own pages.
  app.addHook('onRequest', async (req, reply) => {
    const state: ConsoleState = { lang: langOf(req) };
    req.consoleState = state;
    if (req.method !== 'GET' && req.method !== 'HEAD' && crossOrigin(req)) {
      return sendPage(reply, errorPage(viewOf(req), 'error.originTitle', 'error.origin'), 403);
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
    const needed = roleNeeded(req);
    if (needed === 'admin' && session.role !== 'admin') {
      return sendPage(reply, errorPage(viewOf(req), 'error.forbiddenTitle', 'error.forbiddenAdmin'), 403);
    }
    if (needed === 'operator' && !mayAct(session.role)) {
      return sendPage(reply, errorPage(viewOf(req), 'error.forbiddenTitle', 'error.forbidden'), 403);
    }
  });

  // Every form posts the session's token. A multipart form is accepted only by a route declared to
  // take one (config.multipart), which checks the token in its handler once the fields are read.
  app.addHook('preHandler', async (req, reply) => {
    const session = req.consoleState?.session;
    if (session && req.method !== 'GET' && req.method !== 'HEAD') {
      const valid = req.isMultipart()
        ? req.routeOptions.config.multipart === true
        : tokensMatch(session.csrf, formOf(req)._csrf);
      if (!valid) return sendPage(reply, errorPage(viewOf(req), 'error.csrfTitle', 'error.csrf'), 403);
    }
  });

  // Set before the routes' plugins are registered: each takes its parent's handler when it is created.
  app.setErrorHandler(consoleErrorHandler);

  // Routes by subject, in this context: the hooks and the error handler above apply to each.
  await app.register(assetRoutes);
  await app.register(languageRoutes, deps);
  await app.register(signInRoutes, deps);
  await app.register(homeRoutes, deps);
  await app.register(contactRoutes, deps);
  await app.register(accountRoutes, deps);
  await app.register(meterRoutes, deps);
  await app.register(logRoutes, deps);
  await app.register(rejectionRoutes, deps);
  await app.register(billingRoutes, deps);
  await app.register(buildingRoutes, deps);
  await app.register(serviceRoutes, deps);
  await app.register(searchRoutes, deps);
  await app.register(operatorRoutes, deps);
  await app.register(exportRoutes, deps);
  await app.register(trendRoutes, deps);
}

/**
 * A console request that fails gets a page, never a stack trace: a path parameter the schema refuses
 * names nothing (404), a query it refuses is a bad request (400), a body too large 413; only a server
 * error is logged at error level.
 */
function consoleErrorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const v = viewOf(req);
  const page = (status: number, title: MessageKey, text: MessageKey) =>
    sendPage(reply, errorPage(v, title, text), status);
  if (error.validation) {
    return error.validationContext === 'params'
      ? page(404, 'error.notFoundTitle', 'error.notFound')
      : page(400, 'error.badRequestTitle', 'error.badRequest');
  }
  const status = error.statusCode ?? 500;
  if (status === 404) return page(404, 'error.notFoundTitle', 'error.notFound');
  if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE')
    return page(413, 'error.serverTitle', 'error.server');
  if (status >= 400 && status < 500) return page(status, 'error.badRequestTitle', 'error.badRequest');
  req.log.error(error);
  return page(500, 'error.serverTitle', 'error.server');
}

/** The language of a request outside the console's context (no cookie parser there). */
function langOfHeader(req: FastifyRequest): Lang {
  const m = /(?:^|;\s*)gw_lang=(fr|en)(?:;|$)/.exec(req.headers.cookie ?? '');
  return m?.[1] === 'en' ? 'en' : DEFAULT_LANG;
}

/**
 * The console, registered by buildHttpServer. Besides its own context, it sets what the whole server
 * answers with: the security headers on every answer, and the console's "not found" page for any
 * unknown URL.
 */
export const consolePlugin = Object.assign(
  async function consolePlugin(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
    app.addHook('onRequest', async (req, reply) => {
      setSecurityHeaders(reply, opts.secureCookies === true || req.protocol === 'https');
    });
    app.setNotFoundHandler(async (req, reply) => {
      const v = makeView(langOfHeader(req), req.url);
      return sendPage(reply, errorPage(v, 'error.notFoundTitle', 'error.notFound'), 404);
    });
    await app.register(consoleContext, opts);
  },
  {
    // Not encapsulated (like fastify-plugin): the hook and the not-found handler apply to the whole server.
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'gateway-console',
  },
);
