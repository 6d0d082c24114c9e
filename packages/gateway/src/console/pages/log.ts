// Journal de passerelle / Gateway log: newest first, filtered by service and status.
import type { ServiceName } from '../../vocabulary/gateway-events.ts';
import { serviceName } from '../i18n/index.ts';
import { formatMoment } from '../format.ts';
import { filtersForm, inputField, labelled, searchField } from '../forms.ts';
import type { Html } from '../html.ts';
import { html, query } from '../html.ts';
import { logDetails, logResult } from '../labels.ts';
import type { View } from '../layout.ts';
import { layout, logStatusBadge, resultsCard } from '../layout.ts';
import type { listLog, LogFilter } from '../queries/log.ts';
import { PAGE_SIZE } from '../queries/paging.ts';

type LogPage = Awaited<ReturnType<typeof listLog>>;

export interface LogState extends LogFilter {
  offset: number;
}

/** Subjects that are ESPM meter ids lead to the meter list searched by that id. */
const METER_SERVICES = new Set([
  'MeterConnectionManager',
  'ConsumptionUpdater',
  'NotificationWatcher',
  'Operator',
]);

export function logPage(v: View, s: LogState, services: ServiceName[], data: LogPage): Html {
  const params = {
    service: s.service,
    status: s.status,
    compteur: s.meter,
    compte: s.account,
    q: s.text,
    du: s.from,
    au: s.to,
  };
  const filtered = Object.values(params).some((x) => x !== undefined);
  const href = (extra: Record<string, string | number | undefined>) =>
    `/journal${query({ ...params, ...extra })}`;
  const from = data.rows.length ? s.offset + 1 : 0;
  const textBoxes = [
    ['log.meter', 'compteur', s.meter, 100],
    ['log.account', 'compte', s.account, 100],
    ['log.text', 'q', s.text, 200],
  ] as const;
  const dayBoxes = [
    ['log.from', 'du', s.from],
    ['log.to', 'au', s.to],
  ] as const;
  return layout(
    v,
    v.t('nav.log'),
    html`<h1>${v.t('nav.log')}</h1>
      ${filtersForm(v, {
        action: '/journal',
        fields: html`${labelled(
          v.t('col.service'),
          html`<select name="service">
            <option value="">${v.t('common.all')}</option>
            ${services.map((x) => html`<option value="${x}" ${s.service === x ? html` selected` : ''}>${serviceName(v.lang, x)}</option>`)}
          </select>`,
        )}
        ${labelled(
          v.t('col.status'),
          html`<select name="status">
            <option value="">${v.t('common.all')}</option>
            <option value="done" ${s.status === 'done' ? html` selected` : ''}>
              ${v.t('logStatus.done')}
            </option>
            <option value="error" ${s.status === 'error' ? html` selected` : ''}>
              ${v.t('logStatus.error')}
            </option>
          </select>`,
        )}
        ${textBoxes.map(([label, name, value, maxlength]) =>
          searchField(v.t(label), { name, value: value ?? '', maxlength, autocomplete: 'off' }),
        )}
        ${dayBoxes.map(([label, name, value]) => inputField(v.t(label), { type: 'date', name, value: value ?? '' }))}`,
        filtered,
        exportHref: `/export/journal.csv${query(params)}`,
      })}
      ${resultsCard(
        v,
        [v.t('col.date'), v.t('col.service'), v.t('col.result'), v.t('col.status'), v.t('col.operator')],
        data.rows.map((r) => {
          const result = logResult(v, r.subject, r.event);
          const details = logDetails(v, r.event);
          const subjectLinked =
            r.subject && METER_SERVICES.has(r.service) && /^\d+$/.test(r.subject)
              ? html`<a href="/compteurs${query({ q: r.subject })}">${result}</a>`
              : result;
          return html`<tr>
            <td class="nowrap">${formatMoment(v.lang, r.at)}</td>
            <td>${serviceName(v.lang, r.service)}</td>
            <td>
              ${subjectLinked}${
                details === ''
                  ? ''
                  : r.status === 'error'
                    ? html`<details>
                        <summary>${v.t('common.details')}</summary>
                        <pre>${details}</pre>
                      </details>`
                    : html`<span class="sub">${details}</span>`
              }
            </td>
            <td>${logStatusBadge(v, r.status)}</td>
            <td>${r.operator ?? ''}</td>
          </tr>`;
        }),
        {
          from,
          to: s.offset + data.rows.length,
          first: s.offset > 0 ? href({}) : undefined,
          prev: data.prev
            ? href({ before: data.prev, o: Math.max(0, s.offset - PAGE_SIZE) || undefined })
            : undefined,
          next: data.next ? href({ after: data.next, o: s.offset + PAGE_SIZE }) : undefined,
        },
      )}`,
  );
}
