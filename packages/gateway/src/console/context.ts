// What the console's route files share: the dependencies the plugin hands them, the request's console
// state (decorateRequest, set by the plugin's hooks) and the few ways a console route answers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { importBillingFile } from '../billing/import-billing-file.ts';
import type { BillingChanged } from '../billing/changes.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Gateway } from '../runtime.ts';
import type { Database } from '../store/schema.ts';
import type { Kysely } from 'kysely';
import type { Session } from './auth/sessions.ts';
import type { Html } from './html.ts';
import type { Lang } from './i18n/index.ts';
import { DEFAULT_LANG } from './i18n/index.ts';
import type { View } from './layout.ts';
import { makeView } from './layout.ts';
import { errorPage } from './pages/misc.ts';
import type { StatusCountCache } from './queries/meters.ts';

export type BillingImporter = typeof importBillingFile;

/** What every console route file is registered with. */
export interface ConsoleDeps {
  gateway: Gateway;
  /** The console's own bounded connections (Store.consoleDb); actions on links go through the gateway's. */
  db: Kysely<Database>;
  scheduler: Scheduler | undefined;
  onBillingChanged: BillingChanged | undefined;
  /** The clock of sessions and sign-in limits. */
  now: () => Date;
  statusCounts: StatusCountCache;
  importBilling: BillingImporter;
  maxUploadBytes: number;
  /** Whether cookies set for this request are Secure. */
  secure: (req: FastifyRequest) => boolean;
}

/** Who is asking, in which language: set by the console's first hook for every console request. */
export interface ConsoleState {
  lang: Lang;
  session?: Session | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Null outside the console (health checks, metrics, ingest). */
    consoleState: ConsoleState | null;
  }
  interface FastifyContextConfig {
    /** The route takes a multipart form and checks its CSRF token itself (console routes only). */
    multipart?: boolean;
    /**
     * Who may use a console route: 'admin' (managing operators), 'operator' (an action or its
     * confirmation page; administrators too) or 'any' signed-in role. Unsaid, a page (GET) is for any
     * role and anything that changes state for operators.
     */
    role?: 'admin' | 'operator' | 'any';
  }
}

export function stateOf(req: FastifyRequest): ConsoleState {
  return req.consoleState ?? { lang: DEFAULT_LANG };
}

/** The signed-in operator of a route behind the session check. */
export function sessionOf(req: FastifyRequest): Session {
  const session = req.consoleState?.session;
  if (!session) throw new Error('console route reached without a session');
  return session;
}

export function viewOf(req: FastifyRequest): View {
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

export function sendPage(reply: FastifyReply, page: Html, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page.text);
}

export function notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendPage(reply, errorPage(viewOf(req), 'error.notFoundTitle', 'error.notFound'), 404);
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The fields of a posted form (formbody), or none. */
export function formOf(req: FastifyRequest): Record<string, unknown> {
  return req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
}
