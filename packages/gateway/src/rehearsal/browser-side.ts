// The customer's steps in ESPM's Test web UI, in the headless Chromium the console's tests drive, with a
// screenshot of each step for the report. The selectors are in espm-web-ui.ts.
import { existsSync } from 'node:fs';
import type { AccessLevel } from '@gaz-espm/espm';
import type { Browser, Page } from 'playwright-core';
import type {
  CustomerSide,
  Language,
  MeterToShare,
  PropertyToShare,
  ProviderAccount,
  SideEvidence,
  Words,
} from './customer-side.ts';
import { SideStepError, both } from './customer-side.ts';
import { EspmWebUi } from './espm-web-ui.ts';
import type { MeterPermission } from './espm-web-ui.ts';
import { chromiumPath, launchHeadlessChromium } from './chromium.ts';

export interface BrowserSideOptions {
  webUrl: string;
  username: string;
  password: string;
  language: Language;
}

const SHARE_SENT: Words = { fr: 'demande de partage envoyée', en: 'sharing request sent' };
const MADE_READ_ONLY: Words = { fr: 'compteur mis en lecture seulement', en: 'meter set to Read Only' };

export function browserSide(o: BrowserSideOptions): CustomerSide {
  let browser: Browser | undefined;
  let ui: EspmWebUi | undefined;

  async function signedIn(): Promise<EspmWebUi> {
    if (ui) return ui;
    const path = chromiumPath();
    if (!existsSync(path))
      throw new Error(`Chromium not found at ${path}: apt-get install chromium, or set CHROMIUM_PATH`);
    browser = await launchHeadlessChromium(path);
    const context = await browser.newContext({
      locale: o.language === 'fr' ? 'fr-CA' : 'en-US',
      viewport: { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(30_000);
    context.setDefaultNavigationTimeout(60_000);
    const page: Page = await context.newPage();
    // ESPM confirms some changes with native dialogs; dismissing them would cancel the change.
    page.on('dialog', (d) => void d.accept().catch(() => undefined));
    ui = new EspmWebUi(page, o.webUrl);
    await ui.login(o.username, o.password);
    return ui;
  }

  async function step(
    title: Words,
    /** May give the web UI's request and answer that did the step, for the report. */
    body: (ui: EspmWebUi, shot: (t: Words) => Promise<void>) => Promise<string | void>,
  ): Promise<SideEvidence> {
    const evidence: SideEvidence = { screenshots: [], notes: [] };
    const shot = async (t: Words) => {
      if (ui) evidence.screenshots.push({ title: t, png: await ui.page.screenshot({ fullPage: true }) });
    };
    try {
      const signed = await signedIn();
      const request = await body(signed, shot);
      if (request) evidence.notes.push(both(request));
      await shot(title);
      return evidence;
    } catch (e) {
      await shot({ fr: `${title.fr} — où cela s’est arrêté`, en: `${title.en} — where it stopped` }).catch(
        () => undefined,
      );
      throw new SideStepError((e as Error).message, evidence);
    }
  }

  const meterPermissions = (property: PropertyToShare, level: AccessLevel) =>
    property.meters.map((m: MeterToShare) => ({ meterId: m.meterId, level, answers: m.answers }));

  /** The web UI shares the property at its level and each meter given at its own. */
  const shareStep = (
    title: Words,
    provider: ProviderAccount,
    property: PropertyToShare,
    propertyLevel: AccessLevel,
    meters: MeterPermission[],
  ) =>
    step(title, (u, shot) =>
      u.shareForDataExchange({
        providerUsername: provider.username,
        propertyId: property.propertyId,
        propertyName: property.name,
        propertyLevel,
        meters,
        screenshot: shot,
      }),
    );

  return {
    name: 'browser',
    patienceMs: 3 * 60_000,
    connect: (provider: ProviderAccount) =>
      step({ fr: 'demande de connexion envoyée', en: 'connection request sent' }, (u) =>
        u.sendConnectionRequest(provider.username),
      ),
    share: (provider, property, level) =>
      shareStep(SHARE_SENT, provider, property, level, meterPermissions(property, level)),
    makeReadOnly: (provider, property, meter) =>
      shareStep(MADE_READ_ONLY, provider, property, 'Read Write', [
        { meterId: meter.meterId, level: 'Read' },
      ]),
    close: async () => {
      await browser?.close();
    },
  };
}
