// Compteurs ESPM: every meter link, filtered by status, searched by any of its numbers, keyset-paged.
import { formatDay } from '../format.ts';
import { filtersForm, labelled, searchField } from '../forms.ts';
import type { Html } from '../html.ts';
import { html, query } from '../html.ts';
import { reasonText } from '../labels.ts';
import type { Heading, View } from '../layout.ts';
import { maskProof, seesOwnershipProof } from '../ownership-proof.ts';
import { layout, resultsCard, statusBadge } from '../layout.ts';
import type { listLinks } from '../queries/meters.ts';
import { SHOWN_STATUSES } from '../../vocabulary/link-statuses.ts';
import type { ShownStatus } from '../../vocabulary/link-statuses.ts';
import { PAGE_SIZE } from '../queries/paging.ts';

type Links = Awaited<ReturnType<typeof listLinks>>;

export interface MeterListState {
  status?: ShownStatus | undefined;
  q: string;
  account?: string | undefined;
  /** How many rows come before this page (carried in the links, for the "51–100" display). */
  offset: number;
  total?: number | undefined;
  capped?: boolean | undefined;
}

export function metersPage(v: View, s: MeterListState, data: Links): Html {
  const params = { status: s.status, q: s.q || undefined, account: s.account };
  const from = data.rows.length ? s.offset + 1 : 0;
  const to = s.offset + data.rows.length;
  const href = (extra: Record<string, string | number | undefined>) =>
    `/compteurs${query({ ...params, ...extra })}`;
  const prevOffset = Math.max(0, s.offset - PAGE_SIZE);
  return layout(
    v,
    v.t('meters.title'),
    html`<h1>${v.t('meters.title')}</h1>
      ${filtersForm(v, {
        action: '/compteurs',
        fields: html`${searchField(v.t('meters.searchLabel'), {
          name: 'q',
          value: s.q,
          placeholder: v.t('meters.searchPlaceholder'),
          title: v.t('meters.searchHelp'),
          autocomplete: 'off',
        })}
        ${labelled(
          v.t('meters.statusFilter'),
          html`<select name="status">
            <option value="">${v.t('common.all')}</option>
            ${SHOWN_STATUSES.map((st) => html`<option value="${st}" ${s.status === st ? html` selected` : ''}>${v.t(`status.${st}`)}</option>`)}
          </select>`,
        )}
        ${s.account ? html`<input type="hidden" name="account" value="${s.account}" />` : ''}`,
        filtered: Boolean(s.q || s.status || s.account),
        help: v.t('meters.searchHelp'),
        exportHref: `/export/compteurs.csv${query({ status: s.status, q: s.q, account: s.account })}`,
      })}
      ${resultsCard(
        v,
        [...shareHeadings(v), v.t('col.lastSync')],
        data.rows.map(
          (l) =>
            html`<tr>
              ${shareCells(
                v,
                l,
                l.building_id
                  ? html`<td colspan="3" data-building>
                      ${v.t('meter.aggregateOf')}
                      <a class="mono" href="/batiments/${encodeURIComponent(l.building_id)}"
                        >${l.building_id}</a
                      >
                      ${l.building_name ?? ''}
                    </td>`
                  : undefined,
              )}
              <td class="nowrap">${formatDay(l.last_period_end)}</td>
            </tr>`,
        ),
        {
          from,
          to,
          total: s.total,
          totalCapped: s.capped,
          first: s.offset > 0 ? href({}) : undefined,
          prev: data.prev ? href({ before: data.prev, o: prevOffset || undefined }) : undefined,
          next: data.next ? href({ after: data.next, o: s.offset + PAGE_SIZE }) : undefined,
        },
      )}`,
  );
}

/** The columns of a share, on the meter list and in the search's answers. */
export function shareHeadings(v: View): Heading[] {
  return [
    v.t('col.espmMeter'),
    v.t('col.espmAccount'),
    v.t('col.contract'),
    v.t('col.meterNumber'),
    v.t('col.invoice'),
    v.t('col.status'),
    v.t('col.reason'),
  ];
}

/**
 * A share's cells: its ESPM meter (leading to its page) and account, what the customer typed (or what
 * stands `instead` of it), its status and why.
 */
export function shareCells(v: View, l: Links['rows'][number], instead?: Html): Html {
  return html`<td><a class="mono" href="/compteurs/${l.id}">${l.espm_meter_id}</a></td>
    <td>${l.espm_username ?? html`<span class="mono">${l.espm_account_id}</span>`}</td>
    ${
      instead ??
      html`<td class="mono">${l.account_number ?? ''}</td>
        <td class="mono">${l.meter_number ?? ''}</td>
        <td class="mono">${invoiceShown(v, l.invoice_number)}</td>`
    }
    <td>${statusBadge(v, l.superseded ? 'superseded' : l.status)}</td>
    <td>${reasonText(v, l.reason_code)}</td>`;
}

/** An accepted share's invoice number proves the account's ownership (ownership-proof.ts). */
export function invoiceShown(v: View, invoice: string | null): string {
  if (invoice === null) return '';
  return seesOwnershipProof(v.user?.role) ? invoice : maskProof(invoice);
}
