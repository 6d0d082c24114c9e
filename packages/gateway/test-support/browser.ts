// The console's browser tests share one headless Chromium set-up: Debian's binary (CHROMIUM_PATH to
// override), the flags a CI container needs, and where screenshots go. Missing Chromium skips the
// tests on a developer's machine and fails them in CI, so that CI never passes without a browser.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
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
