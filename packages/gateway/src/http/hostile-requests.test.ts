// Hostile requests against the server `serve` assembles, on each test store (issue 12):
// - the review's four findings, each with the request that showed it;
// - a walk of every route the server registers (found by its onRoute hook), with hostile values for
//   every parameter its schema names (and for an unnamed one), signed out, as viewer and as operator:
//   no answer is a 5xx, every answer carries the security headers, nothing is logged at error level,
//   no promise is left rejected without a handler, and the server still answers its health check.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import { loadConfig } from '../config/config.ts';
import { safeNext } from '../console/navigation.ts';
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
import { SECURITY_HEADERS } from './security-headers.ts';
import { buildHttpServer } from './server.ts';

const INGEST_TOKEN = 'ingest-token-hostile-requests-test';

/** Values no parameter should choke on, as they appear in a URL (already percent-encoded). */
const HOSTILE: readonly string[] = [
  '2147483647',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
  '18446744073709551616',
  '1e400',
  '-1',
  '0',
  'NaN',
  'Infinity',
  '0x10',
  '1.5',
  '%00',
  '1%00',
  '%01%1F',
  '%7F',
  '%C4%80',
  '%F0%9F%92%A5',
  '%E0%A4%A',
  '%FF%FE',
  '%ED%A0%80',
  '%',
  '%2e%2e%2f%2e%2e%2f',
  '%3Cscript%3E',
  "'%3B--",
  'x'.repeat(5000),
  '%C4%80'.repeat(800),
];

/** The values tried where a parameter is repeated or unnamed. */
const FEW: readonly string[] = ['2147483648', '%00', '%E0%A4%A', '%C4%80'];

type Case = [name: string, url: (value: string) => string, values: readonly string[]];

/** A string of the values' characters only: the test's own error messages stay short. */
const short = (v: string) => (v.length > 40 ? `${v.slice(0, 20)}…(${v.length})` : v);

interface Route {
  method: string;
  url: string;
  multipart: boolean;
  query: string[];
  /** Only an operator gets past the role check (an action or its confirmation page). */
  operatorOnly: boolean;
}

/** The cookies a browser keeps. */
class Client {
  cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  async send(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.inject({ ...opts, headers: { cookie, ...opts.headers } });
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number }>) {
      if (c.maxAge === 0 || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  async signIn(username: string, next = ''): Promise<LightMyRequestResponse> {
    const page = await this.send({ method: 'GET', url: '/connexion' });
    return this.send({
      method: 'POST',
      url: `/connexion${next ? `?next=${next}` : ''}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: csrfOf(page.body),
        username,
        password: TEST_PASSWORD,
      }).toString(),
    });
  }

  async csrf(): Promise<string> {
    return csrfOf((await this.send({ method: 'GET', url: '/contacts' })).body);
  }
}

function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  assert.ok(m, 'the page has a CSRF field');
  return m[1]!;
}

function assertHeaders(res: LightMyRequestResponse, what: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    assert.equal(res.headers[name], value, `${what} (${res.statusCode}): ${name}`);
  }
}

/** JSON log lines at error level or above (pino: 50 error, 60 fatal). */
class LogCapture extends Writable {
  errors: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) {
      if (line && (JSON.parse(line) as { level: number }).level >= 50) this.errors.push(line);
    }
    done();
  }
}

forEachStore('hostile requests', (s) => {
  let gateway: Gateway;
  let ids: SeedIds;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);
  const scheduler: Scheduler = { trigger: async () => {}, stop: async () => {}, isReady: () => true };

  before(async () => {
    process.on('unhandledRejection', onRejection);
    ({ gateway, ids } = await consoleTestGateway(s.store));
  });

  after(async () => {
    process.off('unhandledRejection', onRejection);
    await gateway?.close();
  });

  /** The console alone, its link counts never cached (as when the cache has just expired). */
  async function consoleApp(log: LogCapture): Promise<FastifyInstance> {
    const app = Fastify({ logger: { level: 'info', stream: log } });
    await app.register(consolePlugin, { gateway, countCacheMs: 0 });
    await app.ready();
    return app;
  }

  const server = (log: LogCapture, env: Record<string, string> = {}, onRoute?: (r: RouteOptions) => void) =>
    buildHttpServer({
      gateway,
      config: loadConfig({ ...UNREACHABLE_ESPM_ENV, GATEWAY_INGEST_TOKEN: INGEST_TOKEN, ...env }),
      scheduler,
      logStream: log,
      ...(onRoute ? { onRoute } : {}),
    });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  /** Runs `use` on the app `start` makes with a fresh log capture, and closes the app whatever happens. */
  async function withApp(
    start: (log: LogCapture) => Promise<FastifyInstance>,
    use: (app: FastifyInstance, log: LogCapture) => Promise<void>,
  ): Promise<void> {
    const log = new LogCapture();
    const app = await start(log);
    try {
      await use(app, log);
    } finally {
      await app.close();
    }
  }

  it('finding 1: ids, cursors and searches out of range or holding NUL are refused before any query', () =>
    withApp(consoleApp, async (app, log) => {
      const viewer = new Client(app);
      await viewer.signIn('victor');
      for (const [url, status] of [
        ['/compteurs?after=2147483648', 400],
        ['/compteurs?before=2147483648', 400],
        ['/compteurs?q=%00', 400],
        ['/compteurs?after=1e400', 400],
        ['/compteurs/2147483648', 404],
        ['/compteurs/2147483648/historique.csv', 404],
        ['/facturation/2147483648', 404],
        ['/contacts?q=%00', 400],
        ['/contacts?o=2147483648', 400],
        ['/contacts?after=%00', 400],
        ['/journal?du=2026-02-30x', 400],
        ['/journal?after=9223372036854775808', 400],
      ] as const) {
        const res = await viewer.send({ method: 'GET', url });
        assert.equal(res.statusCode, status, `${url}: ${res.body.slice(0, 200)}`);
        assertHeaders(res, url);
      }
      await settle();
      assert.deepEqual(rejections, [], 'no promise rejected without a handler');
      assert.deepEqual(log.errors, [], 'nothing logged at error level');
    }));

  it('finding 2: no body is parsed before the session is known, and the console parses no JSON', () =>
    withApp(consoleApp, async (app, log) => {
      const json = { 'content-type': 'application/json' };
      // Malformed on purpose: parsing it would answer 400; the sign-in redirect shows it was never read.
      for (const url of ['/deconnexion', '/compteurs/1/action/revoke', '/facturation']) {
        const res = await app.inject({ method: 'POST', url, headers: json, payload: '['.repeat(100_000) });
        assert.equal(res.statusCode, 303, `${url}: ${res.statusCode} ${res.body.slice(0, 100)}`);
        assert.match(String(res.headers.location), /^\/connexion/);
      }
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const big = await app.inject({
        method: 'POST',
        url: '/deconnexion',
        headers: form,
        payload: 'a=1&'.repeat(300_000),
      });
      assert.equal(big.statusCode, 303, 'a large form without a session is not read either');
      const marie = new Client(app);
      await marie.signIn('marie');
      const signedIn = await marie.send({
        method: 'POST',
        url: '/deconnexion',
        headers: json,
        payload: '{"_csrf":"x"}',
      });
      assert.equal(signedIn.statusCode, 415, 'JSON is no form of the console');
      assertHeaders(signedIn, 'JSON to the console');
      assert.deepEqual(log.errors, []);
    }));

  it('finding 3: a non-ASCII `next` is percent-encoded, a malformed URL is a 400, all with the headers', () =>
    withApp(server, async (app, log) => {
      const anonymous = new Client(app);
      const lang = await anonymous.send({ method: 'GET', url: '/langue/en?next=/%C4%80' });
      assert.equal(lang.statusCode, 303);
      assert.equal(lang.headers.location, '/%C4%80');
      assertHeaders(lang, 'language switch');
      const lone = await anonymous.send({ method: 'GET', url: '/langue/en?next=/%ED%A0%80' });
      assert.equal(lone.statusCode, 303);
      assert.match(
        String(lone.headers.location),
        /^\/[\x21-\x7e]*$/,
        'an escape that decodes to no text stays as sent',
      );
      assert.equal(safeNext('/\uD800'), undefined, 'a lone surrogate is refused: no URL encodes it');
      const signIn = await new Client(app).signIn('marie', encodeURIComponent('/compteurs?q=Ā'));
      assert.equal(signIn.statusCode, 303, 'the sign-in succeeds');
      assert.equal(signIn.headers.location, '/compteurs?q=%C4%80');
      for (const url of ['/%E0%A4%A', '/compteurs/%E0%A4%A']) {
        const res = await anonymous.send({ method: 'GET', url });
        assert.equal(res.statusCode, 400, url);
        assertHeaders(res, url);
      }
      const unknown = await anonymous.send({ method: 'GET', url: '/no/such/page' });
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /Not found|Introuvable/);
      assertHeaders(unknown, 'unknown URL');
      assert.deepEqual(log.errors, []);
    }));

  it('finding 4: X-Forwarded-Host is believed only from a proxy GATEWAY_TRUST_PROXY names', async () => {
    const log = new LogCapture();
    const forged = {
      origin: 'http://evil.example',
      host: 'gateway.local',
      'x-forwarded-host': 'evil.example',
    };
    for (const [env, expected] of [
      [{}, 403],
      [{ GATEWAY_TRUST_PROXY: '127.0.0.1' }, 303],
    ] as const) {
      const app = await server(log, env);
      try {
        const marie = new Client(app);
        await marie.signIn('marie');
        const res = await marie.send({
          method: 'POST',
          url: `/compteurs/${ids.guideLink}/action/resync`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...forged },
          payload: new URLSearchParams({ _csrf: await marie.csrf(), confirm: 'no' }).toString(),
        });
        assert.equal(res.statusCode, expected, JSON.stringify(env));
      } finally {
        await app.close();
      }
    }
  });

  it('walks every route × parameter × hostile value × role: no 5xx, headers on every answer, still serving', async () => {
    const log = new LogCapture();
    const routes: Route[] = [];
    const app = await server(log, {}, (r) => {
      const query = Object.keys(
        ((r.schema?.querystring ?? {}) as { properties?: Record<string, unknown> }).properties ?? {},
      );
      for (const method of [r.method].flat()) {
        if (method === 'HEAD') continue;
        const config = (r.config ?? {}) as { multipart?: boolean; role?: string };
        const operatorOnly = config.role === 'operator' || (method !== 'GET' && config.role !== 'any');
        routes.push({ method, url: r.url, multipart: config.multipart === true, query, operatorOnly });
      }
    });
    await app.ready();
    const started = Date.now();
    let requests = 0;
    let parameters = 0;
    try {
      const plausible: Record<string, string> = {
        id: String(ids.guideLink),
        action: 'keep-customer',
        accountId: ids.lockedAccount,
        queue: 'espm-consumption',
        lang: 'en',
      };
      const roles = ['anonymous', 'victor', 'marie'] as const;
      for (const role of roles) {
        const client = new Client(app);
        if (role !== 'anonymous') await client.signIn(role);
        const csrf = role === 'anonymous' ? 'x' : await client.csrf();
        // A page every role reads runs the same code for an operator as for a viewer: the operator
        // walks the routes only an operator gets into.
        for (const route of routes.filter((r) => role !== 'marie' || r.operatorOnly)) {
          const path = (values: Record<string, string>) =>
            route.url.replace(/:(\w+)/g, (_, name: string) => values[name] ?? plausible[name] ?? '1');
          const pathParams = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
          // Every parameter the route's schema names with every value; then, with a few values, all of
          // them repeated and as arrays at once, and one parameter it does not name (ignored, harmless).
          const all = (v: string) => route.query.map((q) => `${q}=1&${q}=${v}&${q}[]=${v}`).join('&');
          const cases: Case[] = [
            ...pathParams.map((p): Case => [p, (v) => path({ [p]: v }), HOSTILE]),
            ...route.query.map((q): Case => [q, (v) => `${path({})}?${q}=${v}`, HOSTILE]),
            ...(route.query.length ? [['repeated', (v) => `${path({})}?${all(v)}`, FEW] as Case] : []),
            ['unnamed', (v) => `${path({})}?zz=${v}`, FEW],
          ];
          if (role === 'victor') parameters += cases.length;
          for (const [name, url, values] of cases) {
            for (const value of values) {
              const target = url(value);
              const what = `${role} ${route.method} ${route.url} ${name}=${short(value)}`;
              const writes = route.method !== 'GET';
              // Signing out would end the walk's session: that one form goes with a wrong token. A
              // sign-in fails (a wrong password, counted against a name nobody has).
              const form = {
                _csrf: route.url === '/deconnexion' ? 'x' : csrf,
                confirm: 'no',
                username: 'walker',
                password: 'wrong',
              };
              // An unconfirmed form: a state change is never made, but the route reads its parameters.
              const res = await client.send({
                method: route.method as 'GET',
                url: target,
                ...(writes
                  ? route.url === '/api/billing/rows'
                    ? { headers: { authorization: `Bearer ${INGEST_TOKEN}` }, payload: { rows: [] } }
                    : route.multipart
                      ? multipart({ _csrf: csrf, confirm: 'no' })
                      : {
                          headers: { 'content-type': 'application/x-www-form-urlencoded' },
                          payload: new URLSearchParams(form).toString(),
                        }
                  : {}),
              });
              requests++;
              assert.ok(res.statusCode < 500, `${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
              assertHeaders(res, what);
              if (res.headers.location) assert.match(String(res.headers.location), /^\/[\x21-\x7e]*$/, what);
            }
          }
          // Signing out or in (a failed sign-in keeps the session) must not end the walk's session.
          if (role !== 'anonymous' && !client.cookies.has('gw_console')) await client.signIn(role);
        }
      }
      await settle();
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(health.statusCode, 200, 'still serving');
      assert.deepEqual(rejections, [], 'no promise rejected without a handler');
      assert.deepEqual(log.errors.slice(0, 3), [], 'nothing logged at error level');
    } finally {
      await app.close();
      process.stdout.write(
        `# hostile walk (${s.kind}): ${routes.length} routes, ${parameters} parameters (path and query, each with ${HOSTILE.length} values; repeated and unnamed with ${FEW.length}), 3 roles: ${requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  });
});

function multipart(form: Record<string, string>): { payload: string; headers: Record<string, string> } {
  const boundary = '----hostile-boundary';
  const parts = Object.entries(form).map(
    ([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  return {
    payload: `${parts.join('')}--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
