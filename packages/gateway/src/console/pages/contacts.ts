// Contacts ESPM: the customers connected to the provider account, searchable, 50 per page.
import { formatMoment, formatNumber } from '../format.ts';
import { filtersForm, searchField } from '../forms.ts';
import type { Html } from '../html.ts';
import { html, query } from '../html.ts';
import { customerName } from '../labels.ts';
import type { Heading, View } from '../layout.ts';
import { badge, layout, resultsCard } from '../layout.ts';
import type { listContacts } from '../queries/contacts.ts';
import { PAGE_SIZE } from '../queries/paging.ts';

type Contacts = Awaited<ReturnType<typeof listContacts>>;

export function contactsPage(
  v: View,
  s: { q: string; offset: number },
  data: Contacts,
  locked: Set<string>,
): Html {
  const { q, offset } = s;
  const from = data.rows.length ? offset + 1 : 0;
  const to = offset + data.rows.length;
  const href = (p: { after?: string; before?: string; o?: number | undefined }) =>
    `/contacts${query({ q: q || undefined, ...p })}`;
  return layout(
    v,
    v.t('contacts.title'),
    html`<h1>${v.t('contacts.title')}</h1>
      ${filtersForm(v, {
        action: '/contacts',
        fields: searchField(v.t('contacts.searchLabel'), {
          name: 'q',
          value: q,
          placeholder: v.t('contacts.searchPlaceholder'),
          autocomplete: 'off',
        }),
        filtered: q !== '',
        exportHref: `/export/contacts.csv${query({ q: q || undefined })}`,
      })}
      ${resultsCard(
        v,
        [
          ...customerHeadings(v),
          v.t('col.connectedAt'),
          { label: v.t('col.meters'), className: 'num' },
          v.t('col.state'),
        ],
        data.rows.map(
          (c) =>
            html`<tr>
              ${customerCells(c)}
              <td class="nowrap">${formatMoment(v.lang, c.connected_at)}</td>
              <td class="num">${formatNumber(v.lang, Number(c.meters ?? 0))}</td>
              <td class="nowrap">
                ${connectionBadge(v, c)}
                ${locked.has(c.account_id) ? html`<a href="/refus">${badge(v.t('badge.lockedOut'), 'bad')}</a>` : ''}
              </td>
            </tr>`,
        ),
        {
          from,
          to,
          total: data.total,
          first: offset > 0 ? href({}) : undefined,
          prev: data.prev
            ? href({ before: data.prev, o: Math.max(0, offset - PAGE_SIZE) || undefined })
            : undefined,
          next: data.next ? href({ after: data.next, o: offset + PAGE_SIZE }) : undefined,
        },
      )}`,
  );
}

/** The columns naming a customer, on the contacts list and in the search's answers. */
export function customerHeadings(v: View): Heading[] {
  return [v.t('col.name'), v.t('col.organization'), v.t('col.email'), v.t('col.username')];
}

/** A customer's name (and ESPM account), organization, e-mail, and username leading to its meters. */
export function customerCells(c: Contacts['rows'][number]): Html {
  return html`<td>${customerName(c)}<span class="sub mono">${c.account_id}</span></td>
    <td>${c.organization ?? ''}</td>
    <td>${c.email}</td>
    <td><a href="/compteurs${query({ account: c.account_id })}">${c.username}</a></td>`;
}

export function connectionBadge(v: View, c: Contacts['rows'][number]): Html {
  return c.connection_status === 'connected'
    ? badge(v.t('state.connected'), 'ok')
    : badge(v.t('state.disconnected'), 'muted');
}
