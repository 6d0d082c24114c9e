// Finding, exporting and trends in a browser: the top bar's search box, the account lookup a viewer
// checks without seeing the proof, a CSV download, and the trends' charts, in French and in English,
// with screenshots.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../config/config.ts';
import type { Store } from '../store/database.ts';
import { browserSkip } from '../../test-support/browser.ts';
import { ConsoleBrowser } from '../../test-support/console-browser.ts';
import { consoleTestGateway, UNREACHABLE_ESPM_ENV } from '../../test-support/console-gateway.ts';
import { GUIDE } from '../../test-support/guide-example.ts';
import { openTestStore } from '../../test-support/test-store.ts';

describe('finding, exporting and trends in a browser', { skip: browserSkip() }, () => {
  const ui = new ConsoleBrowser('console-find');
  const { problems, shot, signIn, tab } = ui;
  let store: Store;

  before(async () => {
    store = await openTestStore();
    const { gateway } = await consoleTestGateway(store);
    await ui.open({ gateway, config: loadConfig(UNREACHABLE_ESPM_ENV) }, { acceptDownloads: true });
    ui.page.on('request', (r) => {
      if (!r.url().startsWith(ui.base)) problems.push(`outside request: ${r.url()}`);
    });
  });
  after(async () => {
    await ui.close();
    await store?.close();
  });

  const toEnglish = async () => {
    await ui.page.click('.lang a[hreflang=en]');
    await ui.page.waitForSelector('html[lang=en]');
  };

  it('finds a customer, a share and an account from the top bar’s box', async () => {
    await signIn('marie');
    await ui.page.fill('header input[name=q]', GUIDE.invoiceNumber);
    await Promise.all([
      ui.page.waitForURL(/\/recherche\?q=/),
      ui.page.press('header input[name=q]', 'Enter'),
    ]);
    assert.equal(await ui.page.locator('h1').textContent(), 'Recherche');
    assert.match(
      (await ui.page.locator('#h-s-account').locator('..').textContent()) ?? '',
      /trouvé par le numéro de facture/,
    );
    await shot('search-invoice-fr');
    await ui.page.fill('header input[name=q]', 'charron');
    await Promise.all([ui.page.waitForURL(/q=charron/), ui.page.press('header input[name=q]', 'Enter')]);
    await toEnglish();
    assert.match(
      (await ui.page.locator('#h-s-customers').locator('..').textContent()) ?? '',
      /mecharron@code201\.ca/,
    );
    await shot('search-customer-en');
    // From the search to the account, by a posted lookup.
    await ui.page.goto(`${ui.base}/recherche?q=${GUIDE.meterNumber}`);
    await Promise.all([
      ui.page.waitForURL(`${ui.base}/comptes`),
      ui.page.click('#h-s-account ~ form button'),
    ]);
    assert.match(
      (await ui.page.locator('#h-to-type').locator('..').textContent()) ?? '',
      new RegExp(GUIDE.invoiceNumber),
    );
    await shot('account-operator-en');
  });

  it('lets a viewer check what the caller reads out, without showing the proof', async () => {
    await signIn('victor');
    await ui.page.goto(`${ui.base}/comptes`);
    await ui.page.fill('main input[name=compte]', GUIDE.accountNumber);
    await Promise.all([
      ui.page.waitForURL(`${ui.base}/comptes`),
      ui.page.click('main form[action="/comptes"] button'),
    ]);
    const body = (await ui.page.locator('main').textContent()) ?? '';
    assert.ok(!body.includes(GUIDE.invoiceNumber));
    await ui.page.fill('input[name=facture]', GUIDE.invoiceNumber);
    await ui.page.fill('input[name=compteur]', '1234567');
    await Promise.all([ui.page.waitForNavigation(), ui.page.click('#h-check ~ form button')]);
    const result = (await ui.page.locator('.check-result').textContent()) ?? '';
    assert.match(result, /Facture : concordant/);
    assert.match(result, /Compteur : non concordant/);
    await shot('account-viewer-check-fr');
  });

  it('downloads the filtered meter list as CSV', async () => {
    await signIn('marie');
    await ui.page.goto(`${ui.base}/compteurs?status=conflict`);
    const [download] = await Promise.all([ui.page.waitForEvent('download'), ui.page.click('a.export')]);
    assert.match(download.suggestedFilename(), /^compteurs-\d{4}-\d{2}-\d{2}\.csv$/);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile(path, 'utf8');
    assert.match(csv, /^\uFEFFCompteur ESPM,/);
    assert.ok(
      csv
        .split('\r\n')
        .slice(1, -1)
        .every((l) => l.includes('En conflit')),
    );
  });

  it('draws the trends by day and by week, in both languages', async () => {
    await signIn('marie');
    assert.equal(await tab('/tendances'), 'Tendances');
    assert.equal(await ui.page.locator('svg.chart').count(), 5);
    await shot('trends-days-fr');
    await toEnglish();
    assert.equal(await ui.page.locator('h1').textContent(), 'Trends');
    await ui.page.click('a[href="/tendances?par=semaine"]');
    await ui.page.waitForURL(/par=semaine/);
    assert.equal(await ui.page.locator('svg.chart').count(), 5);
    await shot('trends-weeks-en');
    assert.deepEqual(problems, []);
  });
});
