// Console lists with 100,000 meter links: server time (fastify inject, signed in) of the meter list's
// first page, a status-filtered page, searches by meter number, the meter page, and a few others.
//
//   npx tsx bench/console-list.ts                 embedded store (its PostgreSQL server, a database of its own)
//   DATABASE_URL=postgres://… npx tsx bench/…     the same on PostgreSQL too (a throwaway database)
//
// Options: LINKS=100000 RUNS=30.
import { EspmClient } from '@gaz-espm/espm';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { upsertOperator } from '@gaz-espm/gateway/console/operators';
import { consolePlugin } from '@gaz-espm/gateway/console';
import { seedConsole } from '@gaz-espm/gateway/testing/test-seed';
import type { ExchangeContext } from '@gaz-espm/gateway/exchange/context';
import type { Gateway } from '@gaz-espm/gateway/runtime';
import type { Store } from '@gaz-espm/gateway/store';
import { openTestStore } from '@gaz-espm/gateway/testing/test-store';

const LINKS = Number(process.env.LINKS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 30);
const PASSWORD = 'benchmark password';

async function seed(store: Store): Promise<{ guideLink: number; midId: number }> {
  const db = store.db;
  const t = Date.now();
  // The named rows (the guide's meter with its 23 periods, a conflict, log lines…), then the bulk.
  const ids = await seedConsole(db, { now: new Date() });
  await sql`
    insert into espm_customer (account_id, username, first_name, last_name, email, organization, phone,
                               connection_status, connected_at)
    select (400000 + g)::text, 'client' || g, 'Client', 'Numéro ' || g, 'client' || g || '@example.com',
           'Organisation ' || g, null, case when g % 20 = 0 then 'disconnected' else 'connected' end,
           now() - make_interval(mins => g)
    from generate_series(1, ${Math.ceil(LINKS / 5)}::int) g`.execute(db);
  await sql`
    insert into meter_link (espm_meter_id, espm_property_id, espm_account_id, espm_username, meter_name,
      meter_type, unit_of_measure, first_bill_date, access_level, custom_fields, account_number,
      invoice_number, meter_number, initial_load, status, reason_code, received_at, decided_at,
      answered_at, history_from, last_period_end, sync_due)
    select (10000000 + g)::text, (3000000 + g / 3)::text, (400000 + 1 + g / 5)::text, 'client' || (1 + g / 5),
      'Gaz naturel', 'Natural Gas', 'cm (Cubic meters)', '2020-01-01', 'Read Write', '{}'::jsonb,
      (1000000000 + g)::text, (200000000000 + g)::text, 'M' || (5000000 + g), 24,
      (array['accepted','accepted','accepted','accepted','accepted','rejected','revoked','pending','accepted','conflict'])[1 + g % 10],
      case g % 10 when 5 then 'meter-not-on-account' when 6 then 'property-unshared' else null end,
      now() - make_interval(mins => ${LINKS}::int - g), now() - make_interval(mins => ${LINKS}::int - g),
      now() - make_interval(mins => ${LINKS}::int - g), '2021-04-01',
      case when g % 10 in (0, 1, 2, 3, 4, 8) then '2023-03-31'::date end, false
    from generate_series(1, ${LINKS}::int) g`.execute(db);
  await sql`
    insert into gateway_log (at, service, subject, outcome, status, details, event, operator)
    select now() - make_interval(secs => g * 7),
      (array['ConnectionManager','PropertyShareManager','MeterConnectionManager','ConsumptionUpdater','NotificationWatcher'])[1 + g % 5],
      (10000000 + g)::text, case when g % 97 = 0 then 'espm-unavailable' when g % 5 = 2 then 'accepted' else 'sent' end,
      case when g % 97 = 0 then 'error' else 'done' end, null,
      case
        when g % 97 = 0 then '{"kind":"espm-error","error":"unavailable","message":"503"}'
        when g % 5 = 2 then '{"kind":"accepted"}'
        else '{"kind":"sent","created":1,"updated":0,"deleted":0,"adopted":0}'
      end::jsonb,
      null
    from generate_series(1, ${LINKS}::int) g`.execute(db);
  await sql`analyze`.execute(db);
  const mid = await db
    .selectFrom('meter_link')
    .select('id')
    .where('status', '=', 'accepted')
    .orderBy('id')
    .offset(Math.floor(LINKS / 3))
    .limit(1)
    .executeTakeFirstOrThrow();
  process.stdout.write(
    `  seeded ${LINKS.toLocaleString('en')} links, ${Math.ceil(LINKS / 5).toLocaleString('en')} customers, ${LINKS.toLocaleString('en')} log lines in ${((Date.now() - t) / 1000).toFixed(1)} s\n`,
  );
  return { guideLink: ids.guideLink, midId: mid.id };
}

async function signIn(app: FastifyInstance): Promise<string> {
  const form = await app.inject({ url: '/connexion' });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const login = form.cookies.find((c) => c.name === 'gw_login')!.value;
  const res = await app.inject({
    method: 'POST',
    url: '/connexion',
    headers: { cookie: `gw_login=${login}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, username: 'bench', password: PASSWORD }).toString(),
  });
  const session = res.cookies.find((c) => c.name === 'gw_console');
  if (!session) throw new Error(`sign-in failed: ${res.statusCode}`);
  return `gw_console=${session.value}`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(
  app: FastifyInstance,
  cookie: string,
  url: string,
): Promise<{ p50: number; p95: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS + 3; i++) {
    const t = process.hrtime.bigint();
    const res = await app.inject({ url, headers: { cookie } });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    rows = (res.body.match(/<tr>/g) ?? []).length;
    if (i >= 3) times.push(ms); // the first three warm up caches and plans
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), rows };
}

async function bench(kind: 'embedded' | 'postgres'): Promise<void> {
  process.stdout.write(
    `\n${kind === 'embedded' ? 'Embedded store (its own PostgreSQL server)' : 'PostgreSQL'}\n`,
  );
  const store = await openTestStore(kind);
  const app = Fastify({ logger: false });
  const uncached = Fastify({ logger: false });
  try {
    const { guideLink, midId } = await seed(store);
    await upsertOperator(store.db, { username: 'bench', role: 'viewer', password: PASSWORD });
    const espm = new EspmClient({ baseUrl: 'http://127.0.0.1:9/ws/', username: 'x', password: 'x' });
    const ctx: ExchangeContext = {
      db: store.db,
      espm,
      providerUsername: 'x',
      sendCost: false,
      now: () => new Date(),
    };
    const gateway: Gateway = { store, espm, ctx, close: async () => {} };
    await app.register(consolePlugin, { gateway });
    await uncached.register(consolePlugin, { gateway, countCacheMs: 0 });
    const cookie = await signIn(app);
    // Meter numbers are M(5000000 + g) for g = 1..LINKS, customers client1..client(LINKS/5): searched
    // values that exist at this size.
    const exact = 5_000_000 + Math.floor(LINKS * 0.54321);
    const prefix = `M${String(exact).slice(0, -2)}`; // its hundred: 100 hits
    const cases: Array<[string, string]> = [
      ['meter list, first page (with total)', '/compteurs'],
      ['  same, counting on every request', 'uncached:/compteurs'],
      ['meter list, status = conflict', '/compteurs?status=conflict'],
      ['  same, counting on every request', 'uncached:/compteurs?status=conflict'],
      ['meter list, status = accepted, deep page', `/compteurs?status=accepted&after=${midId}&o=30000`],
      ['search: exact meter number', `/compteurs?q=M${exact}`],
      ['search: meter number prefix (100 hits)', `/compteurs?q=${prefix}`],
      ['search: ESPM meter id prefix 1000…', '/compteurs?q=1000'],
      ['search: no match', '/compteurs?q=ZZZ999'],
      ['meter page (guide, 23 periods)', `/compteurs/${guideLink}`],
      ['home', '/'],
      ['  same, counting on every request', 'uncached:/'],
      ['contacts, search', `/contacts?q=client${Math.max(1, Math.floor(LINKS / 80))}`],
      ['gateway log, errors', '/journal?status=error'],
      ['meter list, status = rejected (not superseded)', 'uncached:/compteurs?status=rejected'],
      ['rejections (typed answers, superseded marked)', '/refus'],
      ['helpdesk: billing account lookup (journaled)', `/comptes?partage=${guideLink}`],
    ];
    process.stdout.write(
      `  ${'request'.padEnd(44)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'rows'.padStart(5)}\n`,
    );
    for (const [label, url] of cases) {
      const r = url.startsWith('uncached:')
        ? await measure(uncached, cookie, url.slice('uncached:'.length))
        : await measure(app, cookie, url);
      process.stdout.write(
        `  ${label.padEnd(44)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${String(r.rows).padStart(5)}\n`,
      );
    }
    await espm.close();
  } finally {
    await app.close();
    await uncached.close();
    await store.close();
  }
}

process.stdout.write(
  `console lists: ${LINKS.toLocaleString('en')} meter links, ${RUNS} requests per case, Node ${process.version}\n`,
);
await bench('embedded');
if (process.env.DATABASE_URL) await bench('postgres');
