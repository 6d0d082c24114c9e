// Recherche: one box for anything a caller or a colleague reads out, with what it names by kind.
import { formatNumber } from '../format.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import type { View } from '../layout.ts';
import { csrfField, dataTable, empty, layout, searchBox } from '../layout.ts';
import type { SearchResults } from '../queries/search.ts';
import { SEARCH_LIMIT } from '../queries/search.ts';
import { connectionBadge, customerCells, customerHeadings } from './contacts.ts';
import { shareCells, shareHeadings } from './meters.ts';

export function searchPage(v: View, r: SearchResults | undefined): Html {
  const nothing =
    r && !r.account && !r.customers.length && !r.shares.length && !r.buildings.length && !r.premises.length;
  return layout(
    v,
    v.t('search.title'),
    html`<h1>${v.t('search.title')}</h1>
      <p class="help">${v.t('search.help')}</p>
      ${searchBox(v, { id: 'search-page', q: r?.q ?? '' })}
      ${r && nothing ? html`<section class="card">${empty(v.t('search.nothing', { q: r.q }))}</section>` : ''}
      ${r && !nothing ? results(v, r) : ''}`,
  );
}

function section(v: View, id: string, title: string, n: number, body: Html): Html {
  return html`<section class="card flush" aria-labelledby="${id}">
    <h2 id="${id}">
      ${title} <span class="count">${formatNumber(v.lang, n)}${n >= SEARCH_LIMIT ? '+' : ''}</span>
    </h2>
    ${body}
  </section>`;
}

function results(v: View, r: SearchResults): Html {
  return html`${
    r.account
      ? html`<section class="card" aria-labelledby="h-s-account">
          <h2 id="h-s-account">${v.t('search.account')}</h2>
          <form method="post" action="/comptes" class="inline">
            ${csrfField(v)}<input type="hidden" name="compte" value="${r.account.accountNumber}" />
            ${v.t(`accounts.foundBy.${r.account.foundBy}`, { account: r.account.accountNumber })}
            <button type="submit">${v.t('accounts.lookUp')}</button>
          </form>
        </section>`
      : ''
  }
  ${
    r.customers.length
      ? section(
          v,
          'h-s-customers',
          v.t('search.customers'),
          r.customers.length,
          dataTable(
            [...customerHeadings(v), { label: v.t('col.meters'), className: 'num' }, v.t('col.state')],
            r.customers.map(
              (c) =>
                html`<tr>
                  ${customerCells(c)}
                  <td class="num">${formatNumber(v.lang, Number(c.meters ?? 0))}</td>
                  <td>${connectionBadge(v, c)}</td>
                </tr>`,
            ),
          ),
        )
      : ''
  }
  ${
    r.shares.length
      ? section(
          v,
          'h-s-shares',
          v.t('search.shares'),
          r.shares.length,
          dataTable(
            shareHeadings(v),
            r.shares.map(
              (l) =>
                html`<tr>
                  ${shareCells(v, l)}
                </tr>`,
            ),
          ),
        )
      : ''
  }
  ${
    r.buildings.length || r.premises.length
      ? section(
          v,
          'h-s-buildings',
          v.t('search.buildings'),
          r.buildings.length + r.premises.length,
          dataTable(
            [v.t('search.building'), v.t('search.premise'), v.t('search.address')],
            [
              ...r.buildings.map(
                (b) =>
                  html`<tr>
                    <td>
                      <a href="/batiments/${encodeURIComponent(b.building_id)}">${b.building_id}</a> ${b.name}
                    </td>
                    <td></td>
                    <td></td>
                  </tr>`,
              ),
              ...r.premises.map(
                (p) =>
                  html`<tr>
                    <td>
                      ${
                        p.buildingId
                          ? html`<a href="/batiments/${encodeURIComponent(p.buildingId)}">${p.buildingId}</a>`
                          : html`<span class="dim">${v.t('search.noBuilding')}</span>`
                      }
                    </td>
                    <td class="mono">${p.premiseId}</td>
                    <td>${p.serviceAddress ?? ''}</td>
                  </tr>`,
              ),
            ],
          ),
        )
      : ''
  }`;
}
