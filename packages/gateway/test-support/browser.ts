// The console's browser tests share one headless Chromium set-up: Debian's binary (CHROMIUM_PATH to
// override), the flags a CI container needs, and where screenshots go. Missing Chromium skips the
// tests on a developer's machine and fails them in CI, so that CI never passes without a browser. Also
// the page every test watches for the browser's complaints, and the sign-in through the console's form.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOTS = join(import.meta.dirname, '../../../artifacts/screenshots');

/** A describe's skip option: why the browser tests cannot run here, or false. */
export function browserSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') {
    throw new Error(
      `the console's browser tests need Chromium at ${CHROMIUM} in CI: apt-get install chromium`,
    );
  }
  return `Chromium not found at ${CHROMIUM}: apt-get install chromium`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/**
 * A page in a context of its own (1280×860 unless told), whose console errors and warnings and uncaught
 * errors are written to `problems`, which each test expects empty.
 */
export async function watchedPage(
  browser: Browser,
  problems: string[],
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await (
    await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options })
  ).newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return page;
}

/** Signs in through the console's form at `base`, no session kept from before, and waits for the home page. */
export async function signInThroughForm(
  page: Page,
  base: string,
  username: string,
  password: string,
): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${base}/connexion`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('main button[type=submit]');
  await page.waitForURL(`${base}/`);
}
