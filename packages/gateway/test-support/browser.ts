// The console's browser tests share one headless Chromium set-up, the rehearsal's (rehearsal/chromium.ts:
// Debian's binary, CHROMIUM_PATH to override, the flags a CI container needs), and where screenshots
// go. Missing Chromium skips the tests on a developer's machine and fails them in CI, so that CI never
// passes without a browser. Also the page every test watches for the browser's complaints, and the
// sign-in through the console's form.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { chromiumPath, launchHeadlessChromium } from '../src/rehearsal/chromium.ts';

const CHROMIUM = chromiumPath();

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
  return launchHeadlessChromium(CHROMIUM);
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
