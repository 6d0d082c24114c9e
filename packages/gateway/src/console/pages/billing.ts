// Import de facturation / Billing import: upload a CSV, see the row report, and the recent imports.
import { mayAct } from '../auth/operators.ts';
import { importErrorText, rejectionText } from '../billing-reasons.ts';
import { formatMoment, formatNumber } from '../format.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { code } from '../labels.ts';
import type { Heading, View } from '../layout.ts';
import { badge, bareTable, csrfField, dataTable, empty, layout, listHeading, titledCard } from '../layout.ts';
import type { importDetail, recentImports } from '../queries/billing.ts';
import type { ImportStatus } from '../../store/schema.ts';

type Imports = Awaited<ReturnType<typeof recentImports>>;
type ImportRow = NonNullable<Awaited<ReturnType<typeof importDetail>>>;

function statusBadge(v: View, status: ImportStatus): Html {
  return badge(
    code(v, 'importStatus', status),
    status === 'failed' ? 'bad' : status === 'running' ? 'info' : 'ok',
  );
}

function rejectionsTable(v: View, rows: ImportRow['rejections']): Html {
  return bareTable(
    [{ label: v.t('col.line'), className: 'num' }, v.t('col.reasonText')],
    rows.map(
      (r) =>
        html`<tr>
          <td class="num">${r.line}</td>
          <td>${rejectionText(v.lang, r.reason)}</td>
        </tr>`,
    ),
  );
}

/** The headings over countsRow's cells, in the recent imports and in an import's report. */
function countHeadings(v: View): Heading[] {
  return [
    { label: v.t('col.rowsRead'), className: 'num' },
    { label: v.t('col.rowsImported'), className: 'num' },
    { label: v.t('col.rowsUnchanged'), className: 'num' },
    { label: v.t('col.rowsReplaced'), className: 'num' },
    { label: v.t('col.rowsRejected'), className: 'num' },
  ];
}

function countsRow(v: View, i: Omit<ImportRow, 'rejections'>): Html {
  const n = (x: number) => formatNumber(v.lang, x);
  return html`<td class="num">${n(i.rows_read)}</td>
    <td class="num">${n(i.rows_imported)}</td>
    <td class="num">${n(i.rows_unchanged)}</td>
    <td class="num">${n(i.rows_replaced)}</td>
    <td class="num">${i.rows_rejected ? html`<strong>${n(i.rows_rejected)}</strong>` : '0'}</td>`;
}

export function uploadForm(v: View): Html {
  if (!mayAct(v.user?.role)) return html``;
  return html`<section class="card" aria-labelledby="h-upload">
    <h2 id="h-upload">${v.t('billing.upload')}</h2>
    <p class="help">${v.t('billing.help')}</p>
    <form method="post" action="/facturation" enctype="multipart/form-data" class="stack">
      ${csrfField(v)}
      <label
        >${v.t('billing.file')}
        <input type="file" name="file" accept=".csv,text/csv,text/plain" />
      </label>
      <label class="confirm-box"
        ><input type="checkbox" name="confirm" value="yes" /> ${v.t('confirm.checkImport')}</label
      >
      <div><button type="submit">${v.t('action.import')}</button></div>
    </form>
  </section>`;
}

export function billingPage(v: View, imports: Imports): Html {
  return layout(
    v,
    v.t('billing.title'),
    html`${listHeading(v.t('billing.title'), [['/export/facturation.csv', v.t('export.csv')]])}
    ${uploadForm(v)}
    ${titledCard(
      'h-recent',
      v.t('billing.recent'),
      'flush',
      imports.length
        ? dataTable(
            [
              v.t('col.started'),
              v.t('col.source'),
              v.t('col.file'),
              v.t('col.status'),
              ...countHeadings(v),
              v.t('col.operator'),
            ],
            imports.map(
              (i) =>
                html`<tr>
                    <td class="nowrap">
                      <a href="/facturation/${i.id}">${formatMoment(v.lang, i.started_at)}</a>
                    </td>
                    <td>${code(v, 'source', i.source)}</td>
                    <td class="mono">${i.file_name ?? ''}</td>
                    <td>${statusBadge(v, i.status)}</td>
                    ${countsRow(v, i)}
                    <td>${i.operator ?? ''}</td>
                  </tr>
                  ${
                    i.rejections.length || i.error
                      ? html`<tr class="sub-row">
                          <td></td>
                          <td colspan="9">
                            ${i.error ? html`<p class="flash error">${importErrorText(v.lang, i.error)}</p>` : ''}
                            ${
                              i.rejections.length
                                ? html`<details>
                                    <summary>
                                      ${v.t('billing.rejectionsCount', { n: formatNumber(v.lang, i.rows_rejected) })}
                                    </summary>
                                    ${rejectionsTable(v, i.rejections)}${
                                      i.rows_rejected > i.rejections.length
                                        ? html`<p>
                                            <a href="/facturation/${i.id}">${v.t('common.seeAll')}</a>
                                          </p>`
                                        : ''
                                    }
                                  </details>`
                                : ''
                            }
                          </td>
                        </tr>`
                      : ''
                  }`,
            ),
          )
        : empty(v.t('billing.noImports')),
    )}`,
  );
}

export function importPage(v: View, i: ImportRow): Html {
  return layout(
    v,
    v.t('billing.report'),
    html`<h1>
        <span class="crumb"><a href="/facturation">${v.t('billing.title')}</a> › </span
        >${v.t('billing.report')} ${statusBadge(v, i.status)}
      </h1>
      <section class="card flush">
        ${dataTable(
          [v.t('col.started'), v.t('col.source'), v.t('col.file'), ...countHeadings(v), v.t('col.operator')],
          html`<tr>
            <td class="nowrap">${formatMoment(v.lang, i.started_at)}</td>
            <td>${code(v, 'source', i.source)}</td>
            <td class="mono">${i.file_name ?? ''}</td>
            ${countsRow(v, i)}
            <td>${i.operator ?? ''}</td>
          </tr>`,
        )}
        ${i.error ? html`<p class="flash error pad">${v.t('billing.error')} : ${importErrorText(v.lang, i.error)}</p>` : ''}
      </section>
      ${
        i.rejections.length
          ? html`<section class="card flush" aria-labelledby="h-rej">
              <h2 id="h-rej">${v.t('billing.rejections')}</h2>
              <div class="table-wrap">${rejectionsTable(v, i.rejections)}</div>
            </section>`
          : ''
      }
      ${uploadForm(v)}`,
  );
}
