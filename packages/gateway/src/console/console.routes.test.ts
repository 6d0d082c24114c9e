// The console over HTTP (fastify inject): sign-in and sessions, CSRF, roles, every page in French and
// English, escaping, pagination, filters and the actions that need no ESPM.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EspmClient } from '@gaz-espm/espm';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/config.ts';
import type { ExchangeContext } from '../exchange/context.ts';
import { buildHttpServer } from '../http/server.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import type { Gateway } from '../runtime.ts';
import type { Store } from '../store/database.ts';
import { runOperatorCommand } from '../../test-support/operator-command.ts';
import { openTestStore } from '../../test-support/test-store.ts';
import { IDLE_MS } from './auth/sessions.ts';
import { issueCode } from '../buildings/aggregation-codes.ts';
import { createBuilding } from '../buildings/buildings.ts';
import { markAnswered, recordShareDecision } from '../exchange/link-state.ts';
import { consolePlugin } from './plugin.ts';
import { ConsoleClient, csrfOf, plainText } from '../../test-support/console-client.ts';
import { addNamedOperators, TEST_PASSWORD } from '../../test-support/console-gateway.ts';
import { GUIDE } from '../../test-support/guide-example.ts';
import type { SeedIds } from '../../test-support/test-seed.ts';
import { seedConsole, XSS } from '../../test-support/test-seed.ts';
import Fastify from 'fastify';

const PASSWORD = TEST_PASSWORD;

function rowsOf(body: string, hrefPrefix: string): string[] {
  return [...body.matchAll(new RegExp(`href="${hrefPrefix}(\\d+)"`, 'g'))].map((m) => m[1]!);
}

describe('console routes', () => {
  let store: Store;
  let app: FastifyInstance;
  let ids: SeedIds;
  let clock = new Date();
  const triggered: string[] = [];

  before(async () => {
    store = await openTestStore();
    ids = await seedConsole(store.db, { now: new Date(), fillerLinks: 130, fillerCustomers: 60 });
    await addNamedOperators(store.db);
    const config = loadConfig({
      ESPM_BASE_URL: 'http://127.0.0.1:9/ws/',
      ESPM_USERNAME: 'provider',
      ESPM_PASSWORD: 'x',
    });
    const espm = new EspmClient({
      baseUrl: config.espm.baseUrl,
      username: 'provider',
      password: 'x',
      timeoutMs: 200,
    });
    const ctx: ExchangeContext = {
      db: store.db,
      espm,
      providerUsername: 'provider',
      sendCost: false,
      now: () => new Date(),
    };
    const gateway: Gateway = { store, espm, ctx, close: async () => {} };
    const scheduler: Scheduler = {
      trigger: async (queue) => {
        triggered.push(queue);
      },
      stop: async () => {},
    };
    app = await buildHttpServer({ gateway, config, scheduler });
    // A second server on the same store with a test clock, for session expiry.
    clockApp = Fastify();
    await clockApp.register(consolePlugin, { gateway, scheduler, now: () => clock });
  });
  let clockApp: FastifyInstance;

  after(async () => {
    await app?.close();
    await clockApp?.close();
    await store?.close();
  });

  it('sends the security headers on every response, console or not', async () => {
    for (const url of ['/healthz', '/connexion', '/', '/assets/console.css']) {
      const res = await app.inject({ url });
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, url);
      assert.doesNotMatch(String(res.headers['content-security-policy']), /unsafe-inline/, url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['referrer-policy'], 'same-origin', url);
    }
    const favicon = await app.inject({ url: '/favicon.ico' });
    assert.equal(favicon.statusCode, 200);
  });

  it('sends a visitor without a session to the sign-in page, in French by default', async () => {
    const res = await app.inject({ url: '/compteurs?status=accepted' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/connexion?next=%2Fcompteurs%3Fstatus%3Daccepted');
    const page = await app.inject({ url: '/connexion' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="fr">/);
    assert.match(page.body, /Se connecter/);
  });

  it('signs in with a session cookie that is HttpOnly and SameSite=Lax, and goes back to the page asked', async () => {
    const b = new ConsoleClient(app);
    const form = await b.get('/connexion?next=%2Fjournal');
    const res = await b.post('/connexion?next=%2Fjournal', {
      _csrf: csrfOf(form.body),
      username: 'Marie',
      password: PASSWORD,
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/journal');
    const cookie = String(
      [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('gw_console=')),
    );
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/);
    const page = await b.get('/journal');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Marie Opératrice/);
    // The store keeps only a hash of the session id.
    const sessions = await store.db.selectFrom('console_session').select('id_hash').execute();
    assert.ok(sessions.every((s) => !b.cookies.get('gw_console')!.includes(s.id_hash)));
  });

  it('refuses a sign-in without the form token, a wrong password, and rate-limits per username and IP', async () => {
    const b = new ConsoleClient(app, '10.0.0.5');
    const noToken = await b.post('/connexion', { username: 'marie', password: PASSWORD });
    assert.equal(noToken.statusCode, 403);
    for (let i = 0; i < 5; i++) {
      const res = await b.signIn('marie', 'wrong password!');
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /Nom d’utilisateur ou mot de passe incorrect/);
    }
    const blocked = await b.signIn('marie', PASSWORD);
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.body, /Trop de tentatives infructueuses\. Réessayez dans 15 min\./);
    // Another address is not blocked.
    const other = await new ConsoleClient(app, '10.0.0.6').signIn('marie');
    assert.equal(other.statusCode, 303);
  });

  it('ends a session after 8 hours without use, and at sign-out', async () => {
    clock = new Date('2030-01-01T12:00:00Z');
    const b = new ConsoleClient(clockApp, '10.0.0.7');
    assert.equal((await b.signIn('marie')).statusCode, 303);
    clock = new Date(clock.getTime() + IDLE_MS - 60_000);
    assert.equal((await b.get('/refus')).statusCode, 200);
    clock = new Date(clock.getTime() + IDLE_MS + 60_000);
    const expired = await b.get('/refus');
    assert.equal(expired.statusCode, 303);
    assert.equal(expired.headers.location, '/connexion?next=%2Frefus&expired=1');

    const c = new ConsoleClient(app);
    await c.signIn('marie');
    const out = await c.post('/deconnexion', { _csrf: await c.csrf() });
    assert.equal(out.headers.location, '/connexion?out=1');
    assert.equal((await c.get('/')).statusCode, 303);
  });

  describe('signed in', () => {
    const marie = () => {
      const b = new ConsoleClient(app);
      return b.signIn('marie').then(() => b);
    };

    it('shows every page in French and in English, with no untranslated key', async () => {
      const pages = [
        ['/', 'Accueil', 'Home'],
        ['/contacts', 'Contacts ESPM', 'ESPM Contacts'],
        ['/compteurs', 'Compteurs ESPM', 'ESPM Meters'],
        [`/compteurs/${ids.guideLink}`, 'Dernière période envoyée (fin)', 'Last billed period sent (end)'],
        [
          `/comptes?partage=${ids.guideLink}`,
          'Ce que le client doit saisir dans ESPM',
          'What the customer types in ESPM',
        ],
        [
          `/compteurs/${ids.conflictLink}`,
          'Conflit avec les données du client',
          'Conflict with the customer’s data',
        ],
        [`/compteurs/${ids.rejectedLink}`, 'Facture autre que la dernière', 'Not the latest invoice'],
        [
          `/compteurs/${ids.pausedLink}`,
          'Envoi en pause : accès en lecture seule',
          'Sending paused: read-only access',
        ],
        ['/journal', 'Journal de passerelle', 'Gateway log'],
        ['/refus', 'Refus et verrouillages', 'Rejections and lockouts'],
        ['/facturation', 'Import de facturation', 'Billing import'],
        [`/facturation/${ids.importId}`, 'Lignes rejetées', 'Rejected lines'],
        [
          `/compteurs/${ids.guideLink}/action/resync`,
          'Synchroniser maintenant le compteur ESPM',
          'Sync ESPM meter',
        ],
        [
          `/compteurs/${ids.conflictLink}/action/replace`,
          'Remplacer les données du client',
          'Replace the customer’s data',
        ],
        [
          `/contacts/${ids.lockedAccount}/deverrouiller`,
          'Déverrouiller le compte ESPM',
          'Unlock ESPM account',
        ],
        [
          '/services/espm-consumption/relancer',
          'Lancer maintenant : Envoi des consommations',
          'Run now: Consumption sending',
        ],
      ] as const;
      const b = await marie();
      for (const lang of ['fr', 'en'] as const) {
        await b.setLang(lang);
        for (const [url, fr, en] of pages) {
          const res = await b.get(url);
          assert.equal(res.statusCode, 200, `${lang} ${url}`);
          assert.match(res.body, new RegExp(`<html lang="${lang}">`));
          assert.ok(res.body.includes(lang === 'fr' ? fr : en), `${lang} ${url}: ${lang === 'fr' ? fr : en}`);
          assert.doesNotMatch(
            res.body,
            /\b(nav|col|status|meter|meters|home|common|action|confirm|flash|outcome|rule|reason|entry|decision|billing|logStatus)\.[a-z][\w-]*/,
            `${lang} ${url} shows a message key`,
          );
          assert.equal(res.headers['cache-control'], 'no-store');
        }
      }
    });

    it('shows a paused meter’s reason, since when, and what to tell the customer, and offers a sync', async () => {
      const b = await marie();
      await b.setLang('fr');
      const fr = await b.get(`/compteurs/${ids.pausedLink}`);
      for (const text of [
        'Envoi en pause : accès en lecture seule',
        'Le client nous a laissé un accès en lecture seule au compteur dans ESPM',
        'Quoi dire au client',
        'redonnez-nous l’« Accès complet » à ce compteur',
        `/compteurs/${ids.pausedLink}/action/resync`,
      ])
        assert.ok(fr.body.replace(/[\u00a0\u202f]/g, ' ').includes(text), text);
      await b.setLang('en');
      const en = await b.get(`/compteurs/${ids.pausedLink}`);
      for (const text of ['Sending paused: read-only access', 'What to tell the customer', 'Full Access'])
        assert.ok(en.body.includes(text), text);
    });

    it('shows the guide’s meter as in the guide: account, contract, meter, invoice, status, last sync, 23 periods', async () => {
      const b = await marie();
      await b.setLang('fr');
      const res = await b.get(`/compteurs/${ids.guideLink}`);
      for (const text of [
        '157127890',
        'Marc-Etienne Charron',
        'mecharron@code201.ca',
        '11111111111',
        '2222222',
        '333333333333',
        'Accepté',
        '2023-04-08',
        '24 mois',
        'Votre demande de partage a été acceptée.',
        '<svg class="chart"',
      ]) {
        assert.ok(res.body.includes(text), text);
      }
      assert.equal((res.body.match(/<td class="mono">9100\d{4}<\/td>/g) ?? []).length, 23);
      // The other shares of the same ESPM meter and of the same billed meter.
      assert.ok(res.body.includes(`href="/compteurs/${ids.revokedLink}"`));
      assert.ok(res.body.includes(`href="/compteurs/${ids.rejectedLink}"`));
      // Dates in Montréal time: 19:24Z is 15:24 EDT, as in the guide's log.
      assert.ok(res.body.includes('2023-04-19 15:24'));
    });

    /** The table row of a link (by its page's link) in a page. */
    const rowOf = (body: string, linkId: number): string => {
      const at = body.indexOf(`href="/compteurs/${linkId}"`);
      assert.ok(at > 0, `no row for link ${linkId}`);
      return body.slice(body.lastIndexOf('<tr', at), body.indexOf('</tr>', at));
    };
    /** The typed answers of a row: [field label, value, at fault]. */
    const typedIn = (row: string): Array<[string, string, boolean]> =>
      [
        ...row.matchAll(
          /<div class="(failing)?">\s*<dt>([^<]*)<\/dt>\s*<dd>\s*<span class="(?:mono|dim)">([^<]*)<\/span>/g,
        ),
      ].map((m) => [m[2]!, m[3]!, m[1] === 'failing']);

    it('shows in every rejection what the customer typed, field by field, with the field at fault marked', async () => {
      const b = await marie();
      await b.setLang('fr');
      const page = (await b.get('/refus')).body;
      assert.ok(!page.includes('— · —'));
      assert.deepEqual(typedIn(rowOf(page, ids.malformedLink)), [
        ['Numéro du compte', '123 456 789', true],
        ['Numéro de facture', GUIDE.invoiceNumber, false],
        ['Numéro du compteur', GUIDE.meterNumber, false],
        ['Chargement initial', '12', false],
      ]);
      assert.match(rowOf(page, ids.malformedLink), /✗ champ en cause/);
      // Locked out: every answer shown, none at fault (the account is, until an operator unlocks it).
      assert.deepEqual(
        typedIn(rowOf(page, ids.lockedOutLink)).map(([, value, fault]) => [value, fault]),
        [
          [GUIDE.accountNumber, false],
          [GUIDE.invoiceNumber, false],
          [GUIDE.meterNumber, false],
          ['24', false],
        ],
      );
      assert.deepEqual(
        typedIn(rowOf(page, ids.rejectedLink)).filter(([, , fault]) => fault),
        [['Numéro de facture', '300000000011', true]],
      );
      // The same on the meter's page, in English.
      await b.setLang('en');
      const meter = (await b.get(`/compteurs/${ids.malformedLink}`)).body;
      assert.deepEqual(
        typedIn(meter).filter(([, , fault]) => fault),
        [['Account number', '123 456 789', true]],
      );
      assert.match(meter, /✗ field at fault/);
    });

    it('sets apart a rejection that a later accepted share of the same ESPM meter superseded', async () => {
      const b = await marie();
      await b.setLang('fr');
      const rejected = await store.db
        .selectFrom('meter_link')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'rejected')
        .executeTakeFirstOrThrow();
      const home = (await b.get('/')).body;
      const count = (status: string) =>
        Number(
          new RegExp(`href="/compteurs\\?status=${status}"[^]*?<span class="n">(\\d+)</span>`).exec(
            home,
          )?.[1],
        );
      // Every rejection but the superseded one counts as a rejection; the superseded one apart.
      assert.equal(count('rejected'), Number(rejected.n) - 1);
      assert.equal(count('superseded'), 1);
      assert.match(rowOf((await b.get('/refus')).body, ids.supersededLink), /Refus remplacé/);
      const superseded = (await b.get('/compteurs?status=superseded')).body;
      assert.ok(superseded.includes(`href="/compteurs/${ids.supersededLink}"`));
      assert.ok(!superseded.includes(`href="/compteurs/${ids.rejectedLink}"`));
      const stillRejected = (await b.get('/compteurs?status=rejected')).body;
      assert.ok(!stillRejected.includes(`href="/compteurs/${ids.supersededLink}"`));
      assert.ok(stillRejected.includes(`href="/compteurs/${ids.malformedLink}"`));
      const meter = (await b.get(`/compteurs/${ids.supersededLink}`)).body;
      assert.match(
        meter,
        new RegExp(
          `<a href="/compteurs/${ids.freshLink}"\\s*>Remplacé par le partage accepté ${ids.freshLink}</a`,
        ),
      );
    });

    it('looks up a billing account for the helpdesk: what to type, meters, invoices, periods, and every share naming it', async () => {
      const b = await marie();
      for (const lang of ['fr', 'en'] as const) {
        await b.setLang(lang);
        // Read out over the phone, with spaces; posted, so the number stays out of the URL.
        const res = await b.post('/comptes', { _csrf: await b.csrf(), compte: '111 1111 1111' });
        assert.equal(res.statusCode, 200);
        const page = res.body;
        const card = page.slice(page.indexOf('id="h-to-type"'), page.indexOf('id="h-invoices"'));
        for (const text of [GUIDE.accountNumber, GUIDE.invoiceNumber, GUIDE.meterNumber])
          assert.ok(card.includes(text), text);
        const invoices = page.slice(page.indexOf('id="h-invoices"'), page.indexOf('id="h-meters"'));
        assert.match(invoices, new RegExp(`${GUIDE.invoiceNumber}</span> · ${GUIDE.invoiceDate}`));
        assert.match(invoices, /300000000022<\/span> · 2023-03-1\d/);
        const periods = page.slice(page.indexOf('id="h-periods"'), page.indexOf('id="h-shares"'));
        assert.equal((periods.match(/<tr>/g) ?? []).length - 1, 12);
        assert.ok(periods.includes('2023-04-08'));
        // Every share naming the account (or its meter), with what was typed and the decision.
        for (const id of [
          ids.guideLink,
          ids.revokedLink,
          ids.rejectedLink,
          ids.lockedOutLink,
          ids.malformedLink,
        ]) {
          assert.ok(typedIn(rowOf(page, id)).length === 4, `link ${id}`);
        }
        assert.match(
          rowOf(page, ids.rejectedLink),
          lang === 'fr' ? /Facture autre que la dernière/ : /Not the latest invoice/,
        );
      }
      await b.setLang('fr');
      const unknown = (await b.post('/comptes', { _csrf: await b.csrf(), compte: '98765432109' })).body;
      assert.match(plainText(unknown), /Aucun compte de facturation ne correspond à « 98765432109 »\./);
    });

    it('finds the account from its meter number, an invoice number, an ESPM username or a share, and says how', async () => {
      const b = await marie();
      await b.setLang('en');
      const csrf = await b.csrf();
      const cases: Array<[string, RegExp]> = [
        [GUIDE.meterNumber, /found by the meter number/],
        [GUIDE.invoiceNumber, /found by the invoice number/],
      ];
      const [share] = await store.db
        .selectFrom('meter_link')
        .select('espm_username')
        .where('id', '=', ids.guideLink)
        .execute();
      if (share?.espm_username) cases.push([share.espm_username.toUpperCase(), /found by the ESPM username/]);
      for (const [typed, how] of cases) {
        const page = (await b.post('/comptes', { _csrf: csrf, compte: typed })).body;
        assert.match(page, how, typed);
        assert.ok(page.includes(`Account ${GUIDE.accountNumber}`), typed);
      }
      const fromShare = (await b.get(`/comptes?partage=${ids.rejectedLink}`)).body;
      assert.ok(fromShare.includes('What the customer types in ESPM'));
      // Every rejection links to its account.
      const rejections = (await b.get('/refus')).body;
      assert.ok(rejections.includes(`href="/comptes?partage=${ids.rejectedLink}"`));
    });

    it('keeps an account’s ownership proof from a viewer, who checks what the caller reads out instead; every lookup is journaled', async () => {
      const before = await store.db
        .selectFrom('gateway_log')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow();
      const b = new ConsoleClient(app);
      await b.signIn('victor');
      await b.setLang('en');
      // A GET naming the account looks nothing up: account numbers stay out of URLs and request logs.
      const byUrl = (await b.get(`/comptes?compte=${GUIDE.accountNumber}`)).body;
      assert.ok(!byUrl.includes('What the customer types in ESPM'));
      const csrf = await b.csrf();
      const page = (await b.post('/comptes', { _csrf: csrf, compte: GUIDE.accountNumber })).body;
      assert.equal((page.match(new RegExp(GUIDE.invoiceNumber, 'g')) ?? []).length, 0, 'no invoice number');
      assert.ok(!page.includes(`>${GUIDE.meterNumber}<`), 'no meter number');
      assert.ok(!page.includes('What the customer types in ESPM'));
      assert.match(page, /shown to operators only/);
      assert.ok(page.includes('•••333'), 'the invoice’s last digits');
      const checked = (
        await b.post('/comptes', {
          _csrf: csrf,
          compte: GUIDE.accountNumber,
          facture: GUIDE.invoiceNumber,
          compteur: '9999999',
        })
      ).body;
      assert.match(checked, /Invoice: matches/);
      assert.match(checked, /Meter: does not match/);
      // Nor do the meter page and the rejections list show a viewer an invoice number whole.
      const meter = (await b.get(`/compteurs/${ids.guideLink}`)).body;
      assert.ok(!meter.includes(GUIDE.invoiceNumber));
      const rejections = (await b.get('/refus')).body;
      assert.ok(!rejections.includes(GUIDE.invoiceNumber));
      const lines = await store.db
        .selectFrom('gateway_log')
        .select(['subject', 'operator', 'event'])
        .where('id', '>', Number(before.id ?? 0))
        .where('outcome', '=', 'account-looked-up')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        lines.map((l) => [l.subject, l.operator, l.event]),
        [
          [GUIDE.accountNumber, 'victor', { kind: 'account-looked-up', proofShown: false }],
          [
            GUIDE.accountNumber,
            'victor',
            { kind: 'account-looked-up', proofShown: false, invoiceMatched: true, meterMatched: false },
          ],
        ],
      );
      const journal = (await b.get('/journal')).body;
      assert.match(journal, /invoice matches, meter does not match/);
    });

    it('says how fresh the billing data is on the home page, with the last failure and its cause', async () => {
      const b = await marie();
      await b.setLang('fr');
      const card = (await b.get('/')).body;
      const billing = card.slice(card.indexOf('id="h-billing"'), card.indexOf('id="h-attention"'));
      assert.match(billing, /Dernier import réussi/);
      assert.ok(billing.includes(`href="/facturation/${ids.importId}"`));
      assert.match(billing, /il y a 30 h/);
      assert.match(billing, /Dernier import en échec/);
      assert.ok(billing.includes(`href="/facturation/${ids.failedImportId}"`));
      assert.match(billing, /il manque à l’en-tête la ou les colonnes requises volume_m3/);
      await b.setLang('en');
      const en = (await b.get('/')).body;
      assert.match(
        en,
        /Last successful import[^]*30 h ago[^]*Last failed import[^]*the header lacks the required column volume_m3/,
      );
    });

    it('words a link’s notice on the home page in the operator’s language, from its stored value', async () => {
      const b = await marie();
      await b.setLang('fr');
      assert.match(
        (await b.get('/')).body,
        /2 périodes antérieures à la date de première facture du compteur dans ESPM n’ont pas été envoyées/,
      );
      await b.setLang('en');
      assert.match(
        (await b.get('/')).body,
        /2 periods before the meter’s first bill date in ESPM were not sent/,
      );
    });

    it('shows ESPM’s values, the log’s details and moments in French, with their zone', async () => {
      const b = await marie();
      await b.setLang('fr');
      const meter = (await b.get(`/compteurs/${ids.guideLink}`)).body;
      for (const text of [
        'Gaz naturel',
        'm³ (mètres cubes)',
        'Lecture et écriture',
        '2023-04-19 15:24 HAE',
      ]) {
        assert.ok(meter.includes(text), text);
      }
      for (const english of ['Natural Gas', 'cm (Cubic meters)', 'Read Write'])
        assert.ok(!meter.includes(english), english);
      const log = (await b.get('/journal')).body;
      assert.ok(log.includes('23 entrées créées, 0 modifiée, 0 supprimée, 0 déjà dans ESPM'));
      assert.doesNotMatch(log, /created=|links-revoked=|\{"importId"/);
      await b.setLang('en');
      const en = (await b.get(`/compteurs/${ids.guideLink}`)).body;
      for (const text of ['Natural Gas', 'cm (Cubic meters)', 'Read Write', '2023-04-19 15:24 EDT'])
        assert.ok(en.includes(text), text);
    });

    it('gathers a conflict’s actions in the Actions card and marks its held-back months on the chart', async () => {
      const b = await marie();
      await b.setLang('fr');
      const page = (await b.get(`/compteurs/${ids.conflictLink}`)).body;
      const actions = page.slice(page.indexOf('id="h-actions"'), page.indexOf('id="h-chart"'));
      for (const action of ['resync', 'revoke', 'keep-customer', 'replace']) {
        assert.ok(actions.includes(`/compteurs/${ids.conflictLink}/action/${action}`), action);
      }
      const conflict = page.slice(page.indexOf('id="h-conflict"'));
      assert.ok(!conflict.slice(0, conflict.indexOf('</section>')).includes('/action/'));
      // Six periods sent, two held back: eight bars, the two held back marked.
      assert.equal((page.match(/class="bar[^"]*"/g) ?? []).length, 8);
      assert.equal((page.match(/class="bar held"/g) ?? []).length, 2);
      assert.match(page, /Retenu \(données du client\)/);
      assert.match(page, /Dernière période envoyée \(fin\)[^]*Dernier passage de l’envoi/);
    });

    it('shows the log like the guide: “157127890 (Accepté)” and “Terminé”, in English too', async () => {
      const b = await marie();
      await b.setLang('fr');
      const fr = await b.get('/journal?service=MeterConnectionManager');
      assert.match(fr.body, /<span class="mono">157127890<\/span> \(Accepté\)/);
      assert.match(fr.body, /Terminé/);
      assert.match(fr.body, /Refusé : Facture autre que la dernière/);
      assert.ok(fr.body.includes('some-new-outcome'), 'an unknown outcome is shown as it is');
      await b.setLang('en');
      const en = await b.get('/journal?service=MeterConnectionManager');
      assert.match(en.body, /<span class="mono">157127890<\/span> \(Accepted\)/);
      assert.match(en.body, /Done/);
      const errors = await b.get('/journal?status=error');
      assert.match(errors.body, /ESPM error: service unavailable/);
      assert.match(errors.body, /<details>/);
      assert.doesNotMatch(errors.body, /Done<\/span>/);
    });

    it('escapes every value: a script tag in an organization, a log line and an import rejection is text', async () => {
      const b = await marie();
      for (const url of [
        '/contacts?q=xss',
        '/journal?status=error',
        `/facturation/${ids.importId}`,
        '/facturation',
      ]) {
        const res = await b.get(url);
        assert.ok(res.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), url);
        assert.ok(!res.body.includes(XSS), url);
        assert.doesNotMatch(res.body, /<script/i, url);
      }
      const search = await b.get(`/contacts?q=${encodeURIComponent('"><script>alert(2)</script>')}`);
      assert.doesNotMatch(search.body, /<script/i);
      assert.ok(search.body.includes('value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"'));
    });

    it('pages the meter list 50 at a time by id, with the total, forward and back', async () => {
      const b = await marie();
      await b.setLang('en');
      const first = await b.get('/compteurs');
      const firstIds = rowsOf(first.body, '/compteurs/');
      assert.equal(firstIds.length, 50);
      const total = await store.db
        .selectFrom('meter_link')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.ok(first.body.includes(`1–50 of ${Number(total.n)}`));
      const next = /href="(\/compteurs\?after=\d+&amp;o=50)" rel="next"|rel="next" href="([^"]+)"/.exec(
        first.body,
      );
      const nextUrl = (next?.[1] ?? next?.[2])!.replace(/&amp;/g, '&');
      const second = await b.get(nextUrl);
      const secondIds = rowsOf(second.body, '/compteurs/');
      assert.equal(secondIds.length, 50);
      assert.ok(Number(secondIds[0]) < Number(firstIds[49]!));
      assert.ok(second.body.includes(`51–100 of ${Number(total.n)}`));
      const prev = /rel="prev" href="([^"]+)"/.exec(second.body)!;
      const back = await b.get(prev[1]!.replace(/&amp;/g, '&'));
      assert.deepEqual(rowsOf(back.body, '/compteurs/'), firstIds);
    });

    it('filters the meter list by status and finds a link by any of its numbers, exact or by prefix', async () => {
      const b = await marie();
      const conflicts = await b.get('/compteurs?status=conflict');
      assert.deepEqual(
        rowsOf(conflicts.body, '/compteurs/').sort(),
        [String(ids.conflictLink), String(ids.conflict2Link)].sort(),
      );
      for (const q of [
        '2222222',
        '222 2222',
        '157127890',
        '15712789',
        '11111111111',
        '333333333333',
        'abc1234567',
      ]) {
        const res = await b.get(`/compteurs?q=${encodeURIComponent(q)}`);
        const found = rowsOf(res.body, '/compteurs/');
        assert.ok(found.length > 0, q);
        if (q !== 'abc1234567') assert.ok(found.includes(String(ids.guideLink)), q);
      }
      const rejected = await b.get('/compteurs?q=2222222&status=rejected');
      assert.deepEqual(
        rowsOf(rejected.body, '/compteurs/'),
        [ids.lockedOutLink, ids.malformedLink, ids.rejectedLink].map(String),
      );
      const none = await b.get('/compteurs?q=%25');
      assert.deepEqual(rowsOf(none.body, '/compteurs/'), [], 'a % is taken literally');
      const account = await b.get(`/compteurs?account=${ids.xssAccount}`);
      assert.deepEqual(rowsOf(account.body, '/compteurs/'), [
        String(ids.pausedLink),
        String(ids.pendingLink),
      ]);
      const paused = await b.get('/compteurs?status=paused');
      assert.deepEqual(rowsOf(paused.body, '/compteurs/'), [String(ids.pausedLink)]);
    });

    it('searches and pages the contacts, with the meter count and the locked-out badge', async () => {
      const b = await marie();
      await b.setLang('fr');
      const first = await b.get('/contacts');
      assert.match(first.body, /1–50 sur 66/);
      // Paged by keyset (the last customer shown), never by offset: a deep page costs what the first does.
      const nextHref = /rel="next" href="([^"]+)"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&');
      assert.match(nextHref ?? '', /^\/contacts\?after=[^&]+&o=50$/);
      const second = await b.get(nextHref!);
      assert.match(second.body, /51–66 sur 66/);
      assert.doesNotMatch(second.body, /rel="next"/);
      const accountsOf = (body: string) =>
        [...body.matchAll(/<span class="sub mono">([^<]+)<\/span>/g)].map((m) => m[1]);
      const all = [...accountsOf(first.body), ...accountsOf(second.body)];
      assert.equal(new Set(all).size, 66);
      const prevHref = /rel="prev" href="([^"]+)"/.exec(second.body)?.[1]?.replaceAll('&amp;', '&');
      assert.deepEqual(accountsOf((await b.get(prevHref!)).body), accountsOf(first.body));
      const locked = await b.get('/contacts?q=verrou');
      assert.match(locked.body, /Verrouillé/);
      const guide = await b.get('/contacts?q=charron');
      assert.match(guide.body, /mecharron@code201\.ca/);
      assert.match(guide.body, /<td class="num">1<\/td>/);
      assert.match(guide.body, /Connecté/);
    });

    it('rejects a form posted without the session’s CSRF token', async () => {
      const b = await marie();
      for (const form of [{ confirm: 'yes' }, { confirm: 'yes', _csrf: 'not-the-token' }] as Array<
        Record<string, string>
      >) {
        const res = await b.post(`/contacts/${ids.lockedAccount}/deverrouiller`, form);
        assert.equal(res.statusCode, 403);
        assert.match(res.body, /Formulaire expiré|Form expired/);
      }
      const upload = await b.upload(
        '/facturation',
        { _csrf: 'nope', confirm: 'yes' },
        { name: 'x.csv', content: 'a' },
      );
      assert.equal(upload.statusCode, 403);
      const log = await store.db
        .selectFrom('gateway_log')
        .select('id')
        .where('outcome', '=', 'account-unlocked')
        .where('subject', '=', ids.lockedAccount)
        .execute();
      assert.equal(log.length, 0);
    });

    it('gives a viewer every page but answers 403 with a translated page to any action', async () => {
      const b = new ConsoleClient(app);
      await b.signIn('victor');
      await b.setLang('en');
      assert.equal((await b.get('/')).statusCode, 200);
      const home = await b.get('/');
      assert.doesNotMatch(home.body, /relancer/);
      const meter = await b.get(`/compteurs/${ids.conflictLink}`);
      assert.doesNotMatch(meter.body, /\/action\//);
      const confirm = await b.get(`/compteurs/${ids.guideLink}/action/resync`);
      assert.equal(confirm.statusCode, 403);
      assert.match(confirm.body, /Access denied/);
      const csrf = await b.csrf();
      const post = await b.post(`/contacts/${ids.lockedAccount}/deverrouiller`, {
        _csrf: csrf,
        confirm: 'yes',
      });
      assert.equal(post.statusCode, 403);
      await b.setLang('fr');
      const fr = await b.post('/services/espm-requests/relancer', { _csrf: csrf, confirm: 'yes' });
      assert.equal(fr.statusCode, 403);
      assert.match(fr.body, /Accès refusé/);
      assert.equal(triggered.length, 0);
    });

    it('unlocks an account after the confirmation, logs it with the operator’s name and says so', async () => {
      const b = await marie();
      await b.setLang('fr');
      const csrf = await b.csrf();
      const unconfirmed = await b.post(`/contacts/${ids.lockedAccount}/deverrouiller`, { _csrf: csrf });
      assert.equal(unconfirmed.headers.location, `/contacts/${ids.lockedAccount}/deverrouiller`);
      assert.match((await b.get(unconfirmed.headers.location!)).body, /Cochez la case de confirmation/);
      const res = await b.post(`/contacts/${ids.lockedAccount}/deverrouiller`, {
        _csrf: csrf,
        confirm: 'yes',
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/refus');
      const page = await b.get('/refus');
      assert.match(page.body, new RegExp(`Compte ESPM ${ids.lockedAccount} déverrouillé`));
      assert.match(page.body, /Aucun compte verrouillé/);
      assert.doesNotMatch((await b.get('/refus')).body, /déverrouillé\./, 'the message is shown once');
      const line = await store.db
        .selectFrom('gateway_log')
        .selectAll()
        .where('outcome', '=', 'account-unlocked')
        .where('subject', '=', ids.lockedAccount)
        .executeTakeFirstOrThrow();
      assert.equal(line.operator, 'marie');
      const journal = await b.get('/journal?service=Operator');
      assert.match(journal.body, new RegExp(`${ids.lockedAccount}</span> \\(Compte déverrouillé\\)`));
    });

    it('says in words why an action was refused', async () => {
      const b = await marie();
      await b.setLang('en');
      const res = await b.post(`/compteurs/${ids.rejectedLink}/action/resync`, {
        _csrf: await b.csrf(),
        confirm: 'yes',
      });
      assert.equal(res.headers.location, `/compteurs/${ids.rejectedLink}`);
      const page = await b.get(res.headers.location!);
      assert.match(page.body, /Action refused: only an accepted share or one in conflict can be synced\./);
      const confirm = await b.get(`/compteurs/${ids.guideLink}/action/replace`);
      assert.equal(confirm.statusCode, 303);
      assert.match((await b.get(confirm.headers.location!)).body, /this meter is not in conflict/);
    });

    it('keeps the customer’s data in a conflict (no ESPM call needed) and records the decision', async () => {
      const b = await marie();
      const res = await b.post(`/compteurs/${ids.conflict2Link}/action/keep-customer`, {
        _csrf: await b.csrf(),
        confirm: 'yes',
      });
      assert.equal(res.statusCode, 303);
      const link = await store.db
        .selectFrom('meter_link')
        .select(['status', 'conflict'])
        .where('id', '=', ids.conflict2Link)
        .executeTakeFirstOrThrow();
      assert.equal(link.status, 'accepted');
      const page = await b.get(`/compteurs/${ids.conflict2Link}`);
      assert.match(page.body, /Retenu \(données du client\)|Withheld \(customer’s data\)/);
      assert.match(page.body, /<td>marie<\/td>/);
    });

    it('renews and revokes a building’s links only for a confirmed operator’s form, and says which meter ESPM could not unshare', async () => {
      const by = { operator: 'marie' };
      await createBuilding(store.db, { buildingId: 'B-R1', name: 'Plex des routes' }, by);
      const { id: codeId } = await issueCode(store.db, 'B-R1', by, new Date(), {
        name: 'Gestion Routes',
        contact: 'routes@example.com',
      });
      const accepted = new Date(Date.now() - 400 * 86_400_000);
      const link = await recordShareDecision(
        store.db,
        {
          espm_meter_id: '7700001',
          espm_property_id: '7700000',
          espm_account_id: '77000',
          espm_username: 'routes',
          access_level: 'Read Write',
          unit_of_measure: 'm³ (cubic meters)',
          custom_fields: '{}',
          received_at: accepted,
          initial_load: 12,
          history_from: '2020-01-01',
          building_id: 'B-R1',
          aggregation_code_id: codeId,
        },
        { note: 'ok', at: accepted },
      );
      await markAnswered(store.db, link, accepted);

      const victor = new ConsoleClient(app);
      await victor.signIn('victor');
      assert.equal((await victor.get('/batiments/B-R1/renouveler')).statusCode, 403);
      assert.equal((await victor.get('/batiments/B-R1/revoquer')).statusCode, 403);
      const viewerCsrf = await victor.csrf();
      for (const action of ['renouveler', 'revoquer']) {
        const res = await victor.post(`/batiments/B-R1/${action}`, { _csrf: viewerCsrf, confirm: 'yes' });
        assert.equal(res.statusCode, 403);
      }
      const b = await marie();
      await b.setLang('fr');
      assert.equal((await b.post('/batiments/B-R1/revoquer', { confirm: 'yes' })).statusCode, 403);
      const csrf = await b.csrf();
      const unconfirmed = await b.post('/batiments/B-R1/renouveler', { _csrf: csrf });
      assert.equal(unconfirmed.headers.location, '/batiments/B-R1/renouveler');
      const page = await b.get('/batiments/B-R1');
      assert.match(page.body, /Gestion Routes<br \/><span class="mono">routes@example.com<\/span>/);
      assert.match(page.body, /href="\/batiments\/B-R1\/renouveler"/);

      const renewed = await b.post('/batiments/B-R1/renouveler', { _csrf: csrf, confirm: 'yes' });
      assert.equal(renewed.headers.location, '/batiments/B-R1');
      assert.match((await b.get('/batiments/B-R1')).body, /1 lien\(s\) renouvelé\(s\)\./);
      const after = await store.db
        .selectFrom('meter_link')
        .select(['renewed_at', 'status'])
        .where('id', '=', link.id)
        .executeTakeFirstOrThrow();
      assert.ok(after.renewed_at && after.renewed_at.getTime() > accepted.getTime());

      // ESPM is unreachable here: the link ends all the same, and the operator is told to try again.
      const revoked = await b.post('/batiments/B-R1/revoquer', { _csrf: csrf, confirm: 'yes' });
      assert.equal(revoked.headers.location, '/batiments/B-R1');
      assert.match(
        (await b.get('/batiments/B-R1')).body,
        /1 code\(s\) révoqué\(s\), 1 lien\(s\) arrêté\(s\)\. ESPM n’a pas pu retirer le partage de 7700001/,
      );
      const ended = await store.db
        .selectFrom('meter_link')
        .select(['status', 'reason_code'])
        .where('id', '=', link.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(ended, { status: 'revoked', reason_code: 'code-revoked' });
      const log = await store.db
        .selectFrom('gateway_log')
        .select(['outcome', 'operator'])
        .where('subject', 'in', ['B-R1', '7700001'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        log.map((l) => l.outcome),
        [
          'building-created',
          'code-issued',
          'renewed',
          'code-revoked',
          'revoked:code-revoked',
          'espm-network',
        ],
      );
    });

    it('asks the job queue to run a service now and logs the request', async () => {
      const b = await marie();
      await b.setLang('fr');
      const res = await b.post('/services/espm-consumption/relancer', {
        _csrf: await b.csrf(),
        confirm: 'yes',
      });
      assert.equal(res.headers.location, '/');
      assert.deepEqual(triggered, ['espm-consumption']);
      const home = await b.get('/');
      assert.match(home.body, /Exécution demandée : Envoi des consommations/);
      const line = await store.db
        .selectFrom('gateway_log')
        .selectAll()
        .where('outcome', '=', 'run-requested:espm-consumption')
        .executeTakeFirstOrThrow();
      assert.equal(line.operator, 'marie');
      assert.equal(
        (await b.post('/services/nope/relancer', { _csrf: await b.csrf(), confirm: 'yes' })).statusCode,
        404,
      );
    });

    it('imports a billing file sent from the browser and shows the row report with line numbers', async () => {
      const b = await marie();
      await b.setLang('fr');
      const csv = [
        'account_number,invoice_number,invoice_date,meter_number,period_start,period_end,volume_m3',
        '7777777777,666666666667,2023-04-20,FRESH00001,2023-04-01,2023-04-30,901.5',
        '7777777777,666666666667,2023-04-20,FRESH00001,2023-05-01,2023-04-30,12',
        '7777777777,666666666667,2023-04-20,FRESH00001,2023-05-01,2023-05-31,abc',
      ].join('\n');
      const csrf = await b.csrf();
      const unconfirmed = await b.upload(
        '/facturation',
        { _csrf: csrf },
        { name: 'avril.csv', content: csv },
      );
      assert.equal(unconfirmed.headers.location, '/facturation');
      const res = await b.upload(
        '/facturation',
        { _csrf: csrf, confirm: 'yes' },
        { name: 'avril.csv', content: csv },
      );
      assert.equal(res.statusCode, 303);
      assert.match(res.headers.location!, /^\/facturation\/\d+$/);
      const report = await b.get(res.headers.location!);
      assert.match(report.body, /Import terminé : 1 ligne importée, 0 inchangée, 2 rejetées\./);
      assert.match(report.body, /avril\.csv/);
      assert.match(report.body, /<td class="num">3<\/td>/);
      assert.match(report.body, /<td class="num">4<\/td>/);
      const row = await store.db
        .selectFrom('billing_import')
        .selectAll()
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(row.source, 'console');
      assert.equal(row.operator, 'marie');
      assert.equal(row.file_name, 'avril.csv');
      const list = await b.get('/facturation');
      assert.match(list.body, /2 lignes rejetées/);
      const home = await b.get('/');
      assert.match(home.body, /2023-04-30/);

      // An unusable file: the flash says why, in the operator's language.
      const semicolons = await b.upload(
        '/facturation',
        { _csrf: csrf, confirm: 'yes' },
        { name: 'mai.csv', content: 'account_number;invoice_number;volume_m3\n1;2;3\n' },
      );
      const failed = await b.get(semicolons.headers.location!);
      assert.match(
        failed.body,
        /Le fichier n’a pas été importé \(rien n’a été enregistré\) : il manque à l’en-tête/,
      );
      assert.ok(!failed.body.includes('{ref}'));
    });

    it('switches the language from any page and only redirects to local paths', async () => {
      const b = await marie();
      const res = await b.get('/langue/en?next=%2Fjournal%3Fstatus%3Derror');
      assert.equal(res.headers.location, '/journal?status=error');
      assert.match(String(res.headers['set-cookie']), /gw_lang=en/);
      assert.match((await b.get('/journal')).body, /Gateway log/);
      for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
        const r = await b.get(`/langue/fr?next=${encodeURIComponent(next)}`);
        assert.equal(r.headers.location, '/');
      }
      const page = await b.get('/compteurs?status=accepted');
      assert.ok(page.body.includes('href="/langue/en?next=%2Fcompteurs%3Fstatus%3Daccepted"'));
    });
  });

  describe('operator command', () => {
    const run = (args: string[], stdin = '') => runOperatorCommand(store.db, args, stdin);

    it('adds an operator with a generated password printed once, which signs in', async () => {
      const r = await run(['add', 'Nadia', '--role', 'operator', '--name', 'Nadia Roy']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /operator nadia \(Nadia Roy\) created, role operator/);
      const password = /password: (\S+)/.exec(r.out)![1]!;
      const b = new ConsoleClient(app, '10.0.1.1');
      assert.equal((await b.signIn('nadia', password)).statusCode, 303);
      assert.match((await b.get('/')).body, /Nadia Roy/);
      // Updating the role keeps the password unless asked, and ends the open sessions.
      const u = await run(['add', 'nadia', '--role', 'viewer']);
      assert.equal(u.code, 0);
      assert.doesNotMatch(u.out, /password:/);
      assert.equal((await b.get('/')).statusCode, 303);
      assert.equal((await new ConsoleClient(app, '10.0.1.2').signIn('nadia', password)).statusCode, 303);
    });

    it('reads a password from standard input, refuses short ones, lists and disables', async () => {
      assert.equal((await run(['add', 'omar', '--role', 'operator', '--password-stdin'], 'short\n')).code, 1);
      const ok = await run(
        ['add', 'omar', '--role', 'operator', '--password-stdin'],
        'a long enough secret\n',
      );
      assert.equal(ok.code, 0, ok.err);
      assert.equal(
        (await new ConsoleClient(app, '10.0.1.3').signIn('omar', 'a long enough secret')).statusCode,
        303,
      );
      assert.match((await run(['list'])).out, /omar\toperator\tactive/);
      assert.equal((await run(['disable', 'omar'])).code, 0);
      assert.equal(
        (await new ConsoleClient(app, '10.0.1.4').signIn('omar', 'a long enough secret')).statusCode,
        401,
      );
      assert.equal((await run(['disable', 'nobody'])).code, 1);
      assert.equal((await run(['add', 'zed', '--role', 'boss'])).code, 2);
      assert.equal((await run(['add'])).code, 2);
      assert.equal((await run(['add', 'bad name!', '--role', 'viewer'])).code, 1);
    });
  });
});
