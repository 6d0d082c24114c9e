// The rehearsal with its default customer side: ESPM's Test web UI, here the simulator's /pmtest, in
// headless Chromium. Its report, opened in Chromium, is screenshotted for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { SCREENSHOTS, browserSkip, launchChromium } from '../../test-support/browser.ts';
import { openTestStore } from '../../test-support/test-store.ts';
import type { Store } from '../store/database.ts';
import { browserSide } from './browser-side.ts';
import type { RehearsalResult } from './rehearsal.ts';
import { rehearse } from './rehearsal.ts';
import { renderReport } from './report.ts';
import { assertEveryStepPassed, espmOf, simulatorWithCustomer } from './test-simulator.ts';

// The permissions form's columns: the three levels, then the guide's four fields with their footnotes.
const SHARE_FORM_HEADERS = [
  'Aucun accès',
  'Accès en lecture seulement',
  'Accès complet',
  'Numéro du compte ¹',
  'Numéro de facture ²',
  'Numéro du compteur ³',
  'Chargement initial ⁴',
];

describe('the rehearsal in the Test web UI (customer side "browser")', { skip: browserSkip() }, () => {
  let sim: Simulator;
  let store: Store;
  let result: RehearsalResult;
  let report = '';

  before(async () => {
    const s = await simulatorWithCustomer();
    sim = s.sim;
    store = await openTestStore();
    result = await rehearse({
      espm: espmOf(sim),
      customer: s,
      side: () =>
        browserSide({
          webUrl: `${sim.origin}/pmtest`,
          username: s.username,
          password: s.password,
          language: 'fr',
        }),
      store,
      pollMs: 100,
    });
    report = renderReport(result, 'fr', { passwords: [s.password, sim.provider.password] });
  });
  after(async () => {
    await store?.close();
    await sim?.close();
  });

  it('passes every step, the customer’s steps played in the web UI', () => {
    assertEveryStepPassed(result);
    const decisions = sim.state().decisions.filter((d) => d.kind === 'meterShare' && !d.automatic);
    assert.deepEqual(
      decisions.map((d) => d.action),
      ['Accept', 'Reject'],
    );
  });

  it('puts a screenshot of each of the customer’s steps in the report', () => {
    const shots = (id: string) => result.steps.find((s) => s.id === id)!.evidence.screenshots.length;
    assert.ok(shots('connection') >= 1);
    assert.ok(shots('shares') >= 2);
    assert.ok(shots('read-only') >= 1);
    assert.match(report, /<img\s+class="shot"[^>]+src="data:image\/png;base64,/);
  });

  it('shows the guide’s share form, with its four fields, in French', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = join(SCREENSHOTS, 'rehearsal-report.html');
      writeFileSync(file, report);
      await page.goto(`file://${file}`);
      assert.equal(await page.locator('#verdict').innerText(), 'Toutes les étapes ont réussi');
      await page.screenshot({ path: join(SCREENSHOTS, 'rehearsal-report.png') });
      await page.goto(`${sim.origin}/pmtest/login`);
      await page.fill('#username', 'repetition_client');
      await page.fill('#password', 'client-password-42');
      await page.click('button[type="submit"]');
      const property = sim.state().properties[0]!.id;
      await page.goto(
        `${sim.origin}/pmtest/sharing/dataExchange/permissions?provider=${sim.providerAccountId}&property=${property}&bulk=no`,
      );
      const headers = await page.locator('th').allInnerTexts();
      for (const label of SHARE_FORM_HEADERS)
        assert.ok(headers.includes(label), `${label} in ${headers.join(' | ')}`);
      await page.screenshot({ path: join(SCREENSHOTS, 'rehearsal-pmtest-share-form.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
