// Recherche: one box for anything a caller or a colleague reads out, with what it names by kind.
import { formatNumber } from '../format.ts';
import type { Html } from '../html.ts';
import { html, query } from '../html.ts';
import { customerName, reasonText } from '../labels.ts';
import type { View } from '../layout.ts';
import { badge, csrfField, dataTable, empty, layout, searchBox, statusBadge } from '../layout.ts';
import type { SearchResults } from '../queries/search.ts';
import { SEARCH_LIMIT } from '../queries/search.ts';
import { invoiceShown } from './meters.ts';

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
            [
              v.t('col.name'),
              v.t('col.organization'),
              v.t('col.email'),
              v.t('col.username'),
              { label: v.t('col.meters'), className: 'num' },
              v.t('col.state'),
            ],
            r.customers.map(
              (c) =>
                html`<tr>
                  <td>${customerName(c)}<span class="sub mono">${c.account_id}</span></td>
                  <td>${c.organization ?? ''}</td>
                  <td>${c.email}</td>
                  <td><a href="/compteurs${query({ account: c.account_id })}">${c.username}</a></td>
                  <td class="num">${formatNumber(v.lang, Number(c.meters ?? 0))}</td>
                  <td>
                    ${
                      c.connection_status === 'connected'
                        ? badge(v.t('state.connected'), 'ok')
                        : badge(v.t('state.disconnected'), 'muted')
                    }
                  </td>
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
            [
              v.t('col.espmMeter'),
              v.t('col.espmAccount'),
              v.t('col.contract'),
              v.t('col.meterNumber'),
              v.t('col.invoice'),
              v.t('col.status'),
              v.t('col.reason'),
            ],
            r.shares.map(
              (l) =>
                html`<tr>
                  <td><a class="mono" href="/compteurs/${l.id}">${l.espm_meter_id}</a></td>
                  <td>${l.espm_username ?? html`<span class="mono">${l.espm_account_id}</span>`}</td>
                  <td class="mono">${l.account_number ?? ''}</td>
                  <td class="mono">${l.meter_number ?? ''}</td>
                  <td class="mono">${invoiceShown(v, l.invoice_number)}</td>
                  <td>${statusBadge(v, l.superseded ? 'superseded' : l.status)}</td>
                  <td>${reasonText(v, l.reason_code)}</td>
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
