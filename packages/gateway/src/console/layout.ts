// The page frame (header, navigation, language switch, flash message) and small parts every page uses.
import type { ConsoleFlash, OperatorRole } from '../store/schema.ts';
import type { Html, Interpolation } from './html.ts';
import { html, join, query } from './html.ts';
import type { Lang, MessageKey, Params, Translate } from './i18n/index.ts';
import { isMessageKey, translator } from './i18n/index.ts';

/** What a page needs to know about the request it answers. */
export interface View {
  lang: Lang;
  t: Translate;
  /** The request's path and query, for the language switch and sign-in redirects. */
  url: string;
  user?: { username: string; displayName: string; role: OperatorRole; csrf: string };
  flash?: ConsoleFlash | null;
}

export function makeView(lang: Lang, url: string, user?: View['user'], flash?: ConsoleFlash | null): View {
  return { lang, t: translator(lang), url, ...(user ? { user } : {}), ...(flash ? { flash } : {}) };
}

export const ASSET_VERSION = '3';

/** Managing operators, in the navigation of administrators only. */
const ADMIN_NAV: [string, MessageKey] = ['/operateurs', 'nav.operators'];

const NAV: Array<[string, MessageKey]> = [
  ['/', 'nav.home'],
  ['/contacts', 'nav.contacts'],
  ['/compteurs', 'nav.meters'],
  ['/journal', 'nav.log'],
  ['/refus', 'nav.rejections'],
  ['/comptes', 'nav.accounts'],
  ['/facturation', 'nav.billing'],
  ['/batiments', 'nav.buildings'],
  ['/tendances', 'nav.trends'],
];

function activeSection(url: string): string {
  const path = url.split('?')[0] ?? '/';
  if (path === '/') return '/';
  return (
    [...NAV, ADMIN_NAV].find(
      ([href]) => href !== '/' && (path === href || path.startsWith(`${href}/`)),
    )?.[0] ?? ''
  );
}

function flashText(v: View, flash: ConsoleFlash): string {
  return isMessageKey(flash.key) ? v.t(flash.key, flash.params as Params | undefined) : flash.key;
}

export function languageSwitch(v: View): Html {
  const link = (lang: Lang, label: string) =>
    v.lang === lang
      ? html`<strong aria-current="true" lang="${lang}">${label}</strong>`
      : html`<a href="/langue/${lang}${query({ next: v.url })}" lang="${lang}" hreflang="${lang}"
          >${label}</a
        >`;
  return html`<span class="lang" aria-label="${v.t('nav.language')}"
    >${link('fr', 'FR')}<span aria-hidden="true">|</span>${link('en', 'EN')}</span
  >`;
}

export function csrfField(v: View): Html {
  return html`<input type="hidden" name="_csrf" value="${v.user?.csrf ?? ''}" />`;
}

/**
 * The box that searches everything (/recherche): in the top bar, and atop the search page with what
 * was searched.
 */
export function searchBox(v: View, box: { id: string; q?: string; button?: 'secondary' }): Html {
  return html`<form class="search-box" method="get" action="/recherche" role="search">
    <label for="${box.id}" class="visually-hidden">${v.t('search.label')}</label>
    <input
      id="${box.id}"
      type="search"
      name="q"
      ${box.q === undefined ? '' : html`value="${box.q}"`}
      maxlength="200"
      autocomplete="off"
      placeholder="${v.t('search.placeholder')}"
    />
    <button type="submit" ${box.button ? html`class="${box.button}"` : ''}>${v.t('common.search')}</button>
  </form>`;
}

export function layout(v: View, title: string, body: Interpolation): Html {
  const section = activeSection(v.url);
  return html`<!doctype html>
    <html lang="${v.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${v.t('app.title')}</title>
        <link rel="icon" href="/favicon.ico" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/console.css?v=${ASSET_VERSION}" />
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/"
            ><span class="mark" aria-hidden="true"></span><span>${v.t('app.title')}</span
            ><small>${v.t('app.subtitle')}</small></a
          >
          <div class="tools">
            ${v.user ? searchBox(v, { id: 'top-search', button: 'secondary' }) : ''}
            ${
              v.user
                ? html`<span class="who"
                    >${v.user.displayName} <span class="role">${v.t(`role.${v.user.role}`)}</span></span
                  >`
                : ''
            }
            ${languageSwitch(v)}
            ${
              v.user
                ? html`<form method="post" action="/deconnexion" class="inline">
                    ${csrfField(v)}<button type="submit" class="linkish">${v.t('nav.signOut')}</button>
                  </form>`
                : ''
            }
          </div>
        </header>
        ${
          v.user
            ? html`<nav class="tabs" aria-label="${v.t('nav.main')}">
                ${[...NAV, ...(v.user.role === 'admin' ? [ADMIN_NAV] : [])].map(
                  ([href, key]) =>
                    html`<a
                      href="${href}"
                      ${section === href ? html` class="active" aria-current="page"` : ''}
                      >${v.t(key)}</a
                    >`,
                )}
              </nav>`
            : ''
        }
        <main>
          ${v.flash ? html`<p class="flash ${v.flash.kind}" role="status">${flashText(v, v.flash)}</p>` : ''}
          ${body}
        </main>
      </body>
    </html>`;
}

export type BadgeTone = 'ok' | 'bad' | 'warn' | 'muted' | 'info';

export function badge(text: string, tone: BadgeTone): Html {
  return html`<span class="badge ${tone}">${text}</span>`;
}

const STATUS_TONE: Record<string, BadgeTone> = {
  accepted: 'ok',
  rejected: 'bad',
  conflict: 'warn',
  paused: 'warn',
  revoked: 'muted',
  pending: 'info',
};

export function statusBadge(v: View, status: string): Html {
  const key = `status.${status}`;
  return badge(isMessageKey(key) ? v.t(key) : status, STATUS_TONE[status] ?? 'muted');
}

export function logStatusBadge(v: View, status: string): Html {
  const key = `logStatus.${status}`;
  return badge(isMessageKey(key) ? v.t(key) : status, status === 'error' ? 'bad' : 'ok');
}

/** A definition list of label/value rows; empty values show a dash. */
export function facts(rows: Array<[string, Interpolation]>): Html {
  return html`<dl class="facts">
    ${rows.map(
      ([label, value]) =>
        html`<dt>${label}</dt>
          <dd>
            ${value === '' || value === null || value === undefined ? html`<span class="dim">—</span>` : value}
          </dd>`,
    )}
  </dl>`;
}

export function empty(text: string): Html {
  return html`<p class="empty">${text}</p>`;
}

export interface PageLinks {
  from: number;
  to: number;
  total?: number | undefined;
  totalCapped?: boolean | undefined;
  first?: string | undefined;
  prev?: string | undefined;
  next?: string | undefined;
}

/** "1–50 of 100,000" and the links to the first, previous and next pages (hrefs built by the caller). */
export function pager(v: View, page: PageLinks): Html {
  const locale = v.lang === 'fr' ? 'fr-CA' : 'en-CA';
  const count =
    page.to === 0
      ? ''
      : page.total === undefined
        ? `${page.from.toLocaleString(locale)}–${page.to.toLocaleString(locale)}`
        : v.t(page.totalCapped ? 'common.showingMore' : 'common.showing', {
            from: page.from.toLocaleString(locale),
            to: page.to.toLocaleString(locale),
            total: page.total.toLocaleString(locale),
          });
  return html`<nav class="pager" aria-label="${v.t('common.pagination')}">
    <span class="count">${count}</span>
    <span class="links">
      ${page.first ? html`<a href="${page.first}">${v.t('common.first')}</a>` : ''}
      ${page.prev ? html`<a rel="prev" href="${page.prev}">${v.t('common.previous')}</a>` : ''}
      ${page.next ? html`<a rel="next" href="${page.next}">${v.t('common.next')}</a>` : ''}
    </span>
  </nav>`;
}

/** A column heading: its label, with a class where the column needs one (`num` right-aligns numbers). */
export type Heading = string | { label: string; className: string };

function headingCell(h: Heading): Html {
  return typeof h === 'string' ? html`<th>${h}</th>` : html`<th class="${h.className}">${h.label}</th>`;
}

/** A table without the scrolling frame, for one that sits inside another table's row. */
export function bareTable(headings: Heading[], rows: Interpolation): Html {
  return html`<table>
    <thead>
      <tr>
        ${headings.map(headingCell)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** A table in the frame that scrolls it sideways on a narrow screen. */
export function dataTable(headings: Heading[], rows: Interpolation): Html {
  return html`<div class="table-wrap">${bareTable(headings, rows)}</div>`;
}

/** A list page's title, and the CSV downloads of what it lists: [href, label] each. */
export function listHeading(title: string, downloads: Array<[string, string]>): Html {
  return html`<h1>${title}</h1>
    <p class="exports">
      ${join(
        downloads.map(
          ([href, label]) => html`<a class="button secondary export" href="${href}">${label}</a>`,
        ),
        '\n',
      )}
    </p>`;
}

/** A card titled by its heading, which names it for assistive technology; `classes` add to `card`. */
export function titledCard(id: string, title: string, classes: string, body: Interpolation): Html {
  return html`<section class="card ${classes}" aria-labelledby="${id}">
    <h2 id="${id}">${title}</h2>
    ${body}
  </section>`;
}

/** A list page's results: the table and its pager, or "no results" when the filters match nothing. */
export function resultsCard(v: View, headings: Heading[], rows: Html[], page: PageLinks): Html {
  return html`<section class="card flush">
    ${rows.length ? html`${dataTable(headings, rows)} ${pager(v, page)}` : empty(v.t('common.noResults'))}
  </section>`;
}
