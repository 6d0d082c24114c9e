// The customer page in a real browser, walking the guide's steps in French, with screenshots.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { buildMeterData, parseNotificationList, parsePendingList } from '../espm.ts';
import type { Simulator } from '../index.ts';
import { startSimulator } from '../index.ts';
import { accept, asProvider, monthlyEntries } from '../../test-support/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../../../artifacts/screenshots/', import.meta.url));
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI !== 'true') {
  console.log(`# skipping the browser test: ${CHROMIUM} is missing (apt-get install chromium)`);
}

describe(
  'the customer page, walking the guide in French',
  { skip: missing && process.env.CI !== 'true' },
  () => {
    let sim: Simulator;
    let browser: Browser;
    let page: Page;
    const shot = (name: string) => page.screenshot({ path: `${SHOTS}simulator-${name}.png`, fullPage: true });

    before(async () => {
      assert.ok(!missing, `${CHROMIUM} is missing: install it with apt-get install chromium`);
      mkdirSync(SHOTS, { recursive: true });
      sim = await startSimulator({ now: () => new Date('2023-04-19T19:24:00Z') });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-dev-shm-usage',
        ],
      });
      page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: 'fr-CA' });
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    });
    after(async () => {
      await browser?.close();
      await sim?.close();
    });

    const flash = () => page.locator('.flash');
    /** Runs a click and waits until the page has reloaded its data and rendered it again. */
    const settle = async (click: () => Promise<void>) => {
      const renders = Number(await page.evaluate(() => document.body.dataset.renders));
      await click();
      await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, renders);
    };
    const refresh = () => settle(() => page.getByRole('button', { name: 'Actualiser' }).click());

    it('creates the account, the property and the Natural Gas meter in m³', async () => {
      await page.goto(sim.customerPageUrl);
      await shot('1-accueil');
      const form = page.locator('#create-account');
      await form.getByLabel("Nom d'utilisateur").fill('code201');
      await form.getByLabel('Mot de passe').fill('Secret-Pass1');
      await form.getByLabel('Prénom').fill('Marc-Étienne');
      await form.getByLabel('Nom', { exact: true }).fill('Charron');
      await form.getByLabel('Adresse de courriel').fill('mecharron@example.com');
      await form.getByLabel('Organisation').fill('Code <201> & fils');
      await form.getByLabel('Adresse', { exact: true }).fill('1000 rue Sherbrooke Ouest');
      await form.getByLabel('Code postal').fill('H3A 3G4');
      await form.getByRole('button', { name: 'Créer' }).click();
      await page.getByText('Session ouverte : code201').waitFor();

      const property = page.locator('#add-property');
      await property.getByLabel('Nom de la propriété').fill('Bureau');
      await property.getByLabel('Adresse').fill('1000 rue Sherbrooke Ouest');
      await property.getByLabel('Code postal').fill('H3A 3G4');
      await property.getByRole('button', { name: 'Ajouter une propriété' }).click();
      await page.getByRole('heading', { name: /^Bureau #/ }).waitFor();

      const meter = page.getByRole('form', { name: 'Ajouter un compteur — Bureau' });
      assert.equal(await meter.getByLabel('Type de compteur').inputValue(), 'Natural Gas');
      assert.equal(await meter.getByLabel('Unités').inputValue(), 'cm (Cubic meters)');
      await meter.getByLabel('Nom du compteur').fill('Gaz naturel1');
      await meter.getByLabel('Date à laquelle le compteur est devenu actif').fill('2021-04-16');
      await meter.getByRole('button', { name: 'Créer le compteur' }).click();
      await page.getByText('Gaz naturel · m³ (mètres cubes) · 2021-04-16').waitFor();
      await shot('2-propriete-compteur');
      const [m] = sim.state().meters;
      assert.equal(m?.meter.unitOfMeasure, 'cm (Cubic meters)');
      assert.equal(
        sim.state().accounts.find((a) => a.username === 'code201')?.organization,
        'Code <201> & fils',
      );
    });

    it('sends the connection request after accepting the terms, and shows the acceptance', async () => {
      await page.getByText("En autorisant l'échange de données").waitFor();
      await page.getByLabel(/J'accepte les conditions d'utilisation de mon fournisseur/).check();
      await page.getByRole('button', { name: 'Envoyer une demande de connexion' }).click();
      await flash().getByText('Vous avez réussi à envoyer une demande de connexion').waitFor();
      assert.equal(await page.locator('#connection-status').textContent(), 'Connexion en attente');
      await shot('3-connexion-en-attente');

      const pending = parsePendingList((await asProvider(sim).get('/connect/account/pending/list')).body);
      assert.equal(pending.accounts[0]?.username, 'code201');
      await asProvider(sim).post(
        `/connect/account/${pending.accounts[0]!.accountId}`,
        accept('Bienvenue chez Gaz Démo.'),
      );
      await refresh();
      assert.equal(await page.locator('#connection-status').textContent(), 'Connecté');
      await page.getByText('Note du fournisseur : Bienvenue chez Gaz Démo.').waitFor();
    });

    it('shares the property read-only and the meter with full access, filling the four fields', async () => {
      const sharing = page.getByRole('form', { name: 'Bureau' });
      await sharing.getByLabel('Bureau — Accès en lecture seulement').check();
      await sharing.getByLabel('Gaz naturel1 — Accès complet').check();
      await sharing.getByLabel(/^Numéro du compte /).fill('11111111111');
      await sharing.getByLabel(/^Numéro de facture /).fill('333333333333');
      await sharing.getByLabel(/^Numéro du compteur /).fill('2222222');
      await sharing.getByLabel(/^Chargement initial /).fill('24');
      await sharing.getByText('Entre 10 et 11 caractères').waitFor();
      await sharing.getByRole('button', { name: "Appliquer les sélections et autoriser l'échange" }).click();
      await flash().getByText("Vous avez réussi à partager ou à modifier l'accès").waitFor();
      assert.equal(await page.getByText('Demande de partage envoyée').count(), 2);
      await shot('4-partage-envoye');

      const list = parsePendingList((await asProvider(sim).get('/share/meter/pending/list')).body);
      const request = list.meters[0]!;
      assert.equal(request.accessLevel, 'Read Write');
      assert.deepEqual(
        request.customFields.map((f) => [f.name, f.value]),
        [
          ['Numéro du compte', '11111111111'],
          ['Numéro de facture', '333333333333'],
          ['Numéro du compteur', '2222222'],
          ['Chargement initial', '24'],
        ],
      );
      const note =
        'Votre demande de partage a été acceptée. Nous allons envoyer les données de consommation du ou des compteurs sur ce compte après chaque cycle de facturation.';
      assert.equal((await asProvider(sim).post(`/share/meter/${request.meterId}`, accept(note))).status, 200);
      await refresh();
      assert.equal(
        await page.getByText('Partage accepté', { exact: true }).count(),
        2,
        'the meter and, with it, the property',
      );
      assert.ok((await page.getByText(note).count()) >= 1);
      await shot('5-partage-accepte');
    });

    it("shows the provider's bills and takes one typed by hand", async () => {
      const meterId = sim.state().meters[0]!.id;
      await asProvider(sim).post(
        `/meter/${meterId}/consumptionData`,
        buildMeterData(monthlyEntries(3, '2023-01-01', '273')),
      );
      await refresh();
      const bills = page.getByRole('article', { name: 'Factures (entrées de compteur) Gaz naturel1' });
      assert.equal(await bills.locator('table.bills tr').count(), 4);
      await bills.getByText('gaz_provider').first().waitFor();
      const form = page.getByRole('form', { name: 'Ajouter une facture Gaz naturel1' });
      await form.getByLabel('Date de début').fill('2022-12-01');
      await form.getByLabel('Date de fin').fill('2022-12-31');
      await form.getByLabel('Consommation').fill('231');
      await form.getByLabel('Coût total ($)').fill('120.50');
      await settle(() => form.getByRole('button', { name: 'Ajouter une facture' }).click());
      await bills.getByText('code201').waitFor();
      await shot('6-factures');
    });

    it('lowers the meter to read-only and back; the provider gets SHAREUPDATE as EPA words it', async () => {
      await asProvider(sim).get('/notification/list'); // start from an empty feed
      const sharing = page.getByRole('form', { name: 'Bureau' });
      const apply = () =>
        sharing.getByRole('button', { name: "Appliquer les sélections et autoriser l'échange" }).click();
      await sharing.getByLabel('Gaz naturel1 — Accès en lecture seulement').check();
      await settle(apply);
      await sharing.getByLabel('Gaz naturel1 — Accès complet').check();
      await settle(apply);
      const feed = parseNotificationList((await asProvider(sim).get('/notification/list')).body);
      assert.deepEqual(
        feed.map((n) => [n.notificationTypeCode, n.description]),
        [
          ['SHAREUPDATE', 'Gaz naturel1 - Access level revised to Read Only by Customer Marc-Étienne.'],
          ['SHAREUPDATE', 'Gaz naturel1 - Access level revised to Read Write by Customer Marc-Étienne.'],
        ],
      );
    });

    it('switches to English', async () => {
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: '4. Sharing: data exchange with your provider' }).waitFor();
      await shot('7-english');
      await page.getByRole('button', { name: 'Français' }).click();
    });

    it('removes the provider from the property; the provider is notified and refused', async () => {
      await settle(() =>
        page.getByRole('button', { name: "Retirer l'accès à cette propriété pour ce contact" }).click(),
      );
      await flash().getByText('C’est fait.').waitFor();
      assert.equal(await page.getByText('Accès retiré', { exact: true }).count(), 2);
      await shot('8-acces-retire');
      const feed = parseNotificationList((await asProvider(sim).get('/notification/list')).body);
      assert.deepEqual(
        feed.map((n) => n.notificationTypeCode),
        ['UNSHARE', 'UNSHARE'],
      );
      assert.equal((await asProvider(sim).get(`/meter/${sim.state().meters[0]!.id}`)).status, 403);
    });
  },
);
