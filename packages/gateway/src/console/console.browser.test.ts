// The console in a real browser (headless Chromium through playwright-core) against the gateway's HTTP
// server and the ESPM simulator in-process: sign in, every page in French and English (screenshots in
// artifacts/screenshots/), every action carried out for real, and no script run from the data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EspmClient } from '@gaz-espm/espm';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { SimulatedCustomer } from '@gaz-espm/espm-simulator';
import { runCycle } from '../exchange/cycle.ts';
import { OPERATOR_UNSHARE_NOTE, noteText } from '../exchange/notes.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import { GUIDE } from '../../test-support/guide-example.ts';
import type { Store } from '../store/database.ts';
import { browserSkip } from '../../test-support/browser.ts';
import { ConsoleBrowser } from '../../test-support/console-browser.ts';
import type { SimulatedGateway } from '../../test-support/console-gateway.ts';
import {
  addNamedOperators,
  simulatedTestGateway,
  TEST_PASSWORD,
} from '../../test-support/console-gateway.ts';
import { isQueueName, QUEUE_SERVICES } from '../jobs/queues.ts';
import type { SeedEspm, SeedIds } from '../../test-support/test-seed.ts';
import { seedConsole, XSS } from '../../test-support/test-seed.ts';

/** A customer of the simulator with a property and meters shared with the provider and accepted. */
async function sharedCustomer(
  sim: Simulator,
  espm: EspmClient,
  profile: { username: string; firstName: string; lastName: string; email: string; organization: string },
  property: string,
  meters: Array<{ name: string; id?: number }>,
): Promise<{ customer: SimulatedCustomer; propertyId: string; meterIds: string[] }> {
  const customer = await SimulatedCustomer.create(sim.origin, profile);
  const propertyId = await customer.createProperty(property);
  const meterIds: string[] = [];
  for (const m of meters) {
    // The guide's meter keeps the guide's ESPM id.
    if (m.id) sim.store.data.counters.meter = m.id - 1;
    meterIds.push(await customer.createMeter(propertyId, { name: m.name, firstBillDate: '2020-01-01' }));
  }
  await customer.connect();
  await espm.answerConnection(customer.accountId, 'Accept', 'Connexion acceptée.');
  await customer.shareProperty(propertyId);
  await espm.answerPropertyShare(propertyId, 'Accept', 'Propriété acceptée.');
  for (const meterId of meterIds) {
    await customer.shareMeter(meterId, {});
    await espm.answerMeterShare(meterId, 'Accept', 'Partage accepté.');
  }
  return { customer, propertyId, meterIds };
}

describe('console in a browser', { skip: browserSkip() }, () => {
  const ui = new ConsoleBrowser('console');
  const { problems, flash } = ui;
  let sim: Simulator;
  let store: Store;
  let espm: EspmClient;
  let ids: SeedIds;
  let seedEspm: SeedEspm;
  let conflictCustomer: SimulatedCustomer;
  let freshCustomer: SimulatedCustomer;
  let simulated: SimulatedGateway | undefined;
  const dialogs: string[] = [];

  before(async () => {
    simulated = await simulatedTestGateway({
      maxRps: 500,
      maxConcurrency: 4,
      timeoutMs: 3000,
      retryBaseMs: 5,
      maxRetries: 2,
    });
    ({ sim } = simulated);
    ({ store, espm } = simulated.gateway);
    const { ctx } = simulated.gateway;

    const guide = await sharedCustomer(
      sim,
      espm,
      {
        username: 'code201',
        firstName: 'Marc-Etienne',
        lastName: 'Charron',
        email: 'mecharron@code201.ca',
        organization: 'Code',
      },
      'Bureau',
      [{ name: 'Gaz naturel1', id: Number(GUIDE.espmMeterId) }],
    );
    const nord = await sharedCustomer(
      sim,
      espm,
      {
        username: 'immeubles-nord',
        firstName: 'Julie',
        lastName: 'Bouchard',
        email: 'jbouchard@immeubles-nord.example',
        organization: 'Immeubles Nord',
      },
      'Complexe Nord',
      [{ name: 'Gaz chaufferie' }, { name: 'Gaz entrepôt' }],
    );
    conflictCustomer = nord.customer;
    // The customer's own bills over two of our periods (2023-01 and 2023-02), on both meters.
    const entries = async (meterId: string, usages: [string, string]) => {
      const bills = [
        { startDate: '2023-01-01', endDate: '2023-01-31', usage: usages[0] },
        { startDate: '2023-02-01', endDate: '2023-02-28', usage: usages[1] },
      ];
      const out = [];
      for (const bill of bills)
        out.push({ ...bill, id: (await nord.customer.enterBill(meterId, bill)).ids[0]! });
      return out;
    };
    const est = await sharedCustomer(
      sim,
      espm,
      {
        username: 'tours-est',
        firstName: 'Samuel',
        lastName: 'Gagnon',
        email: 'sgagnon@toursest.example',
        organization: 'Tours de l’Est',
      },
      'Tour Est',
      [{ name: 'Gaz tour' }],
    );
    freshCustomer = est.customer;
    seedEspm = {
      guide: {
        accountId: guide.customer.accountId,
        propertyId: guide.propertyId,
        meterId: guide.meterIds[0]!,
      },
      conflict: {
        accountId: nord.customer.accountId,
        propertyId: nord.propertyId,
        meterId: nord.meterIds[0]!,
        customerEntries: await entries(nord.meterIds[0]!, ['455', '470']),
      },
      conflict2: {
        accountId: nord.customer.accountId,
        propertyId: nord.propertyId,
        meterId: nord.meterIds[1]!,
        customerEntries: await entries(nord.meterIds[1]!, ['150', '160']),
      },
      fresh: { accountId: est.customer.accountId, propertyId: est.propertyId, meterId: est.meterIds[0]! },
    };
    assert.equal(seedEspm.guide.meterId, GUIDE.espmMeterId);

    ids = await seedConsole(store.db, {
      now: new Date(),
      espm: seedEspm,
      fillerLinks: 60,
      fillerCustomers: 55,
    });
    await addNamedOperators(store.db);

    // The job queue's worker runs the queue's services; here it runs them as soon as asked.
    const scheduler: Scheduler = {
      trigger: async (queue) => {
        if (isQueueName(queue)) await runCycle(ctx, [...QUEUE_SERVICES[queue]]);
      },
      stop: async () => {},
    };
    await ui.open({ ...simulated, scheduler }, { locale: 'fr-CA' });
    ui.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    ui.page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().includes('/action/') && !r.url().includes('deverrouiller')) {
        problems.push(`${r.status()} ${r.url()}`);
      }
    });
  });

  after(async () => {
    await ui.close();
    await simulated?.close();
  });

  const go = async (path: string) => {
    const res = await ui.page.goto(`${ui.base}${path}`);
    assert.ok(res, path);
    return res;
  };
  const shot = (name: string, lang: string) => ui.shot(`${name}-${lang}`);

  it('signs in from the sign-in page', async () => {
    await go('/compteurs');
    assert.match(ui.page.url(), /\/connexion\?next=%2Fcompteurs$/);
    await shot('signin', 'fr');
    await ui.page.click('.lang a[lang=en]');
    assert.equal(await ui.page.locator('h1').textContent(), 'Sign in');
    await shot('signin', 'en');
    await ui.page.click('.lang a[lang=fr]');
    assert.match(ui.page.url(), /\/connexion\?next=%2Fcompteurs$/);
    await ui.page.fill('input[name=username]', 'marie');
    await ui.page.fill('input[name=password]', TEST_PASSWORD);
    await ui.page.click('main button[type=submit]');
    await ui.page.waitForURL(`${ui.base}/compteurs`);
    assert.equal(await ui.page.locator('h1').textContent(), 'Compteurs ESPM');
  });

  for (const lang of ['fr', 'en'] as const) {
    it(`shows every page in ${lang === 'fr' ? 'French' : 'English'}`, async () => {
      await go('/');
      await ui.page.click(`.lang a[lang=${lang}], .lang strong[lang=${lang}]`);
      assert.equal(await ui.page.getAttribute('html', 'lang'), lang);
      const pages: Array<[string, string, string, string[]]> = [
        [
          'home',
          '/',
          lang === 'fr' ? 'Accueil' : 'Home',
          [
            lang === 'fr' ? 'Clients connectés' : 'Connected customers',
            lang === 'fr' ? 'Envoi des consommations' : 'Consumption sending',
          ],
        ],
        [
          'contacts',
          '/contacts',
          lang === 'fr' ? 'Contacts ESPM' : 'ESPM Contacts',
          ['mecharron@code201.ca', XSS],
        ],
        [
          'meters',
          '/compteurs',
          lang === 'fr' ? 'Compteurs ESPM' : 'ESPM Meters',
          [GUIDE.espmMeterId, lang === 'fr' ? 'En conflit' : 'In conflict'],
        ],
        [
          'meter',
          `/compteurs/${ids.guideLink}`,
          GUIDE.espmMeterId,
          [
            '333333333333',
            '2023-03-08',
            '273',
            lang === 'fr' ? 'Dernière période envoyée (fin)' : 'Last billed period sent (end)',
            lang === 'fr' ? 'Gaz naturel' : 'Natural Gas',
            lang === 'fr' ? 'HAE' : 'EDT',
          ],
        ],
        [
          'accounts',
          `/comptes?partage=${ids.guideLink}`,
          lang === 'fr' ? 'Comptes de facturation' : 'Billing accounts',
          [
            lang === 'fr' ? 'Ce que le client doit saisir dans ESPM' : 'What the customer types in ESPM',
            GUIDE.invoiceNumber,
            '300000000022',
            lang === 'fr' ? 'champ en cause' : 'field at fault',
          ],
        ],
        [
          'meter-conflict',
          `/compteurs/${ids.conflictLink}`,
          seedEspm.conflict.meterId,
          [lang === 'fr' ? 'Entrées du client dans ESPM' : 'Customer’s entries in ESPM', '455'],
        ],
        [
          'log',
          '/journal',
          lang === 'fr' ? 'Journal de passerelle' : 'Gateway log',
          [
            `${GUIDE.espmMeterId} (${lang === 'fr' ? 'Accepté' : 'Accepted'})`,
            lang === 'fr' ? 'Terminé' : 'Done',
          ],
        ],
        [
          'rejections',
          '/refus',
          lang === 'fr' ? 'Refus et verrouillages' : 'Rejections and lockouts',
          [
            'verrou',
            lang === 'fr' ? 'Partage refusé' : 'Share rejected',
            '123 456 789',
            lang === 'fr' ? 'Refus remplacé' : 'Superseded rejection',
          ],
        ],
        [
          'billing',
          '/facturation',
          lang === 'fr' ? 'Import de facturation' : 'Billing import',
          ['facturation-2023-04.csv'],
        ],
        [
          'billing-report',
          `/facturation/${ids.importId}`,
          lang === 'fr' ? 'Résultat de l’import' : 'Import result',
          [
            lang === 'fr'
              ? 'period_end 2023-03-01 précède period_start 2023-03-31'
              : 'period_end 2023-03-01 is before period_start 2023-03-31',
            XSS,
          ],
        ],
        [
          'confirm',
          `/compteurs/${ids.freshLink}/action/revoke`,
          lang === 'fr' ? 'Révoquer le partage' : 'Revoke the share',
          [],
        ],
      ];
      for (const [name, path, title, texts] of pages) {
        const res = await go(path);
        await shot(name, lang);
        assert.equal(res.status(), 200, path);
        assert.ok((await ui.page.locator('h1').innerText()).includes(title), `${lang} ${path}: ${title}`);
        // innerText follows the style sheet, which capitalises table headings.
        const visible = (await ui.page.locator('main').innerText()).toLowerCase();
        for (const text of texts) assert.ok(visible.includes(text.toLowerCase()), `${lang} ${path}: ${text}`);
      }
      // The organization named <script>alert(1)</script> is shown as text and never runs.
      await go('/contacts?q=xss');
      assert.equal(await ui.page.locator('td', { hasText: XSS }).count(), 1);
      assert.deepEqual(dialogs, []);
    });
  }

  it('syncs a meter now: its billed periods reach ESPM', async () => {
    await go('/langue/fr');
    await go(`/compteurs/${ids.freshLink}`);
    await ui.page.click('a.button:has-text("Synchroniser maintenant")');
    await ui.page.check('input[name=confirm]');
    await ui.page.click('main button[type=submit]:has-text("Confirmer")');
    await ui.page.waitForURL(`${ui.base}/compteurs/${ids.freshLink}`);
    assert.match(await flash(), /Synchronisation terminée : 6 entrées créées/);
    const bills = await freshCustomer.bills(seedEspm.fresh.meterId);
    assert.equal(bills.length, 6);
    assert.ok(bills.every((b) => b.createdBy === sim.provider.username));
    assert.equal(await ui.page.locator('td', { hasText: /^Envoyé$/ }).count(), 6);
    await shot('meter-synced', 'fr');
  });

  it('replaces the customer’s overlapping entries in ESPM with ours', async () => {
    await go(`/compteurs/${ids.conflictLink}`);
    await ui.page.click('a.button:has-text("Remplacer par nos données")');
    await ui.page.check('input[name=confirm]');
    await ui.page.click('main button[type=submit]');
    await ui.page.waitForURL(`${ui.base}/compteurs/${ids.conflictLink}`);
    assert.match(await flash(), /Conflit résolu : les entrées du client ont été supprimées/);
    const left = await conflictCustomer.bills(seedEspm.conflict.meterId);
    for (const e of seedEspm.conflict.customerEntries) assert.ok(!left.some((b) => b.id === e.id), e.id);
    assert.equal(await ui.page.locator('h1 .badge').textContent(), 'Accepté');
  });

  it('keeps the customer’s entries of another meter in conflict, in English', async () => {
    await go('/langue/en');
    await go(`/compteurs/${ids.conflict2Link}`);
    await ui.page.click('a.button:has-text("Keep the customer’s data")');
    await ui.page.check('input[name=confirm]');
    await ui.page.click('main button[type=submit]');
    await ui.page.waitForURL(`${ui.base}/compteurs/${ids.conflict2Link}`);
    assert.match(await flash(), /Conflict resolved: the customer’s data is kept\./);
    const left = await conflictCustomer.bills(seedEspm.conflict2.meterId);
    assert.equal(left.length, 2);
    assert.equal(await ui.page.locator('td', { hasText: 'Withheld (customer’s data)' }).count(), 2);
  });

  it('revokes a share: the gateway stops and gives up the share in ESPM', async () => {
    await go(`/compteurs/${ids.freshLink}/action/revoke`);
    // The operator reads the note the customer will be given before confirming.
    assert.ok((await ui.page.locator('main').innerText()).includes(noteText(OPERATOR_UNSHARE_NOTE)));
    // Without the confirmation box the browser does not submit; the server refuses too.
    await ui.page.click('main button[type=submit]');
    assert.equal(ui.page.url(), `${ui.base}/compteurs/${ids.freshLink}/action/revoke`);
    await ui.page.check('input[name=confirm]');
    await ui.page.click('main button[type=submit]');
    await ui.page.waitForURL(`${ui.base}/compteurs/${ids.freshLink}`);
    assert.match(await flash(), /Share revoked; ESPM was told\./);
    assert.equal(sim.store.data.meterShares[seedEspm.fresh.meterId]?.status, 'removed');
    assert.equal(await ui.page.locator('h1 .badge').textContent(), 'Revoked');
    // The decision's history keeps the note the customer was sent with the unsharing.
    const history = await ui.page.locator('#h-history + * tbody tr').first().innerText();
    assert.ok(history.includes(noteText(OPERATOR_UNSHARE_NOTE)), history);
    // A refused action is said in words.
    await go(`/compteurs/${ids.freshLink}/action/resync`);
    assert.match(await flash(), /Action refused: only an accepted share or one in conflict can be synced\./);
  });

  it('unlocks a locked-out account', async () => {
    await go('/langue/fr');
    await go('/refus');
    await ui.page.click('a.button:has-text("Déverrouiller")');
    await ui.page.check('input[name=confirm]');
    await ui.page.click('main button[type=submit]');
    await ui.page.waitForURL(`${ui.base}/refus`);
    assert.match(await flash(), new RegExp(`Compte ESPM ${ids.lockedAccount} déverrouillé`));
    assert.ok(await ui.page.getByText('Aucun compte verrouillé.').isVisible());
  });

  it('runs a service now against ESPM and shows it in the log with the operator', async () => {
    await go('/');
    await ui.page.click('tr:has-text("Notifications ESPM") a.button');
    await ui.page.check('input[name=confirm]');
    await ui.page.click('main button[type=submit]');
    await ui.page.waitForURL(`${ui.base}/`);
    assert.match(await flash(), /Exécution demandée : Notifications ESPM/);
    await go('/journal?service=Operator');
    const rows = ui.page.locator('tbody tr');
    assert.ok((await rows.count()) >= 5);
    const text = await ui.page.locator('tbody').innerText();
    for (const expected of [
      'Exécution demandée : Notifications ESPM',
      'Compte déverrouillé',
      'Révoqué : Révoqué par un opérateur',
      'Conflit résolu : remplacées par nos données',
      'Synchronisation demandée',
    ]) {
      assert.ok(text.includes(expected), expected);
    }
    assert.ok(text.includes('marie'));
    await shot('log-operator', 'fr');
  });

  it('imports a billing file uploaded from the browser and shows the rejected lines', async () => {
    await go('/facturation');
    const csv = [
      'account_number,invoice_number,invoice_date,meter_number,period_start,period_end,volume_m3',
      `${GUIDE.accountNumber},333333333334,2023-05-10,${GUIDE.meterNumber},2023-04-09,2023-05-08,240`,
      `${GUIDE.accountNumber},333333333334,2023-05-10,${GUIDE.meterNumber},2023-05-09,2023-05-01,12`,
    ].join('\n');
    await ui.page.setInputFiles('input[type=file]', {
      name: 'mai-2023.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await ui.page.check('input[name=confirm]');
    await ui.page.click('main button[type=submit]:has-text("Importer le fichier")');
    await ui.page.waitForURL(/\/facturation\/\d+$/);
    assert.match(await flash(), /Import terminé : 1 ligne importée, 0 inchangée, 1 rejetée\./);
    assert.ok(await ui.page.getByText('mai-2023.csv').first().isVisible());
    assert.equal(await ui.page.locator('section:has(h2:has-text("Lignes rejetées")) tbody tr').count(), 1);
    assert.equal(
      (
        await ui.page.locator('section:has(h2:has-text("Lignes rejetées")) tbody td').first().textContent()
      )?.trim(),
      '3',
    );
    await shot('billing-imported', 'fr');
  });

  it('gives a viewer the pages but not the actions', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const viewer = await context.newPage();
    await viewer.goto(`${ui.base}/connexion`);
    await viewer.fill('input[name=username]', 'victor');
    await viewer.fill('input[name=password]', TEST_PASSWORD);
    await viewer.click('main button[type=submit]');
    await viewer.waitForURL(`${ui.base}/`);
    assert.equal(await viewer.locator('a.button:has-text("Relancer")').count(), 0);
    const res = await viewer.goto(`${ui.base}/compteurs/${ids.guideLink}/action/resync`);
    assert.equal(res?.status(), 403);
    assert.ok(await viewer.getByText('Accès refusé').first().isVisible());
    await viewer.click('button:has-text("Se déconnecter")');
    await viewer.waitForURL(`${ui.base}/connexion?out=1`);
    assert.ok(await viewer.getByText('Vous êtes déconnecté.').isVisible());
    await context.close();
  });

  it('ran no script from the data and had no browser error', () => {
    assert.deepEqual(dialogs, []);
    assert.deepEqual(problems, []);
  });
});
