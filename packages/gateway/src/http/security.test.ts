// Security of the HTTP server as `serve` assembles it (buildHttpServer), on each test store:
// - every route it registers (found by an onRoute hook, not listed by hand) is refused without a
//   session or a token, except the allow-list below; a route added without auth fails this test;
// - roles: every operator action (each state-changing route and its confirmation page) is refused to
//   the read-only role and reached by an operator;
// - CSRF: every state-changing route refuses a missing, wrong or another session's token, a form sent
//   as multipart where it is not expected, and a request from another origin;
// - cookies (HttpOnly, SameSite, Path, Secure with GATEWAY_CONSOLE_SECURE_COOKIES), sessions (new id at
//   sign-in, sign-out ends it server-side, idle and absolute expiry, tampered cookies);
// - security headers on every page, redirect and error page; no stack trace or SQL in error pages;
// - the billing ingest token compared in constant time, its body limit and content types;
// - the sign-in rate limit: per username and address, across a restart, two instances, and
//   concurrent attempts.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { Writable } from 'node:stream';
import { after, before, it, mock } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { INGEST_BODY_LIMIT } from '../billing/ingest-plugin.ts';
import { issueCode } from '../buildings/aggregation-codes.ts';
import { addPremises, createBuilding } from '../buildings/buildings.ts';
import { loadConfig } from '../config/config.ts';
import { IDLE_MS, MAX_AGE_MS, SESSION_COOKIE } from '../console/auth/sessions.ts';
import { consolePlugin } from '../console/plugin.ts';
import type { SeedIds } from '../../test-support/test-seed.ts';
import {
  consoleTestGateway,
  TEST_PASSWORD,
  UNREACHABLE_ESPM_ENV,
} from '../../test-support/console-gateway.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Gateway } from '../runtime.ts';
import { forEachStore } from '../../test-support/test-store.ts';
import type { HttpDeps } from './server.ts';
import { buildHttpServer } from './server.ts';

const INGEST_TOKEN = 'ingest-token-5f1c9a0e7d3b-security-test';
const METRICS_TOKEN = 'metrics-token-9b2d41c7-security-test';

/** Routes answered without a session or a token, each with the reason. Anything else must be refused. */
const PUBLIC: Record<string, string> = {
  'GET /healthz': 'health check',
  'GET /readyz': 'readiness check',
  'GET /connexion': 'the sign-in page',
  'POST /connexion': 'signing in (its own form token)',
  'GET /assets/console.css': 'static asset',
  'GET /favicon.ico': 'static asset',
  'GET /langue/:lang': 'the language switch of the sign-in page (a cookie, then a local redirect)',
};

/** Routes that change state but are no operator action: any signed-in role may use them. */
const ANY_ROLE_WRITES = new Set(['POST /connexion', 'POST /deconnexion', 'POST /comptes']);
/** State-changing routes that answer with a page rather than a redirect (a lookup writes the journal only). */
const ANSWERS_WITH_PAGE = new Set(['POST /comptes']);

interface Route {
  method: string;
  url: string;
  multipart: boolean;
  /** Managing operators: for administrators only. */
  admin: boolean;
}

const key = (r: { method: string; url: string }) => `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
const writes = (r: Route) => r.method !== 'GET' && r.method !== 'HEAD';

/** The cookies a browser keeps, and the requests it sends. */
/** A new browser signed in as `username`. */
async function signedInAs(app: FastifyInstance, username: string): Promise<Browser> {
  const browser = new Browser(app);
  await browser.signIn(username);
  return browser;
}

class Browser {
  cookies = new Map<string, string>();
  constructor(
    private readonly app: FastifyInstance,
    readonly ip = '127.0.0.1',
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async send(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      ...opts,
      headers: { cookie: this.cookieHeader(), ...opts.headers },
      remoteAddress: this.ip,
    });
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const gone = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.send({ method: 'GET', url, headers });
  }

  post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.send({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    });
  }

  upload(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.send({
      method: 'POST',
      url,
      ...multipartBody(form),
      headers: { ...multipartBody(form).headers, ...headers },
    });
  }

  /** A form post to a route, as multipart when the route takes it. */
  submit(route: Route, url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return route.multipart ? this.upload(url, form, headers) : this.post(url, form, headers);
  }

  async signIn(
    username: string,
    password = TEST_PASSWORD,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const page = await this.get('/connexion', headers);
    return this.post('/connexion', { _csrf: csrfOf(page.body), username, password }, headers);
  }

  async csrf(): Promise<string> {
    return csrfOf((await this.get('/')).body);
  }
}

function multipartBody(form: Record<string, string>): { payload: string; headers: Record<string, string> } {
  const boundary = '----security-test-boundary';
  const parts = Object.entries(form).map(
    ([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  parts.push(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="x.csv"\r\ncontent-type: text/csv\r\n\r\naccount_number\r\n`,
  );
  return {
    payload: `${parts.join('')}--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  assert.ok(m, 'the page has a CSRF field');
  return m[1]!;
}

function setCookie(res: LightMyRequestResponse, name: string): string {
  const c = [res.headers['set-cookie'] ?? []].flat().find((v) => String(v).startsWith(`${name}=`));
  assert.ok(c, `Set-Cookie ${name}`);
  return String(c);
}

/** Refused: sent to the sign-in page (console) or answered 401/403 (API, metrics). */
function refused(res: LightMyRequestResponse): boolean {
  if (res.statusCode === 401 || res.statusCode === 403) return true;
  return res.statusCode === 303 && String(res.headers.location).startsWith('/connexion');
}

const FORBIDDEN = /Access denied|Accès refusé/;
const CSRF_REFUSED = /Form expired|Formulaire expiré|another site|autre site/;

/** The security headers every answer carries; `authenticated`: a page or file behind the session. */
function checkHeaders(res: LightMyRequestResponse, what: string, authenticated: boolean): number {
  const csp = String(res.headers['content-security-policy'] ?? '');
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map((d) => [d[0]!, d.slice(1)]),
  );
  const scripts = directives.get('script-src') ?? directives.get('default-src');
  assert.ok(scripts, `${what}: CSP with script-src or default-src`);
  assert.ok(!scripts.includes("'unsafe-inline'") && !scripts.includes("'unsafe-eval'"), `${what}: ${csp}`);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors`);
  assert.deepEqual(directives.get('object-src'), ["'none'"], `${what}: object-src`);
  assert.equal(res.headers['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.match(
    String(res.headers['referrer-policy']),
    /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
    `${what}: Referrer-Policy`,
  );
  if (authenticated && String(res.headers['content-type']).startsWith('text/')) {
    assert.equal(res.headers['cache-control'], 'no-store', `${what}: Cache-Control`);
  }
  return 8;
}

/** Nothing of the server's inside in an answer: stack frames, SQL, driver messages. */
function checkNoLeak(res: LightMyRequestResponse, what: string): void {
  assert.doesNotMatch(
    res.body,
    /\bat .+\.[jt]s:\d+|node_modules|relation "|\bselect .+ from\b|\binsert into\b|syntax error|PGlite|pg-protocol|ECONNREFUSED|SqlState|\bstack\b/i,
    `${what} leaks: ${res.body.slice(0, 300)}`,
  );
}

forEachStore('HTTP security', (s) => {
  let app: FastifyInstance;
  let ids: SeedIds;
  let gateway: Gateway;
  const routes: Route[] = [];
  const triggered: string[] = [];
  const checks = { unauthenticated: 0, roles: 0, csrf: 0, headers: 0, ingest: 0, other: 0 };
  const scheduler: Scheduler = {
    trigger: async (queue) => void triggered.push(queue),
    stop: async () => {},
    isReady: () => true,
  };

  const server = (env: Record<string, string> = {}, extra: Partial<HttpDeps> = {}) =>
    buildHttpServer({
      gateway,
      config: loadConfig({ ...UNREACHABLE_ESPM_ENV, GATEWAY_INGEST_TOKEN: INGEST_TOKEN, ...env }),
      scheduler,
      ...extra,
    });

  const BUILDING = 'B-SEC';
  let codeId = 0;

  /** A route's path with plausible values for its parameters. */
  const fill = (route: Route): string =>
    route.url
      .replace(/:(\w+)/g, (_, name: string) => {
        const value: Record<string, string> = {
          id: route.url.startsWith('/batiments')
            ? BUILDING
            : String(route.url.startsWith('/facturation') ? ids.importId : ids.guideLink),
          code: String(codeId),
          action: 'resync',
          accountId: ids.lockedAccount,
          queue: 'espm-consumption',
          lang: 'en',
          username: 'victor',
          premise: 'PR-SEC',
        };
        assert.ok(value[name], `give the security test a plausible value for :${name} (${route.url})`);
        return value[name]!;
      })
      .replace(/\*/g, 'x');

  before(async () => {
    ({ gateway, ids } = await consoleTestGateway(s.store));
    await createBuilding(s.store.db, { buildingId: BUILDING, name: 'Tour' }, { operator: null });
    await addPremises(
      s.store.db,
      BUILDING,
      [{ premiseId: 'PR-SEC', ownerHeld: false }],
      { operator: null },
      new Date(),
    );
    ({ id: codeId } = await issueCode(s.store.db, BUILDING, { operator: null }, new Date()));
    app = await server(
      {},
      {
        onRoute: (r: RouteOptions) => {
          for (const method of [r.method].flat()) {
            const config = (r.config ?? {}) as { multipart?: boolean; role?: string };
            routes.push({
              method,
              url: r.url,
              multipart: config.multipart === true,
              admin: config.role === 'admin',
            });
          }
        },
      },
    );
    await app.ready();
  });

  after(async () => {
    await app?.close();
    await gateway?.close();
    const total = Object.values(checks).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `# security (${s.kind}): ${routes.length} method+path enumerated, ${
        routes.filter((r) => PUBLIC[key(r)]).length
      } allow-listed; ${total} checks ${JSON.stringify(checks)}\n`,
    );
  });

  it('finds the routes of the whole server, and every allow-listed one exists', () => {
    const keys = new Set(routes.map(key));
    for (const k of Object.keys(PUBLIC)) assert.ok(keys.has(k), `allow-listed ${k} is not registered`);
    for (const k of ['GET /metrics', 'POST /api/billing/rows', 'GET /', 'POST /deconnexion']) {
      assert.ok(keys.has(k), k);
    }
    assert.ok(routes.length >= 30, `${routes.length} routes`);
  });

  it('refuses every route but the allow-list without a session or a token, even with a forged cookie', async () => {
    const marie = await signedInAs(app, 'marie');
    const real = marie.cookies.get(SESSION_COOKIE)!;
    const last = real.at(-1) === 'A' ? 'B' : 'A';
    const forged = [
      '',
      `${SESSION_COOKIE}=${'forged'.padEnd(43, 'x')}`,
      `${SESSION_COOKIE}=${real.slice(0, -1)}${last}`,
      `${SESSION_COOKIE}=${real}x`,
      `${SESSION_COOKIE}=${real.slice(0, -1)}`,
      `${SESSION_COOKIE}=${'A'.repeat(200)}`,
    ];
    for (const route of routes) {
      const url = fill(route);
      const what = `${route.method} ${url}`;
      if (PUBLIC[key(route)]) {
        const res = await app.inject({ method: route.method as 'GET', url });
        assert.ok(res.statusCode < 500, `${what}: ${res.statusCode}`);
        checks.unauthenticated++;
        continue;
      }
      // Forged session cookies, and the other endpoints' tokens (the ingest's is its own credential).
      const attempts: Array<[string, Record<string, string>]> = [
        ...forged.map((cookie): [string, Record<string, string>] => [cookie, {}]),
        ['', { authorization: `Bearer ${METRICS_TOKEN}` }],
        ...(route.url === '/api/billing/rows'
          ? []
          : [['', { authorization: `Bearer ${INGEST_TOKEN}` }] as [string, Record<string, string>]]),
      ];
      for (const [cookie, headers] of attempts) {
        const form = multipartBody({ _csrf: 'x', confirm: 'yes' });
        const res = await app.inject({
          method: route.method as 'GET',
          url,
          headers: { cookie, ...headers, ...(writes(route) ? form.headers : {}) },
          ...(writes(route) ? { payload: form.payload } : {}),
        });
        assert.ok(
          refused(res),
          `${what} with "${cookie.slice(0, 20)}" ${JSON.stringify(headers)}: ${res.statusCode}`,
        );
        checks.unauthenticated++;
      }
      for (const cookie of forged) {
        if (!writes(route)) continue;
        const res = await app.inject({
          method: route.method as 'POST',
          url,
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'confirm=yes&_csrf=x',
        });
        assert.ok(refused(res), `${what} urlencoded: ${res.statusCode}`);
        checks.unauthenticated++;
      }
    }
    assert.deepEqual(triggered, []);
  });

  it('refuses /metrics to everyone when no token is configured (and says so at start), asks for it when one is', async () => {
    let log = '';
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    const open = await server({}, { logStream });
    for (const authorization of [undefined, 'Bearer ', `Bearer ${METRICS_TOKEN}`, 'Bearer undefined']) {
      const res = await open.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      assert.equal(res.statusCode, 403, String(authorization));
      assert.doesNotMatch(res.body, /gateway_/);
      checks.other++;
    }
    await open.close();
    assert.match(log, /"event":"metrics-disabled"/);
    const guarded = await server({ GATEWAY_METRICS_TOKEN: METRICS_TOKEN });
    for (const authorization of [
      undefined,
      'Bearer ',
      'Bearer wrong',
      METRICS_TOKEN,
      `Basic ${METRICS_TOKEN}`,
    ]) {
      const res = await guarded.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      assert.equal(res.statusCode, 401, String(authorization));
      checks.other++;
    }
    const ok = await guarded.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /gateway_/);
    await guarded.close();
  });

  it('refuses every operator action to the read-only role and lets an operator reach it', async () => {
    // Actions: every state-changing console route but signing in and out (the API answers to the
    // billing system's token, not to roles).
    const actions = routes.filter(
      (r) => writes(r) && !ANY_ROLE_WRITES.has(key(r)) && !r.url.startsWith('/api/'),
    );
    assert.ok(actions.length >= 4, `${actions.length} action routes`);
    const victor = await signedInAs(app, 'victor');
    await victor.get('/langue/en');
    const victorCsrf = await victor.csrf();
    const marie = await signedInAs(app, 'marie');
    const marieCsrf = await marie.csrf();
    // Managing operators is the administrator's: refused to the operator too.
    const ada = await signedInAs(app, 'ada');
    const adaCsrf = await ada.csrf();
    for (const route of actions) {
      const url = fill(route);
      const what = `${route.method} ${url}`;
      for (const send of [
        () => victor.post(url, { _csrf: victorCsrf, confirm: 'yes' }),
        () => victor.upload(url, { _csrf: victorCsrf, confirm: 'yes' }),
        ...(route.admin ? [() => marie.post(url, { _csrf: marieCsrf, confirm: 'yes' })] : []),
      ]) {
        const res = await send();
        assert.equal(res.statusCode, 403, `viewer ${what}`);
        assert.match(res.body, FORBIDDEN, `viewer ${what}`);
        checks.roles++;
      }
      // Not confirmed: the operator reaches the action, which asks for the confirmation (or, adding
      // an operator or changing a role, refuses the form's missing fields).
      const ok = route.admin
        ? await ada.submit(route, url, { _csrf: adaCsrf })
        : await marie.submit(route, url, { _csrf: marieCsrf });
      if (route.admin && ok.statusCode === 400) continue;
      assert.equal(ok.statusCode, 303, `operator ${what}: ${ok.body.slice(0, 200)}`);
      assert.ok(!refused(ok), `operator ${what}: ${ok.headers.location}`);
      checks.roles++;
    }
    // Pages: a page where the operator gets an action's form (its confirmation box) is refused to the
    // viewer, or shown without any action form.
    let confirmations = 0;
    for (const route of routes.filter(
      (r) => r.method === 'GET' && !PUBLIC[key(r)] && !r.url.startsWith('/metrics'),
    )) {
      const url = fill(route);
      const operatorPage = await (route.admin ? ada : marie).get(url);
      assert.ok(
        operatorPage.statusCode === 200 || (operatorPage.statusCode === 303 && !refused(operatorPage)),
        `operator GET ${url}`,
      );
      const viewerPage = await victor.get(url);
      assert.doesNotMatch(viewerPage.body, /name="confirm"/, `the viewer gets an action form on ${url}`);
      if (/name="confirm"/.test(operatorPage.body) && viewerPage.statusCode === 403) {
        assert.match(viewerPage.body, FORBIDDEN, url);
        confirmations++;
      }
      checks.roles += 2;
    }
    assert.ok(confirmations >= 3, `${confirmations} confirmation pages refused to the viewer`);
    assert.deepEqual(triggered, []);
    // The viewer's reads are journaled (a CSV download takes personal information out); nothing else is.
    const byViewer = await s.store.db
      .selectFrom('gateway_log')
      .select('outcome')
      .where('operator', '=', 'victor')
      .execute();
    assert.deepEqual(
      byViewer.filter((l) => !l.outcome.startsWith('list-exported:')),
      [],
    );
    assert.ok(byViewer.length > 0, 'the viewer’s downloads are journaled');
  });

  it('refuses every state-changing route without the session’s token, or from another origin', async () => {
    // An administrator, who may use every route.
    const a = await signedInAs(app, 'ada');
    const tokenA = await a.csrf();
    const b = await signedInAs(app, 'ada');
    const tokenB = await b.csrf();
    assert.notEqual(tokenA, tokenB);
    const badTokens: Array<Record<string, string>> = [
      {},
      { _csrf: '' },
      { _csrf: 'x' },
      { _csrf: 'forged'.padEnd(43, 'x') },
      { _csrf: tokenB },
      { _csrf: tokenA.slice(0, -1) },
      { _csrf: `${tokenA}x` },
    ];
    const otherOrigin: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://localhost.evil.example' },
      { referer: 'https://evil.example/page' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    // Signing out last: its same-origin request ends the session.
    const posts = routes
      .filter((r) => writes(r) && r.url !== '/connexion' && !r.url.startsWith('/api/'))
      .sort((x, y) => Number(x.url === '/deconnexion') - Number(y.url === '/deconnexion'));
    for (const route of posts) {
      const url = fill(route);
      for (const form of badTokens) {
        for (const send of [
          () => a.post(url, { ...form, confirm: 'yes' }),
          () => a.upload(url, { ...form, confirm: 'yes' }),
        ]) {
          const res = await send();
          assert.equal(res.statusCode, 403, `${route.method} ${url} ${JSON.stringify(form)}`);
          assert.match(res.body, CSRF_REFUSED);
          checks.csrf++;
        }
      }
      for (const headers of otherOrigin) {
        const res = await a.submit(route, url, { _csrf: tokenA }, headers);
        assert.equal(res.statusCode, 403, `${route.method} ${url} ${JSON.stringify(headers)}`);
        assert.match(res.body, CSRF_REFUSED);
        checks.csrf++;
      }
      // The same request from the console's own origin goes through.
      const same = await a.submit(
        route,
        url,
        { _csrf: tokenA },
        { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' },
      );
      if (route.url === '/deconnexion') {
        assert.equal(same.headers.location, '/connexion?out=1');
      } else if (route.admin && same.statusCode === 400) {
        // Adding an operator or changing a role without the form's fields: refused as a bad request.
      } else {
        const through = ANSWERS_WITH_PAGE.has(key(route)) ? 200 : 303;
        assert.ok(
          same.statusCode === through && !refused(same),
          `${route.method} ${url}: ${same.statusCode}`,
        );
      }
      checks.csrf++;
    }
    // Signing in: the form token is tied to the browser's sign-in cookie.
    const c = new Browser(app, '10.9.0.1');
    const d = new Browser(app, '10.9.0.1');
    const tokenC = csrfOf((await c.get('/connexion')).body);
    const tokenD = csrfOf((await d.get('/connexion')).body);
    for (const form of [{}, { _csrf: '' }, { _csrf: 'x' }, { _csrf: tokenD }] as Array<
      Record<string, string>
    >) {
      const res = await c.post('/connexion', { ...form, username: 'marie', password: TEST_PASSWORD });
      assert.equal(res.statusCode, 403, JSON.stringify(form));
      checks.csrf++;
    }
    for (const headers of otherOrigin) {
      const res = await c.post(
        '/connexion',
        { _csrf: tokenC, username: 'marie', password: TEST_PASSWORD },
        headers,
      );
      assert.equal(res.statusCode, 403, JSON.stringify(headers));
      checks.csrf++;
    }
    assert.equal(
      (await c.post('/connexion', { _csrf: tokenC, username: 'marie', password: TEST_PASSWORD })).statusCode,
      303,
    );
    assert.deepEqual(triggered, []);
  });

  it('sets HttpOnly, SameSite and Path on every cookie, and Secure with GATEWAY_CONSOLE_SECURE_COOKIES', async () => {
    const secureApp = await server({ GATEWAY_CONSOLE_SECURE_COOKIES: 'true' });
    try {
      for (const [target, secure] of [
        [app, false],
        [secureApp, true],
      ] as const) {
        const b = new Browser(target, '10.9.1.1');
        const page = await b.get('/connexion');
        const signIn = await b.post('/connexion', {
          _csrf: csrfOf(page.body),
          username: 'marie',
          password: TEST_PASSWORD,
        });
        const lang = await b.get('/langue/en');
        for (const [cookie, path] of [
          [setCookie(page, 'gw_login'), '/connexion'],
          [setCookie(signIn, SESSION_COOKIE), '/'],
          [setCookie(lang, 'gw_lang'), '/'],
        ] as const) {
          assert.match(cookie, /; HttpOnly/i, cookie);
          assert.match(cookie, /; SameSite=(Lax|Strict)/i, cookie);
          assert.match(cookie, new RegExp(`; Path=${path.replace('/', '\\/')}(;|$)`), cookie);
          if (secure) assert.match(cookie, /; Secure/i, cookie);
          else assert.doesNotMatch(cookie, /; Secure/i, cookie);
          checks.other += 4;
        }
        const session = setCookie(signIn, SESSION_COOKIE);
        assert.match(session, new RegExp(`Max-Age=${MAX_AGE_MS / 1000}`));
        const out = await b.post('/deconnexion', { _csrf: await b.csrf() });
        assert.match(setCookie(out, SESSION_COOKIE), /Max-Age=0|Expires=Thu, 01 Jan 1970/);
        // Strict-Transport-Security on every answer when the cookies are Secure.
        for (const url of ['/healthz', '/connexion', '/', '/nope']) {
          const res = await target.inject({ url });
          if (secure) assert.match(String(res.headers['strict-transport-security']), /^max-age=\d{7,}/, url);
          else assert.equal(res.headers['strict-transport-security'], undefined, url);
          checks.headers++;
        }
      }
    } finally {
      await secureApp.close();
    }
  });

  it('gives a new session at sign-in, ends it server-side at sign-out, refuses a tampered cookie', async () => {
    // A session id planted before sign-in (fixation) is not the one given.
    const b = new Browser(app, '10.9.2.1');
    const planted = 'forged'.padEnd(43, 'x');
    b.cookies.set(SESSION_COOKIE, planted);
    await b.signIn('marie');
    const first = b.cookies.get(SESSION_COOKIE)!;
    assert.notEqual(first, planted);
    // Signing in again over a live session gives another id, and the old one stops working.
    const again = new Browser(app, '10.9.2.1');
    again.cookies.set(SESSION_COOKIE, first);
    assert.equal((await again.get('/connexion')).statusCode, 303, 'a live session is sent home');
    const form = await new Browser(app, '10.9.2.1').get('/connexion');
    again.cookies.set('gw_login', setCookie(form, 'gw_login').split(';')[0]!.split('=')[1]!);
    await again.post('/connexion', { _csrf: csrfOf(form.body), username: 'marie', password: TEST_PASSWORD });
    const second = again.cookies.get(SESSION_COOKIE)!;
    assert.notEqual(second, first);
    const old = new Browser(app);
    old.cookies.set(SESSION_COOKIE, first);
    assert.ok(refused(await old.get('/journal')), 'the session replaced at sign-in');
    // Sign-out ends the session in the store: its cookie replayed is refused.
    const replay = new Browser(app);
    replay.cookies.set(SESSION_COOKIE, second);
    assert.equal((await replay.get('/journal')).statusCode, 200);
    const out = await again.post('/deconnexion', { _csrf: await again.csrf() });
    assert.equal(out.headers.location, '/connexion?out=1');
    const replayed = await replay.get('/journal');
    assert.ok(refused(replayed), 'the signed-out cookie replayed');
    const replayPost = await replay.post('/services/espm-consumption/relancer', {
      confirm: 'yes',
      _csrf: 'x',
    });
    assert.ok(refused(replayPost));
    // Tampered: one character changed.
    const c = new Browser(app, '10.9.2.2');
    await c.signIn('marie');
    const real = c.cookies.get(SESSION_COOKIE)!;
    c.cookies.set(SESSION_COOKIE, `${real.slice(0, 10)}${real[10] === 'A' ? 'B' : 'A'}${real.slice(11)}`);
    assert.ok(refused(await c.get('/')));
    checks.other += 5;
  });

  it('ends a session after 8 hours without use and 24 hours after sign-in, however used', async () => {
    let clock = new Date('2031-03-01T08:00:00Z');
    const clockApp = Fastify();
    await clockApp.register(consolePlugin, { gateway, scheduler, now: () => clock });
    try {
      const idle = new Browser(clockApp, '10.9.3.1');
      await idle.signIn('marie');
      clock = new Date(clock.getTime() + IDLE_MS + 60_000);
      assert.ok(refused(await idle.get('/')), 'idle');
      clock = new Date('2031-03-02T08:00:00Z');
      const busy = new Browser(clockApp, '10.9.3.2');
      await busy.signIn('marie');
      const start = clock.getTime();
      for (let h = 4; h < 24; h += 4) {
        clock = new Date(start + h * 3600_000);
        assert.equal((await busy.get('/')).statusCode, 200, `${h} h`);
      }
      clock = new Date(start + MAX_AGE_MS - 60_000);
      assert.equal((await busy.get('/')).statusCode, 200);
      clock = new Date(start + MAX_AGE_MS + 60_000);
      const res = await busy.get('/');
      assert.ok(refused(res), 'absolute');
      assert.match(String(res.headers.location), /expired=1/);
      checks.other += 8;
    } finally {
      await clockApp.close();
    }
  });

  it('sends the security headers on every page, redirect and error page', async () => {
    const marie = await signedInAs(app, 'marie');
    const victor = await signedInAs(app, 'victor');
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const url = fill(route);
      const isPublic = Boolean(PUBLIC[key(route)]);
      const signedIn = await marie.get(url, { authorization: `Bearer ${METRICS_TOKEN}` });
      checks.headers += checkHeaders(signedIn, `signed in ${url}`, !isPublic);
      checks.headers += checkHeaders(await app.inject({ url }), `anonymous ${url}`, false);
    }
    const errors: Array<[string, LightMyRequestResponse, number]> = [
      ['unknown page', await marie.get('/nope'), 404],
      ['unknown page, anonymous', await app.inject({ url: '/nope' }), 404],
      ['unknown meter', await marie.get('/compteurs/999999999'), 404],
      ['viewer on an action', await victor.get(`/compteurs/${ids.guideLink}/action/resync`), 403],
      ['missing CSRF', await marie.post('/deconnexion', {}), 403],
      [
        'bad form body',
        await marie.send({
          method: 'POST',
          url: '/deconnexion',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'a'.repeat(70 * 1024),
        }),
        413,
      ],
    ];
    for (const [what, res, status] of errors) {
      assert.equal(res.statusCode, status, what);
      checks.headers += checkHeaders(res, what, !what.includes('anonymous'));
      checkNoLeak(res, what);
    }
  });

  it('shows no stack trace or SQL when the store fails under a page or the ingest', async () => {
    const tables = ['meter_link', 'billing_import', 'espm_customer', 'gateway_log', 'billing_period'];
    const marie = await signedInAs(app, 'marie');
    for (const t of tables)
      await sql`alter table ${sql.table(t)} rename to ${sql.table(`${t}_hidden`)}`.execute(s.store.db);
    try {
      let failed = 0;
      for (const route of routes.filter((r) => r.method === 'GET' && !PUBLIC[key(r)])) {
        const url = fill(route);
        const res = await marie.get(url, { authorization: `Bearer ${METRICS_TOKEN}` });
        if (res.statusCode >= 500) failed++;
        checkNoLeak(res, `GET ${url} (${res.statusCode})`);
        checks.headers += checkHeaders(res, `failing GET ${url}`, true);
        checks.other++;
      }
      assert.ok(failed >= 5, `${failed} pages failed`);
      const ingest = await app.inject({
        method: 'POST',
        url: '/api/billing/rows',
        headers: { authorization: `Bearer ${INGEST_TOKEN}` },
        payload: { rows: [{ account_number: '11111111111' }] },
      });
      assert.ok(ingest.statusCode >= 400, String(ingest.statusCode));
      checkNoLeak(ingest, 'ingest');
    } finally {
      for (const t of tables)
        await sql`alter table ${sql.table(`${t}_hidden`)} rename to ${sql.table(t)}`.execute(s.store.db);
    }
  });

  it('compares the ingest token in constant time and refuses every wrong one with 401', async () => {
    const compared: Array<[number, number]> = [];
    const original = crypto.timingSafeEqual;
    const spy = mock.method(
      crypto,
      'timingSafeEqual',
      (x: NodeJS.ArrayBufferView, y: NodeJS.ArrayBufferView) => {
        compared.push([x.byteLength, y.byteLength]);
        return original(x, y);
      },
    );
    syncBuiltinESMExports();
    try {
      const wrong: string[] = [];
      for (let n = 1; n <= INGEST_TOKEN.length * 2; n++)
        wrong.push(INGEST_TOKEN.repeat(3).slice(0, n).replace(/.$/, '#'));
      wrong.push(
        INGEST_TOKEN.slice(0, -1),
        `${INGEST_TOKEN}x`,
        INGEST_TOKEN.toUpperCase(),
        `x${INGEST_TOKEN.slice(1)}`,
      );
      const post = (headers: Record<string, string>) =>
        app.inject({ method: 'POST', url: '/api/billing/rows', headers, payload: { rows: [] } });
      for (const token of wrong) {
        compared.length = 0;
        const res = await post({ authorization: `Bearer ${token}` });
        assert.equal(res.statusCode, 401, token);
        assert.equal(res.headers['www-authenticate'], 'Bearer');
        // One comparison of two equal-length digests, whatever the length sent: no early exit.
        assert.deepEqual(compared, [[32, 32]], `${token.length} characters`);
        checks.ingest++;
      }
      for (const headers of [
        {},
        { authorization: '' },
        { authorization: 'Bearer' },
        { authorization: 'Bearer ' },
        { authorization: INGEST_TOKEN },
        { authorization: `Basic ${INGEST_TOKEN}` },
        { authorization: `Token ${INGEST_TOKEN}` },
        { authorization: `Bearer ${INGEST_TOKEN} extra` },
      ] as Array<Record<string, string>>) {
        const res = await post(headers);
        assert.equal(res.statusCode, 401, JSON.stringify(headers));
        assert.equal(res.json().error, 'unauthorized');
        checks.ingest++;
      }
      compared.length = 0;
      const ok = await post({ authorization: `Bearer ${INGEST_TOKEN}` });
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(compared, [[32, 32]]);
    } finally {
      spy.mock.restore();
      syncBuiltinESMExports();
    }
  });

  it('answers a clear 4xx to an ingest body too large or not JSON, and 401 first without the token', async () => {
    const auth = { authorization: `Bearer ${INGEST_TOKEN}` };
    const big = `{"rows":[${'{"a":"b"},'.repeat(Math.ceil(INGEST_BODY_LIMIT / 10))}{}]}`;
    const cases: Array<[Record<string, string>, string, number, string]> = [
      [{ ...auth, 'content-type': 'application/json' }, big, 413, 'invalid-request'],
      [{ 'content-type': 'application/json' }, big, 401, 'unauthorized'],
      [{ ...auth, 'content-type': 'text/plain' }, '{"rows":[]}', 415, 'invalid-request'],
      [{ ...auth, 'content-type': 'application/x-www-form-urlencoded' }, 'rows=1', 415, 'invalid-request'],
      [
        { ...auth, ...multipartBody({ rows: '[]' }).headers },
        multipartBody({ rows: '[]' }).payload,
        415,
        'invalid-request',
      ],
      [{ ...auth, 'content-type': 'application/json' }, '{"rows": [', 400, 'invalid-request'],
      [auth, '{"rows":[]}', 415, 'invalid-request'],
      [{ ...auth, 'content-type': 'application/json' }, '[]', 400, 'invalid-body'],
      [{ ...auth, 'content-type': 'application/json; charset=utf-8' }, '{"rows":[]}', 200, ''],
    ];
    for (const [headers, payload, status, error] of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/billing/rows', headers, payload });
      const what = `${headers['content-type']} ${payload.length} bytes`;
      assert.equal(res.statusCode, status, what);
      if (error) {
        assert.equal(res.json().error, error, what);
        if (status === 415) assert.match(res.json().message, /application\/json/, what);
      }
      checkNoLeak(res, what);
      checks.ingest++;
    }
  });

  it('limits sign-in attempts per username and address, across a restart, two instances and parallel tries', async () => {
    const wrong = 'wrong password!!';
    const at = (target: FastifyInstance, ip: string) => new Browser(target, ip);
    for (let i = 0; i < 5; i++)
      assert.equal((await at(app, '10.8.0.1').signIn('marie', wrong)).statusCode, 401);
    const blocked = await at(app, '10.8.0.1').signIn('marie');
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.body, /Trop de tentatives/);
    assert.equal((await at(app, '10.8.0.2').signIn('marie')).statusCode, 303, 'another address');
    assert.equal((await at(app, '10.8.0.1').signIn('victor')).statusCode, 303, 'another username');
    // A restart: a new server on the same store still refuses.
    const restarted = await server();
    try {
      assert.equal((await at(restarted, '10.8.0.1').signIn('marie')).statusCode, 429, 'after a restart');
    } finally {
      await restarted.close();
    }
    // Two instances on one store share the count.
    const one = await server();
    const two = await server();
    try {
      for (let i = 0; i < 5; i++) {
        const res = await at(i % 2 ? two : one, '10.8.0.3').signIn('marie', wrong);
        assert.equal(res.statusCode, 401);
      }
      assert.equal((await at(one, '10.8.0.3').signIn('marie')).statusCode, 429);
      assert.equal((await at(two, '10.8.0.3').signIn('marie')).statusCode, 429);
      // Parallel tries do not get more than the limit.
      const forms = await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const b = at(i % 2 ? two : one, '10.8.0.4');
          const page = await b.get('/connexion');
          return { b, token: csrfOf(page.body) };
        }),
      );
      const answers = await Promise.all(
        forms.map(({ b, token }) =>
          b.post('/connexion', { _csrf: token, username: 'marie', password: wrong }),
        ),
      );
      let tried = answers.filter((r) => r.statusCode === 401).length;
      assert.ok(tried <= 5, `${tried} passwords tried in parallel`);
      assert.equal(answers.filter((r) => r.statusCode === 429).length, 12 - tried);
      // Then one at a time: 5 passwords checked in all, then refused.
      for (;;) {
        const res = await at(tried % 2 ? two : one, '10.8.0.4').signIn('marie', wrong);
        if (res.statusCode === 429) break;
        assert.equal(res.statusCode, 401);
        tried++;
      }
      assert.equal(tried, 5);
      assert.equal((await at(one, '10.8.0.4').signIn('marie')).statusCode, 429);
    } finally {
      await one.close();
      await two.close();
    }
    checks.other += 10;
  });

  it('counts sign-in attempts by the browser’s address behind a trusted proxy, and believes no one else’s X-Forwarded-For', async () => {
    const wrong = 'wrong password!!';
    const forwardedFor = (ip: string) => ({ 'x-forwarded-for': ip });
    /** The status of a sign-in from a new browser at `ip` on `to`, saying it is forwarded for `forIp`. */
    const signInFrom =
      (to: FastifyInstance, ip: string) => async (username: string, password: string, forIp: string) =>
        (await new Browser(to, ip).signIn(username, password, forwardedFor(forIp))).statusCode;
    // Not trusted: a forged X-Forwarded-For does not give an attacker a fresh address.
    const direct = signInFrom(app, '10.8.1.1');
    for (let i = 0; i < 5; i++) assert.equal(await direct('victor', wrong, `172.16.0.${i}`), 401);
    assert.equal(
      await direct('victor', TEST_PASSWORD, '172.16.0.99'),
      429,
      'a forged X-Forwarded-For is ignored',
    );
    // Behind the proxy at 10.8.2.1: one browser's failures do not lock out another's.
    const proxied = await server({ GATEWAY_TRUST_PROXY: '10.8.2.0/24' });
    try {
      const viaProxy = signInFrom(proxied, '10.8.2.1');
      for (let i = 0; i < 5; i++) assert.equal(await viaProxy('marie', wrong, '198.51.100.7'), 401);
      assert.equal(await viaProxy('marie', TEST_PASSWORD, '198.51.100.7'), 429);
      assert.equal(
        await viaProxy('marie', TEST_PASSWORD, '198.51.100.8'),
        303,
        'another browser behind the same proxy',
      );
      // X-Forwarded-Proto from the proxy marks the cookies Secure.
      const https = await new Browser(proxied, '10.8.2.1').signIn('victor', TEST_PASSWORD, {
        ...forwardedFor('198.51.100.9'),
        'x-forwarded-proto': 'https',
      });
      assert.equal(https.statusCode, 303);
      assert.match(String(https.headers['set-cookie']), /Secure/);
    } finally {
      await proxied.close();
    }
    checks.other += 6;
  });
});
