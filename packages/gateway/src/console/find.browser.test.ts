// Finding, exporting and trends in a browser: the top bar's search box, the account lookup a viewer
// checks without seeing the proof, a CSV download, and the trends' charts, in French and in English,
// with screenshots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../config/config.ts';
import { buildHttpServer } from '../http/server.ts';
import type { Store } from '../store/database.ts';
import {
  browserSkip,
  launchChromium,
  SCREENSHOTS,
  signInThroughForm,
  watchedPage,
} from '../../test-support/browser.ts';
import {
  consoleTestGateway,
  TEST_PASSWORD,
  UNREACHABLE_ESPM_ENV,
} from '../../test-support/console-gateway.ts';
import { GUIDE } from '../../test-support/guide-example.ts';
import { openTestStore } from '../../test-support/test-store.ts';

describe('finding, exporting and trends in a browser', { skip: browserSkip() }, () => {
  let store: Store;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base = '';
  const problems: string[] = [];

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    store = await openTestStore();
    const { gateway } = await consoleTestGateway(store);
    app = await buildHttpServer({
      gateway,
      config: loadConfig(UNREACHABLE_ESPM_ENV),
      scheduler: { trigger: async () => {}, stop: async () => {} },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await watchedPage(browser, problems, { acceptDownloads: true });
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) problems.push(`outside request: ${r.url()}`);
    });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `console-find-${name}.png`), fullPage: true });
  const signIn = (username: string) => signInThroughForm(page, base, username, TEST_PASSWORD);
  const toEnglish = async () => {
    await page.click('.lang a[hreflang=en]');
    await page.waitForSelector('html[lang=en]');
  };

  it('finds a customer, a share and an account from the top bar’s box', async () => {
    await signIn('marie');
    await page.fill('header input[name=q]', GUIDE.invoiceNumber);
    await Promise.all([page.waitForURL(/\/recherche\?q=/), page.press('header input[name=q]', 'Enter')]);
    assert.equal(await page.locator('h1').textContent(), 'Recherche');
    assert.match(
      (await page.locator('#h-s-account').locator('..').textContent()) ?? '',
      /trouvé par le numéro de facture/,
    );
    await shot('search-invoice-fr');
    await page.fill('header input[name=q]', 'charron');
    await Promise.all([page.waitForURL(/q=charron/), page.press('header input[name=q]', 'Enter')]);
    await toEnglish();
    assert.match(
      (await page.locator('#h-s-customers').locator('..').textContent()) ?? '',
      /mecharron@code201\.ca/,
    );
    await shot('search-customer-en');
    // From the search to the account, by a posted lookup.
    await page.goto(`${base}/recherche?q=${GUIDE.meterNumber}`);
    await Promise.all([page.waitForURL(`${base}/comptes`), page.click('#h-s-account ~ form button')]);
    assert.match(
      (await page.locator('#h-to-type').locator('..').textContent()) ?? '',
      new RegExp(GUIDE.invoiceNumber),
    );
    await shot('account-operator-en');
  });

  it('lets a viewer check what the caller reads out, without showing the proof', async () => {
    await signIn('victor');
    await page.goto(`${base}/comptes`);
    await page.fill('main input[name=compte]', GUIDE.accountNumber);
    await Promise.all([
      page.waitForURL(`${base}/comptes`),
      page.click('main form[action="/comptes"] button'),
    ]);
    const body = (await page.locator('main').textContent()) ?? '';
    assert.ok(!body.includes(GUIDE.invoiceNumber));
    await page.fill('input[name=facture]', GUIDE.invoiceNumber);
    await page.fill('input[name=compteur]', '1234567');
    await Promise.all([page.waitForNavigation(), page.click('#h-check ~ form button')]);
    const result = (await page.locator('.check-result').textContent()) ?? '';
    assert.match(result, /Facture : concordant/);
    assert.match(result, /Compteur : non concordant/);
    await shot('account-viewer-check-fr');
  });

  it('downloads the filtered meter list as CSV', async () => {
    await signIn('marie');
    await page.goto(`${base}/compteurs?status=conflict`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.export')]);
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
    await page.click('nav.tabs a[href="/tendances"]');
    assert.equal(await page.locator('h1').textContent(), 'Tendances');
    assert.equal(await page.locator('svg.chart').count(), 5);
    await shot('trends-days-fr');
    await toEnglish();
    assert.equal(await page.locator('h1').textContent(), 'Trends');
    await page.click('a[href="/tendances?par=semaine"]');
    await page.waitForURL(/par=semaine/);
    assert.equal(await page.locator('svg.chart').count(), 5);
    await shot('trends-weeks-en');
    assert.deepEqual(problems, []);
  });
});
