// The headless Chromium the rehearsal's customer side drives, and the console's browser tests with it:
// Debian's binary unless CHROMIUM_PATH names another, with the flags a container without a sandbox, a
// GPU or a large /dev/shm needs, and nothing that reaches out to Google on its own.
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchHeadlessChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
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
