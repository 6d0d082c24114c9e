// The console served on a local port to a watched page of headless Chromium (browser.ts), and the steps
// its browser tests share: signing in through the form, following a tab, submitting a form and waiting
// for the page it leads to, reading the flash message, taking a full-page screenshot.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { HttpDeps } from '../src/http/server.ts';
import { buildHttpServer } from '../src/http/server.ts';
import type { Scheduler } from '../src/jobs/scheduler.ts';
import { launchChromium, SCREENSHOTS, signInThroughForm, watchedPage } from './browser.ts';
import { TEST_PASSWORD } from './console-gateway.ts';

/** A scheduler that runs nothing: the console's pages are under test, not the queues' services. */
const IDLE_SCHEDULER: Scheduler = { trigger: async () => {}, stop: async () => {} };

export class ConsoleBrowser {
  /** The browser's complaints (watchedPage), which each test expects empty. */
  readonly problems: string[] = [];
  base = '';
  browser!: Browser;
  page!: Page;
  private app: FastifyInstance | undefined;

  /** Screenshots are named `${shotPrefix}-${name}.png`. */
  constructor(private readonly shotPrefix: string) {}

  /** Serves the console (with a scheduler that runs nothing unless given one) and opens the page. */
  async open(
    deps: Omit<HttpDeps, 'scheduler'> & { scheduler?: Scheduler },
    pageOptions?: BrowserContextOptions,
  ): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    this.browser = await launchChromium();
    this.app = await buildHttpServer({ scheduler: IDLE_SCHEDULER, ...deps });
    await this.app.listen({ host: '127.0.0.1', port: 0 });
    this.base = `http://127.0.0.1:${(this.app.server.address() as AddressInfo).port}`;
    this.page = await watchedPage(this.browser, this.problems, pageOptions);
  }

  async close(): Promise<void> {
    // After an open that failed part-way, as well.
    await this.browser?.close();
    await this.app?.close();
  }

  readonly shot = (name: string) =>
    this.page.screenshot({ path: join(SCREENSHOTS, `${this.shotPrefix}-${name}.png`), fullPage: true });

  /** Clicks a submit button and waits for the page it leads to. */
  readonly submit = async (selector: string): Promise<void> => {
    await Promise.all([this.page.waitForNavigation(), this.page.click(selector)]);
  };

  readonly flash = async (): Promise<string> =>
    (await this.page.locator('.flash').first().textContent())?.trim() ?? '';

  /** Follows the navigation's tab to `href`; the heading of the page it opens. */
  readonly tab = async (href: string): Promise<string | null> => {
    await this.page.click(`nav.tabs a[href="${href}"]`);
    return this.page.locator('h1').textContent();
  };

  readonly signIn = (username: string, password = TEST_PASSWORD): Promise<void> =>
    signInThroughForm(this.page, this.base, username, password);
}
