// Every selector of ESPM's Test web UI (/pmtest) in one place, so that a change of ESPM's pages is a
// change of this file alone. Sign-in, contacts and the property picker follow what a client driving the
// real /pmtest found there (dopry/portfolio-manager, 2026); the data exchange permissions screen follows
// the customer guide's (levels per property and meter, the provider's fields beside each meter). Words
// are matched in English and in French. ESPM's pages never finish loading some resources: navigation
// waits for domcontentloaded only, and the sharing request (an XHR) may take minutes.
import type { Page } from 'playwright-core';
import type { AccessLevel } from '@gaz-espm/espm';
import type { MeterAnswers } from './customer-side.ts';
import { FIELD } from '../exchange/custom-fields.ts';

const WORDS = {
  signIn: /sign in|log ?in|ouvrir une session/i,
  myPortfolio: /myportfolio|monportefeuille/i,
  addContacts: /add new contacts|ajouter de nouveaux contacts/i,
  search: /^\s*(search|rechercher)\s*$/i,
  connect: /^\s*(connect|connecter)\s*$/i,
  sendRequest: /send connection request|envoyer une demande de connexion/i,
  requestSent: /successfully sent a connection request|avez réussi à envoyer une demande de connexion/i,
  shareForExchange: /set up web services|share .*exchange data|exchanging data|échanger des données/i,
  applySelection: /apply selection|appliquer la sélection/i,
  continue: /^\s*(continue|continuer)\s*$/i,
  share: /share propert|partager la\/les propriété/i,
} as const;

const SELECTORS = {
  username: 'input[name="username"], #username',
  password: 'input[name="password"], #password',
  submit: 'input[type="submit"]',
  contactSearchUsername: '#searchContactUsername',
  agreement: 'input[id^="agreement-checkbox"]',
  providerSelect: 'select',
  selectProperties: '#buttonSelectProperties',
  propertyDialog: '#modalDialogSelectProperties',
  propertyRows: '#modalDialogSelectPropertiesTable tbody tr',
  personalizedSharing: '#bulkShare-No',
  levelRadio: (row: string, level: AccessLevel) =>
    `input[name="${row}"][value="${level === 'Read' ? 'READ_ONLY' : 'FULL_ACCESS'}"]`,
  meterRow: (meterId: string) => `tr[data-meter="${meterId}"]`,
  meterField: (name: string) => `input[data-field="${name}"]`,
  sharingXhr: /\/(sharing\/submit|wsBulkSharing\/authorizeExchange)\.json/,
} as const;

const XHR_TIMEOUT_MS = 180_000;

export interface MeterPermission {
  meterId: string;
  level: AccessLevel;
  /** Left as the page shows them when absent (a change of level only). */
  answers?: MeterAnswers;
}

export class EspmWebUiError extends Error {}

export class EspmWebUi {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  private go(path: string): Promise<unknown> {
    return this.page.goto(`${this.baseUrl.replace(/\/$/, '')}${path}`, { waitUntil: 'domcontentloaded' });
  }

  async login(username: string, password: string): Promise<void> {
    const p = this.page;
    await this.go('/login');
    await p.locator(SELECTORS.username).first().fill(username);
    await p.locator(SELECTORS.password).first().fill(password);
    await p.getByRole('button', { name: WORDS.signIn }).or(p.locator(SELECTORS.submit)).first().click();
    await p.getByRole('link', { name: WORDS.myPortfolio }).first().waitFor({ state: 'visible' });
  }

  /** Contacts → Add New Contacts → search the provider's username → Connect → agree → Send. */
  async sendConnectionRequest(providerUsername: string): Promise<void> {
    const p = this.page;
    await this.go('/contact/list');
    await p.getByRole('button', { name: WORDS.addContacts }).first().click();
    await p.locator(SELECTORS.contactSearchUsername).fill(providerUsername);
    await p.getByRole('button', { name: WORDS.search }).first().click();
    await p.waitForLoadState('domcontentloaded');
    const row = p
      .locator('tr', { hasText: providerUsername })
      .or(p.locator('li', { hasText: providerUsername }));
    if (!(await row.count()))
      throw new EspmWebUiError(
        `the contact search does not find ${providerUsername}: make the provider account searchable (Account Settings → Your Preferences)`,
      );
    await row
      .getByRole('button', { name: WORDS.connect })
      .or(row.getByRole('link', { name: WORDS.connect }))
      .first()
      .click();
    const agreement = p.locator(SELECTORS.agreement);
    if ((await agreement.count()) && (await agreement.first().isVisible())) await agreement.first().check();
    await p.getByRole('button', { name: WORDS.sendRequest }).first().click();
    await p.getByText(WORDS.requestSent).first().waitFor({ state: 'visible' });
  }

  /**
   * Sharing → Share with your utility to exchange data → the provider → Select Properties → levels per
   * property and meter ("I want to give different access levels"), the provider's fields → Share.
   */
  async shareForDataExchange(options: {
    providerUsername: string;
    propertyId: string;
    propertyName: string;
    propertyLevel: AccessLevel;
    meters: MeterPermission[];
    screenshot: (title: string) => Promise<void>;
  }): Promise<void> {
    const p = this.page;
    await this.go('/sharing');
    await p.getByRole('link', { name: WORDS.shareForExchange }).first().click();
    await p.waitForLoadState('domcontentloaded');
    const select = p.locator(SELECTORS.providerSelect).first();
    const option = select.locator('option', { hasText: options.providerUsername }).first();
    await option.waitFor({ state: 'attached' });
    await select.selectOption(
      (await option.getAttribute('value')) ?? { label: (await option.innerText()).trim() },
    );
    await p.locator(SELECTORS.selectProperties).click();
    const dialog = p.locator(SELECTORS.propertyDialog);
    await dialog.waitFor({ state: 'visible' });
    await dialog
      .locator(SELECTORS.propertyRows, { hasText: options.propertyName })
      .locator('input[type="checkbox"]')
      .first()
      .check();
    await dialog.getByText(WORDS.applySelection).first().click();
    await dialog.waitFor({ state: 'hidden' });
    await p.locator(SELECTORS.personalizedSharing).check();
    await options.screenshot('provider, property and “different access levels” chosen');
    await p.getByRole('button', { name: WORDS.continue }).first().click();
    await p.waitForLoadState('domcontentloaded');

    await p.locator(SELECTORS.levelRadio(`property-${options.propertyId}`, options.propertyLevel)).check();
    for (const m of options.meters) {
      await p.locator(SELECTORS.levelRadio(`meter-${m.meterId}`, m.level)).check();
      if (!m.answers) continue;
      const row = p.locator(SELECTORS.meterRow(m.meterId));
      await row.locator(SELECTORS.meterField(FIELD.accountNumber)).fill(m.answers.accountNumber);
      await row.locator(SELECTORS.meterField(FIELD.invoiceNumber)).fill(m.answers.invoiceNumber);
      await row.locator(SELECTORS.meterField(FIELD.meterNumber)).fill(m.answers.meterNumber);
      await row.locator(SELECTORS.meterField(FIELD.initialLoad)).fill(m.answers.initialLoad);
    }
    await options.screenshot('levels and the four fields typed');
    const answer = p.waitForResponse((r) => SELECTORS.sharingXhr.test(r.url()), { timeout: XHR_TIMEOUT_MS });
    await p.getByRole('button', { name: WORDS.share }).first().click();
    const res = await answer;
    if (res.status() !== 200)
      throw new EspmWebUiError(
        `the sharing request answered HTTP ${res.status()}: ${await res.text().catch(() => '')}`,
      );
  }
}
