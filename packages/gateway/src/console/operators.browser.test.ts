// Managing operators and a locked-out share in a real browser (headless Chromium), in French and
// English (screenshots in artifacts/screenshots/console-operators-*): an administrator adds an
// operator (the password shown once), changes her role and disables her (the box left unticked is
// said in the page's language, not the browser's); a locked-out share's page points to the unlock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../config/config.ts';
import type { Store } from '../store/database.ts';
import { browserSkip } from '../../test-support/browser.ts';
import { ConsoleBrowser } from '../../test-support/console-browser.ts';
import { consoleTestGateway, UNREACHABLE_ESPM_ENV } from '../../test-support/console-gateway.ts';
import type { SeedIds } from '../../test-support/test-seed.ts';
import { openTestStore } from '../../test-support/test-store.ts';

describe('operators and lockouts in a browser', { skip: browserSkip() }, () => {
  const ui = new ConsoleBrowser('console-operators');
  const { problems, shot, submit, flash, signIn, tab } = ui;
  let store: Store;
  let ids: SeedIds;

  before(async () => {
    store = await openTestStore();
    const g = await consoleTestGateway(store);
    ids = g.ids;
    await ui.open({ gateway: g.gateway, config: loadConfig(UNREACHABLE_ESPM_ENV) });
  });

  after(async () => {
    await ui.close();
    await store?.close();
  });

  const language = async (lang: 'fr' | 'en') => {
    await ui.page.click(`a[hreflang=${lang}]`);
    await ui.page.waitForSelector(`html[lang=${lang}]`);
  };

  it('lets an administrator add an operator, change her role and disable her', async () => {
    await signIn('ada');
    assert.equal(await tab('/operateurs'), 'Opérateurs de la console');
    await ui.page.fill('input[name=username]', 'nina');
    await ui.page.fill('input[name=name]', 'Nina Tremblay');
    await ui.page.selectOption('section:has(#h-add-operator) select[name=role]', 'viewer');
    await submit('section:has(#h-add-operator) button[type=submit]');
    const password = ((await ui.page.locator('[data-password]').textContent()) ?? '').trim();
    assert.match(password, /^[a-zA-Z2-9]{20}$/);
    await shot('password-fr');

    await ui.page.goto(`${ui.base}/operateurs`);
    const row = ui.page.locator('tr[data-operator=nina]');
    await row.locator('select[name=role]').selectOption('operator');
    await submit('tr[data-operator=nina] button[type=submit]');
    assert.match(await flash(), /Rôle de nina : Opérateur/);

    await ui.page.click('tr[data-operator=nina] a[href$="/desactiver"]');
    // Unticked: the server says so, in French (no browser bubble in the browser's language).
    await submit('main button[type=submit]');
    assert.match(await flash(), /Cochez la case de confirmation pour continuer/);
    await shot('unticked-fr');
    await ui.page.check('input[name=confirm]');
    await submit('main button[type=submit]');
    assert.match(await flash(), /Opérateur nina désactivé/);
    await language('en');
    assert.equal(await ui.page.locator('h1').textContent(), 'Console operators');
    assert.match((await ui.page.locator('tr[data-operator=nina]').textContent()) ?? '', /Disabled/);
    await shot('list-en');
    await ui.page.goto(`${ui.base}/journal`);
    assert.match((await ui.page.locator('main').textContent()) ?? '', /Operator disabled/);

    assert.deepEqual(problems, []);
    // Her password no longer opens the console (a 401, which the browser reports).
    await ui.page.context().clearCookies();
    await ui.page.goto(`${ui.base}/connexion`);
    await ui.page.fill('input[name=username]', 'nina');
    await ui.page.fill('input[name=password]', password);
    await submit('main button[type=submit]');
    assert.match(await flash(), /Nom d’utilisateur ou mot de passe incorrect/);
    problems.length = 0;
  });

  it('points the page of a share refused while locked out to the unlock action', async () => {
    await signIn('marie');
    await ui.page.goto(`${ui.base}/compteurs/${ids.lockedOutLink}`);
    await ui.page.waitForSelector('html[lang=fr]');
    const note = ui.page.locator('main .flash.warn');
    assert.match((await note.textContent()) ?? '', /verrouillé/);
    await shot('locked-fr');
    await Promise.all([ui.page.waitForNavigation(), note.locator('a.button').click()]);
    await ui.page.check('input[name=confirm]');
    await submit('main button[type=submit]');
    assert.match(await flash(), /partager ses compteurs de nouveau/);
    await ui.page.goto(`${ui.base}/compteurs/${ids.lockedOutLink}`);
    await language('en');
    assert.match((await ui.page.locator('main .flash').first().textContent()) ?? '', /must share it again/);
    await shot('unlocked-en');
    assert.deepEqual(problems, []);
  });
});
