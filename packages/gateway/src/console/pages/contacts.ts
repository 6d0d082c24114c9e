// Contacts ESPM: the customers connected to the provider account, searchable, 50 per page.
import { formatMoment, formatNumber } from '../format.ts';
import type { Html } from '../html.ts';
import { html, query } from '../html.ts';
import { customerName } from '../labels.ts';
import type { View } from '../layout.ts';
import { badge, layout, resultsCard } from '../layout.ts';
import type { listContacts } from '../queries/contacts.ts';
import { PAGE_SIZE } from '../queries/paging.ts';

type Contacts = Awaited<ReturnType<typeof listContacts>>;

export function contactsPage(v: View, q: string, page: number, data: Contacts, locked: Set<string>): Html {
  const from = data.rows.length ? data.offset + 1 : 0;
  const to = data.offset + data.rows.length;
  const pages = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
  return layout(
    v,
    v.t('contacts.title'),
    html`<h1>${v.t('contacts.title')}</h1>
      <form class="filters" method="get" action="/contacts" role="search">
        <label
          >${v.t('contacts.searchLabel')}
          <input
            type="search"
            name="q"
            value="${q}"
            placeholder="${v.t('contacts.searchPlaceholder')}"
            autocomplete="off"
          />
        </label>
        <button type="submit">${v.t('common.search')}</button>
        ${q ? html`<a class="button secondary" href="/contacts">${v.t('common.clear')}</a>` : ''}
      </form>
      ${resultsCard(
        v,
        [
          v.t('col.name'),
          v.t('col.organization'),
          v.t('col.email'),
          v.t('col.username'),
          v.t('col.connectedAt'),
          { label: v.t('col.meters'), className: 'num' },
          v.t('col.state'),
        ],
        data.rows.map(
          (c) =>
            html`<tr>
              <td>${customerName(c)}<span class="sub mono">${c.account_id}</span></td>
              <td>${c.organization ?? ''}</td>
              <td>${c.email}</td>
              <td><a href="/compteurs${query({ account: c.account_id })}">${c.username}</a></td>
              <td class="nowrap">${formatMoment(v.lang, c.connected_at)}</td>
              <td class="num">${formatNumber(v.lang, Number(c.meters ?? 0))}</td>
              <td class="nowrap">
                ${
                  c.connection_status === 'connected'
                    ? badge(v.t('state.connected'), 'ok')
                    : badge(v.t('state.disconnected'), 'muted')
                }
                ${locked.has(c.account_id) ? html`<a href="/refus">${badge(v.t('badge.lockedOut'), 'bad')}</a>` : ''}
              </td>
            </tr>`,
        ),
        {
          from,
          to,
          total: data.total,
          first: page > 2 ? `/contacts${query({ q })}` : undefined,
          prev: page > 1 ? `/contacts${query({ q, page: page > 2 ? page - 1 : undefined })}` : undefined,
          next: page < pages ? `/contacts${query({ q, page: page + 1 })}` : undefined,
        },
      )}`,
  );
}
