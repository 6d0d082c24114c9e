// Managing operators and a locked-out share in a real browser (headless Chromium), in French and
// English (screenshots in artifacts/screenshots/console-operators-*): an administrator adds an
// operator (the password shown once), changes her role and disables her (the box left unticked is
// said in the page's language, not the browser's); a locked-out share's page points to the unlock.
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
import type { SeedIds } from '../../test-support/test-seed.ts';
import { openTestStore } from '../../test-support/test-store.ts';

describe('operators and lockouts in a browser', { skip: browserSkip() }, () => {
  let store: Store;
  let app: FastifyInstance;
  let ids: SeedIds;
  let base = '';
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [store, browser] = await Promise.all([openTestStore(), launchChromium()]);
    const g = await consoleTestGateway(store);
    ids = g.ids;
    app = await buildHttpServer({
      gateway: g.gateway,
      config: loadConfig(UNREACHABLE_ESPM_ENV),
      scheduler: { trigger: async () => {}, stop: async () => {} },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    page = await watchedPage(browser, problems);
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `console-operators-${name}.png`), fullPage: true });
  const submit = async (selector: string) => {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
  };
  const flash = async () => (await page.locator('.flash').first().textContent())?.trim() ?? '';
  const signIn = (username: string, password = TEST_PASSWORD) =>
    signInThroughForm(page, base, username, password);
  const language = async (lang: 'fr' | 'en') => {
    await page.click(`a[hreflang=${lang}]`);
    await page.waitForSelector(`html[lang=${lang}]`);
  };

  it('lets an administrator add an operator, change her role and disable her', async () => {
    await signIn('ada');
    await page.click('nav.tabs a[href="/operateurs"]');
    assert.equal(await page.locator('h1').textContent(), 'Opérateurs de la console');
    await page.fill('input[name=username]', 'nina');
    await page.fill('input[name=name]', 'Nina Tremblay');
    await page.selectOption('section:has(#h-add-operator) select[name=role]', 'viewer');
    await submit('section:has(#h-add-operator) button[type=submit]');
    const password = ((await page.locator('[data-password]').textContent()) ?? '').trim();
    assert.match(password, /^[a-zA-Z2-9]{20}$/);
    await shot('password-fr');

    await page.goto(`${base}/operateurs`);
    const row = page.locator('tr[data-operator=nina]');
    await row.locator('select[name=role]').selectOption('operator');
    await submit('tr[data-operator=nina] button[type=submit]');
    assert.match(await flash(), /Rôle de nina : Opérateur/);

    await page.click('tr[data-operator=nina] a[href$="/desactiver"]');
    // Unticked: the server says so, in French (no browser bubble in the browser's language).
    await submit('main button[type=submit]');
    assert.match(await flash(), /Cochez la case de confirmation pour continuer/);
    await shot('unticked-fr');
    await page.check('input[name=confirm]');
    await submit('main button[type=submit]');
    assert.match(await flash(), /Opérateur nina désactivé/);
    await language('en');
    assert.equal(await page.locator('h1').textContent(), 'Console operators');
    assert.match((await page.locator('tr[data-operator=nina]').textContent()) ?? '', /Disabled/);
    await shot('list-en');
    await page.goto(`${base}/journal`);
    assert.match((await page.locator('main').textContent()) ?? '', /Operator disabled/);

    assert.deepEqual(problems, []);
    // Her password no longer opens the console (a 401, which the browser reports).
    await page.context().clearCookies();
    await page.goto(`${base}/connexion`);
    await page.fill('input[name=username]', 'nina');
    await page.fill('input[name=password]', password);
    await submit('main button[type=submit]');
    assert.match(await flash(), /Nom d’utilisateur ou mot de passe incorrect/);
    problems.length = 0;
  });

  it('points the page of a share refused while locked out to the unlock action', async () => {
    await signIn('marie');
    await page.goto(`${base}/compteurs/${ids.lockedOutLink}`);
    await page.waitForSelector('html[lang=fr]');
    const note = page.locator('main .flash.warn');
    assert.match((await note.textContent()) ?? '', /verrouillé/);
    await shot('locked-fr');
    await Promise.all([page.waitForNavigation(), note.locator('a.button').click()]);
    await page.check('input[name=confirm]');
    await submit('main button[type=submit]');
    assert.match(await flash(), /partager ses compteurs de nouveau/);
    await page.goto(`${base}/compteurs/${ids.lockedOutLink}`);
    await language('en');
    assert.match((await page.locator('main .flash').first().textContent()) ?? '', /must share it again/);
    await shot('unlocked-en');
    assert.deepEqual(problems, []);
  });
});
