// The customer's steps in ESPM's Test web UI, in the headless Chromium the console's tests drive, with a
// screenshot of each step for the report. The selectors are in espm-web-ui.ts.
import { existsSync } from 'node:fs';
import type { AccessLevel } from '@gaz-espm/espm';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type {
  CustomerSide,
  Language,
  MeterToShare,
  PropertyToShare,
  ProviderAccount,
  SideEvidence,
} from './customer-side.ts';
import { SideStepError } from './customer-side.ts';
import { EspmWebUi } from './espm-web-ui.ts';

export interface BrowserSideOptions {
  webUrl: string;
  username: string;
  password: string;
  language: Language;
}

/** Debian's Chromium unless CHROMIUM_PATH says where another is. */
const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browserSide(o: BrowserSideOptions): CustomerSide {
  let browser: Browser | undefined;
  let ui: EspmWebUi | undefined;

  async function signedIn(): Promise<EspmWebUi> {
    if (ui) return ui;
    const path = chromiumPath();
    if (!existsSync(path))
      throw new Error(`Chromium not found at ${path}: apt-get install chromium, or set CHROMIUM_PATH`);
    browser = await chromium.launch({
      executablePath: path,
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
    title: string,
    body: (ui: EspmWebUi, shot: (t: string) => Promise<void>) => Promise<void>,
  ): Promise<SideEvidence> {
    const evidence: SideEvidence = { screenshots: [], notes: [] };
    const shot = async (t: string) => {
      if (ui) evidence.screenshots.push({ title: t, png: await ui.page.screenshot({ fullPage: true }) });
    };
    try {
      const signed = await signedIn();
      await body(signed, shot);
      await shot(title);
      return evidence;
    } catch (e) {
      await shot(`${title} — where it stopped`).catch(() => undefined);
      throw new SideStepError((e as Error).message, evidence);
    }
  }

  const meterPermissions = (property: PropertyToShare, level: AccessLevel) =>
    property.meters.map((m: MeterToShare) => ({ meterId: m.meterId, level, answers: m.answers }));

  return {
    name: 'browser',
    patienceMs: 3 * 60_000,
    connect: (provider: ProviderAccount) =>
      step('connection request sent', (u) => u.sendConnectionRequest(provider.username)),
    share: (provider, property, level) =>
      step('sharing request sent', (u, shot) =>
        u.shareForDataExchange({
          providerUsername: provider.username,
          propertyId: property.propertyId,
          propertyName: property.name,
          propertyLevel: level,
          meters: meterPermissions(property, level),
          screenshot: shot,
        }),
      ),
    makeReadOnly: (provider, property, meter) =>
      step('meter set to Read Only', (u, shot) =>
        u.shareForDataExchange({
          providerUsername: provider.username,
          propertyId: property.propertyId,
          propertyName: property.name,
          propertyLevel: 'Read Write',
          meters: [{ meterId: meter.meterId, level: 'Read' }],
          screenshot: shot,
        }),
      ),
    close: async () => {
      await browser?.close();
    },
  };
}
