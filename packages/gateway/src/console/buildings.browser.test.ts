// The Buildings pages in a real browser (headless Chromium): an operator creates a building, finds its
// service points by address, issues an aggregation code (shown once) and revokes another, in French
// and English (screenshots in artifacts/screenshots/console-buildings-*); a viewer reads without acting.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EspmClient } from '@gaz-espm/espm';
import { isEspmError } from '@gaz-espm/espm';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { SimulatedCustomer } from '@gaz-espm/espm-simulator';
import { importBillingRows } from '../billing/import-billing-rows.ts';
import { issueCode } from '../buildings/aggregation-codes.ts';
import { dayNumber } from '../buildings/monthly-totals.ts';
import type { ExchangeContext } from '../exchange/context.ts';
import { runCycle } from '../exchange/cycle.ts';
import { pushSettings } from '../exchange/settings.ts';
import { formatDay } from './format.ts';
import type { Store } from '../store/database.ts';
import { browserSkip } from '../../test-support/browser.ts';
import { ConsoleBrowser } from '../../test-support/console-browser.ts';
import { tenantBill } from '../../test-support/tenant-bills.ts';
import type { SimulatedGateway } from '../../test-support/console-gateway.ts';
import { simulatedTestGateway, TEST_PASSWORD } from '../../test-support/console-gateway.ts';
import { upsertOperator } from './auth/operators.ts';

/** Six tenants of 2000 rue Sherbrooke on monthly cycles, and one tenant elsewhere. */
function billing(today: Date) {
  const rows: Array<Record<string, string>> = [];
  const last = dayNumber(today.toISOString().slice(0, 10)) - 5;
  for (let t = 0; t < 7; t++) {
    for (let k = 0; k < 14; k++) {
      const end = last - 30 * k - t * 3;
      rows.push({
        ...tenantBill({ account: 4_100_000_000, invoice: 810_000_000_000, meterPrefix: 'TWR' }, t, k, end),
        volume_m3: String(120 + t * 15 + k),
        premise_id: t < 6 ? `PR-20${t}` : 'PR-999',
        service_address: t < 6 ? `2000, rue Sherbrooke Ouest, local ${100 + t}` : '5 avenue du Parc',
      });
    }
  }
  return rows;
}

describe('the Buildings pages in a browser', { skip: browserSkip() }, () => {
  const ui = new ConsoleBrowser('console-buildings');
  const { problems, shot, submit, flash, signIn, tab } = ui;
  let sim: Simulator;
  let store: Store;
  let espm: EspmClient;
  let ctx: ExchangeContext;
  let simulated: SimulatedGateway | undefined;
  let firstCode = '';

  before(async () => {
    simulated = await simulatedTestGateway();
    ({ sim } = simulated);
    ({ store, espm, ctx } = simulated.gateway);
    const imported = await importBillingRows(store.db, billing(new Date()));
    assert.equal(imported.rejections.length, 0, JSON.stringify(imported.rejections));
    for (const [username, role] of [
      ['marie', 'operator'],
      ['victor', 'viewer'],
    ] as const) {
      await upsertOperator(store.db, { username, displayName: username, role, password: TEST_PASSWORD });
    }
    await ui.open(simulated);
  });

  after(async () => {
    await ui.close();
    await simulated?.close();
  });

  it('creates a building, adds its service points found by address, and shows its months', async () => {
    await signIn('marie');
    assert.equal(await tab('/batiments'), 'Bâtiments');
    await ui.page.fill('input[name=building_id]', 'B-2000');
    await ui.page.fill('input[name=name]', 'Tour Sherbrooke');
    await submit('form[action="/batiments"] button[type=submit]');
    assert.match(await flash(), /Bâtiment B-2000 créé/);
    await ui.page.click('a[href="/batiments/B-2000"]');
    await ui.page.fill('main input[name=q]', 'sherbrooke');
    await submit('main form[role=search] button[type=submit]');
    const boxes = ui.page.locator('input[name=premise]');
    assert.equal(await boxes.count(), 6);
    for (let i = 0; i < 6; i++) await boxes.nth(i).check();
    await submit('form[action$="/points"] button[type=submit]');
    assert.match(await flash(), /6 points de service ajoutés/);
    // The months: those settled (45 days after their end) sendable (6 customers), each with its
    // customers and meters; the third most recent is always settled.
    const months = ui.page.locator('#h-months ~ .table-wrap tbody tr');
    assert.ok((await months.count()) >= 12);
    assert.match((await months.nth(2).textContent()) ?? '', /transmissible/);
    assert.match((await months.nth(2).locator('td').nth(3).textContent()) ?? '', /6/);
    assert.match(
      (await ui.page.locator('section[aria-labelledby=h-revisions]').textContent()) ?? '',
      /Aucune révision retenue/,
    );
    await shot('building-fr');
  });

  it('refuses a service point already in another building, and a malformed id, in words', async () => {
    await ui.page.goto(`${ui.base}/batiments`);
    await ui.page.fill('input[name=building_id]', 'B-3000');
    await ui.page.fill('input[name=name]', 'Voisin');
    await submit('form[action="/batiments"] button[type=submit]');
    await ui.page.goto(`${ui.base}/batiments/B-3000`);
    await ui.page.fill('textarea[name=premise_ids]', 'PR-201');
    await submit('form[action$="/points"] button[type=submit]');
    assert.match(await flash(), /déjà dans un autre bâtiment/);
    await ui.page.fill('textarea[name=premise_ids]', 'PR_1');
    await submit('form[action$="/points"] button[type=submit]');
    assert.match(await flash(), /doit compter de 1 à 40/);
  });

  it('issues a code after the ownership check, shown once, and revokes another', async () => {
    ({ code: firstCode } = await issueCode(store.db, 'B-2000', { operator: null }, new Date()));
    await ui.page.goto(`${ui.base}/batiments/B-2000`);
    await ui.page.click('a[href="/batiments/B-2000/codes/nouveau"]');
    assert.equal(await ui.page.locator('[data-below-threshold]').count(), 0);
    await ui.page.fill('input[name=recipient_name]', 'Jeanne Roy');
    await ui.page.fill('input[name=recipient_contact]', 'jeanne.roy@example.com');
    await shot('issue-confirm-fr');
    await ui.page.check('input[name=confirm]');
    await submit('main button[type=submit]');
    // In groups of four, read over the phone more easily; typed without the spaces.
    const shown = (await ui.page.locator('[data-code]').textContent())?.trim() ?? '';
    assert.match(shown, /^(?:[0-9A-HJKMNP-TV-Z]{4} ){3}[0-9A-HJKMNP-TV-Z]{4}$/);
    const code = shown.replace(/ /g, '');
    await shot('code-fr');
    // Never again: not on the building page, and only its hash in the store.
    await ui.page.goto(`${ui.base}/batiments/B-2000`);
    assert.ok(!(await ui.page.content()).includes(code));
    // To whom it was given, on the building ui.page.
    assert.match(
      (await ui.page.locator('#h-codes ~ .table-wrap tbody tr').first().textContent()) ?? '',
      /Jeanne Roy\s*jeanne\.roy@example\.com/,
    );
    const stored = await store.db.selectFrom('aggregation_code').select('code_sha256').execute();
    assert.ok(stored.every((c) => c.code_sha256 !== code && /^[0-9a-f]{64}$/.test(c.code_sha256)));
    await ui.page.click('a[href="/batiments/B-2000/codes/1/revoquer"]');
    await ui.page.check('input[name=confirm]');
    await submit('main button[type=submit]');
    assert.match(await flash(), /Code révoqué/);
    assert.match((await ui.page.locator('#h-codes ~ .table-wrap').textContent()) ?? '', /révoqué/);
    const log = await store.db
      .selectFrom('gateway_log')
      .select(['outcome', 'operator', 'subject'])
      .where('subject', '=', 'B-2000')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      log.map((l) => [l.outcome, l.operator]),
      [
        ['building-created', 'marie'],
        ['premises-added', 'marie'],
        ['code-issued', null],
        ['code-issued', 'marie'],
        ['code-revoked', 'marie'],
      ],
    );
  });

  const linkId = async (espmMeterId: string) =>
    (
      await store.db
        .selectFrom('meter_link')
        .select('id')
        .where('espm_meter_id', '=', espmMeterId)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).id;

  it('warns before issuing a code for a building that cannot pass the privacy rule, and asks to confirm twice', async () => {
    await ui.page.goto(`${ui.base}/batiments/B-3000/codes/nouveau`);
    assert.match(
      (await ui.page.locator('[data-below-threshold]').textContent()) ?? '',
      /ne respecte la règle de confidentialité pour aucun des 12 derniers mois/,
    );
    await ui.page.fill('input[name=recipient_name]', 'Paul Voisin');
    await ui.page.fill('input[name=recipient_contact]', '514 555-0142');
    await ui.page.check('input[name=confirm]');
    await shot('issue-warning-fr');
    // Without the second box, the browser does not send the form; the server refuses it all the same.
    const csrf = await ui.page.locator('input[name=_csrf]').first().inputValue();
    const posted = await ui.page.request.post(`${ui.base}/batiments/B-3000/codes`, {
      form: { _csrf: csrf, confirm: 'yes', recipient_name: 'Paul Voisin', recipient_contact: '514 555-0142' },
      headers: { origin: ui.base },
      maxRedirects: 0,
    });
    assert.equal(posted.status(), 303);
    assert.equal(posted.headers().location, '/batiments/B-3000/codes/nouveau');
    await ui.page.check('input[name=anyway]');
    await submit('main button[type=submit]');
    assert.match(
      (await ui.page.locator('[data-code]').getAttribute('data-code')) ?? '',
      /^[0-9A-HJKMNP-TV-Z]{16}$/,
    );
    const issued = await store.db
      .selectFrom('aggregation_code')
      .select(['recipient_name', 'recipient_contact'])
      .where('building_id', '=', 'B-3000')
      .execute();
    assert.deepEqual(issued, [{ recipient_name: 'Paul Voisin', recipient_contact: '514 555-0142' }]);
  });

  it('shows the owner’s linked meter with its renewal date and the refused share, renews, then revokes the building', async () => {
    const { code } = await issueCode(store.db, 'B-2000', { operator: 'marie' }, new Date(), {
      name: 'Gestion Tour Sherbrooke',
      contact: '514 555-0100',
    });
    await pushSettings(ctx);
    const owner = await SimulatedCustomer.create(sim.origin, { username: 'tour2000' });
    const propertyId = await owner.createProperty('Tour Sherbrooke');
    const aggregate = { firstBillDate: '2020-01-01', aggregateMeter: true };
    const meterId = await owner.createMeter(propertyId, { name: 'Bâtiment', ...aggregate });
    const other = await owner.createMeter(propertyId, { name: 'Ancien code', ...aggregate });
    await owner.connect();
    await runCycle(ctx);
    await owner.shareProperty(propertyId);
    await owner.shareMeter(meterId, { aggregationCode: code, initialLoad: '12' });
    await owner.shareMeter(other, { aggregationCode: firstCode, initialLoad: '12' });
    await runCycle(ctx);
    assert.ok((await owner.bills(meterId)).length >= 10);

    await ui.page.goto(`${ui.base}/batiments/B-2000`);
    const linked = ui.page.locator('#h-links ~ .table-wrap tbody tr');
    assert.equal(await linked.count(), 1);
    assert.match((await linked.textContent()) ?? '', new RegExp(`${meterId}.*tour2000.*Accepté`, 's'));
    // A year after the acceptance, as the day is in Montréal (the console's days are), whatever the hour.
    const inAYear = new Date();
    inAYear.setUTCFullYear(inAYear.getUTCFullYear() + 1);
    assert.equal((await linked.locator('[data-renew-by]').textContent())?.trim(), formatDay(inAYear));
    const refused = ui.page.locator('#h-refused ~ .table-wrap tbody tr');
    assert.equal(await refused.count(), 1);
    assert.match(
      (await refused.textContent()) ?? '',
      new RegExp(`${other}.*Code d’agrégation invalide`, 's'),
    );
    assert.match(
      (await ui.page.locator('#h-codes ~ .table-wrap tbody tr').first().textContent()) ?? '',
      new RegExp(`Gestion Tour Sherbrooke\\s*514 555-0100.*${meterId}\\s*${propertyId}`, 's'),
    );
    await shot('links-fr');

    // The aggregate meter names its building in the meter list and on its page, instead of empty
    // contract, meter and invoice cells.
    await ui.page.goto(`${ui.base}/compteurs`);
    const row = ui.page.locator('tbody tr', {
      has: ui.page.locator(`a[href="/compteurs/${await linkId(meterId)}"]`),
    });
    assert.match(
      (await row.locator('[data-building]').textContent()) ?? '',
      /Compteur agrégé du bâtiment\s*B-2000\s*Tour Sherbrooke/,
    );
    await row.locator('[data-building] a').click();
    await ui.page.waitForURL(`${ui.base}/batiments/B-2000`);
    await ui.page.goto(`${ui.base}/compteurs/${await linkId(meterId)}`);
    assert.match(
      (await ui.page.locator('[data-building]').textContent()) ?? '',
      /Compteur agrégé du bâtiment\s*B-2000\s*Tour Sherbrooke/,
    );
    assert.equal(await ui.page.locator('[data-building] a[href="/batiments/B-2000"]').count(), 1);
    assert.equal(await ui.page.locator('#h-same-billing').count(), 0);
    await shot('aggregate-meter-fr');
    await ui.page.goto(`${ui.base}/batiments/B-2000`);

    await ui.page.click('a[href="/batiments/B-2000/renouveler"]');
    await ui.page.check('input[name=confirm]');
    await submit('main button[type=submit]');
    assert.match(await flash(), /1 lien\(s\) renouvelé\(s\)/);

    await ui.page.click('a[href="/batiments/B-2000/revoquer"]');
    assert.match((await ui.page.locator('h1').textContent()) ?? '', /Révoquer tous les codes de B-2000/);
    await shot('revoke-confirm-fr');
    await ui.page.check('input[name=confirm]');
    await submit('main button[type=submit]');
    assert.match(await flash(), /2 code\(s\) révoqué\(s\), 1 lien\(s\) arrêté\(s\)/);
    assert.match(
      (await linked.textContent()) ?? '',
      /Révoqué.*Code d’agrégation révoqué par le distributeur/s,
    );
    assert.equal(await ui.page.locator('a[href="/batiments/B-2000/revoquer"]').count(), 0);
    const access = await espm.getMeter(meterId).catch((e: unknown) => e);
    assert.ok(isEspmError(access, 'access-lost'), String(access));
    await shot('revoked-fr');
  });

  it('shows the pages in English', async () => {
    await ui.page.click('.lang a[lang=en]');
    assert.equal(await ui.page.getAttribute('html', 'lang'), 'en');
    assert.match((await ui.page.locator('h2#h-codes').textContent()) ?? '', /Aggregation codes/);
    const monthsEn = (await ui.page.locator('#h-months ~ .table-wrap').textContent()) ?? '';
    assert.match(monthsEn, /waiting: settlement delay/);
    assert.match(monthsEn, /sent|sendable/);
    await shot('building-en');
    await ui.page.goto(`${ui.base}/batiments`);
    assert.equal(await ui.page.locator('h1').textContent(), 'Buildings');
    await shot('list-en');
    await ui.page.click('.lang a[lang=fr]');
    await shot('list-fr');
  });

  it('lets a viewer read but not act', async () => {
    assert.deepEqual(problems, []);
    await signIn('victor');
    await ui.page.goto(`${ui.base}/batiments/B-2000`);
    assert.equal(await ui.page.locator('a[href$="/codes/nouveau"]').count(), 0);
    assert.equal(await ui.page.locator('form[action$="/points"]').count(), 0);
    const refused = await ui.page.goto(`${ui.base}/batiments/B-2000/codes/nouveau`);
    assert.equal(refused?.status(), 403);
    const csrf = await ui.page.locator('input[name=_csrf]').first().inputValue();
    const posted = await ui.page.request.post(`${ui.base}/batiments/B-2000/codes`, {
      form: { _csrf: csrf, confirm: 'yes' },
      headers: { origin: ui.base },
    });
    assert.equal(posted.status(), 403);
    assert.equal((await store.db.selectFrom('aggregation_code').select('id').execute()).length, 4);
  });
});
