// Accueil / Home: the gateway at a glance and what needs an operator.
import { serviceName } from '../i18n/index.ts';
import { mayAct } from '../auth/operators.ts';
import { formatDay, formatMoment, formatNumber } from '../format.ts';
import type { Html } from '../html.ts';
import { html, query } from '../html.ts';
import { queueOfService } from '../../jobs/queues.ts';
import { importErrorText } from '../billing-reasons.ts';
import { code, logResult, notice } from '../labels.ts';
import type { View } from '../layout.ts';
import { badge, dataTable, empty, layout, logStatusBadge, statusBadge, titledCard } from '../layout.ts';
import type { homeData } from '../queries/home.ts';
import { SHOWN_STATUSES } from '../../vocabulary/link-statuses.ts';

type HomeData = Awaited<ReturnType<typeof homeData>>;

export function homePage(v: View, d: HomeData): Html {
  const n = (x: number) => formatNumber(v.lang, x);
  // Meters shared: a rejection superseded by a later share of the same ESPM meter is no meter of its own.
  const totalLinks = Object.entries(d.statusCounts).reduce(
    (a, [s, n]) => (s === 'superseded' ? a : a + n),
    0,
  );
  const canAct = mayAct(v.user?.role);
  return layout(
    v,
    v.t('home.title'),
    html`<h1>${v.t('home.title')}</h1>
      <div class="grid">
        <section class="card span-3 kpi" aria-labelledby="kpi-customers">
          <a class="value" href="/contacts">${n(d.connectedCustomers)}</a>
          <span class="label" id="kpi-customers">${v.t('home.customers')}</span>
        </section>
        <section class="card span-3 kpi" aria-labelledby="kpi-links">
          <a class="value" href="/compteurs">${n(totalLinks)}</a>
          <span class="label" id="kpi-links">${v.t('home.metersTotal')}</span>
        </section>
        <section class="card span-3 kpi" aria-labelledby="kpi-conflicts">
          <a class="value" href="/compteurs?status=conflict">${n(d.statusCounts.conflict)}</a>
          <span class="label" id="kpi-conflicts">${v.t('home.conflicts')}</span>
        </section>
        <section class="card span-3 kpi" aria-labelledby="kpi-locked">
          <a class="value" href="/refus">${n(d.lockedOut)}</a>
          <span class="label" id="kpi-locked">${v.t('home.lockedOut')}</span>
        </section>

        <section class="card span-12" aria-labelledby="h-status">
          <h2 id="h-status">${v.t('home.meters')}</h2>
          <div class="statusbar">
            ${SHOWN_STATUSES.map(
              (s) =>
                html`<a href="/compteurs${query({ status: s })}"
                  >${statusBadge(v, s)} <span class="n">${n(d.statusCounts[s])}</span></a
                >`,
            )}
          </div>
        </section>

        ${titledCard(
          'h-services',
          v.t('home.services'),
          'flush span-7',
          dataTable(
            [
              v.t('col.service'),
              v.t('col.date'),
              v.t('col.result'),
              v.t('col.status'),
              // The "run now" buttons' column has no heading.
              ...(canAct ? [''] : []),
            ],
            d.services.map((s, i) => {
              const queue = queueOfService(s.service);
              // One button per queue, beside all the services it runs (a queue runs several).
              const firstOfQueue =
                queue && d.services.findIndex((x) => queueOfService(x.service) === queue) === i;
              const rows = d.services.filter((x) => queue && queueOfService(x.service) === queue).length;
              return html`<tr>
                <td>
                  <a href="/journal${query({ service: s.service })}">${serviceName(v.lang, s.service)}</a>
                </td>
                <td class="nowrap">
                  ${s.at ? formatMoment(v.lang, s.at) : html`<span class="dim">${v.t('home.noActivity')}</span>`}
                </td>
                <td>${s.event ? logResult(v, s.subject, s.event) : ''}</td>
                <td>${s.status ? logStatusBadge(v, s.status) : ''}</td>
                ${
                  !canAct
                    ? ''
                    : !queue
                      ? html`<td></td>`
                      : firstOfQueue
                        ? html`<td class="num" rowspan="${rows}">
                            <a class="button small secondary" href="/services/${queue}/relancer"
                              >${v.t('home.runNow')}</a
                            >
                          </td>`
                        : ''
                }
              </tr>`;
            }),
          ),
        )}

        <section class="card span-5" aria-labelledby="h-billing">
          <h2 id="h-billing">${v.t('home.billing')}</h2>
          ${billingCard(v, d)}
        </section>

        <section class="card flush span-12" aria-labelledby="h-attention">
          <h2 id="h-attention">${v.t('home.attention')}</h2>
          <div class="grid tight">
            <div class="span-4">
              <h3 class="pad">${v.t('home.recentErrors')}</h3>
              ${
                d.recentErrors.length
                  ? html`<table>
                        <tbody>
                          ${d.recentErrors.map(
                            (e) =>
                              html`<tr>
                                <td class="nowrap">${formatMoment(v.lang, e.at)}</td>
                                <td>
                                  ${serviceName(v.lang, e.service)}<span class="sub"
                                    >${logResult(v, e.subject, e.event)}</span
                                  >
                                </td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>
                      <p class="pad"><a href="/journal?status=error">${v.t('common.seeAll')}</a></p>`
                  : empty(v.t('home.nothing'))
              }
            </div>
            <div class="span-4">
              <h3 class="pad">${v.t('home.conflicts')}</h3>
              ${
                d.conflicts.length
                  ? html`<table>
                        <tbody>
                          ${d.conflicts.map(
                            (l) =>
                              html`<tr>
                                <td><a href="/compteurs/${l.id}" class="mono">${l.espm_meter_id}</a></td>
                                <td>
                                  ${l.espm_username ?? ''}<span class="sub mono"
                                    >${l.account_number ?? ''} · ${l.meter_number ?? ''}</span
                                  >
                                </td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>
                      <p class="pad"><a href="/compteurs?status=conflict">${v.t('common.seeAll')}</a></p>`
                  : empty(v.t('home.nothing'))
              }
            </div>
            <div class="span-4">
              <h3 class="pad">${v.t('home.notices')}</h3>
              ${
                d.notices.length
                  ? html`<table>
                      <tbody>
                        ${d.notices.map(
                          (l) =>
                            html`<tr>
                              <td><a href="/compteurs/${l.id}" class="mono">${l.espm_meter_id}</a></td>
                              <td>${notice(v, l.notice)}</td>
                            </tr>`,
                        )}
                      </tbody>
                    </table>`
                  : empty(v.t('home.nothing'))
              }
            </div>
          </div>
        </section>
      </div>`,
  );
}

/** How long ago, in the largest whole unit: 3 j, 5 h, 12 min. */
function age(v: View, from: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  const amount =
    minutes >= 2 * 24 * 60
      ? v.t('home.ageDays', { n: Math.floor(minutes / (24 * 60)) })
      : minutes >= 120
        ? v.t('home.ageHours', { n: Math.floor(minutes / 60) })
        : v.t('home.ageMinutes', { n: minutes });
  return v.t('home.age', { age: amount });
}

/** The billing data's freshness: the last import that stored rows, the data's age, the last failure. */
function billingCard(v: View, d: HomeData): Html {
  const n = (x: number) => formatNumber(v.lang, x);
  const imp = d.lastImport;
  const failure = d.lastFailure;
  const failedSince = failure && (!imp || failure.id > imp.id);
  const source = (i: NonNullable<HomeData['lastImport']>) =>
    html`<span class="sub dim"
      >${code(v, 'source', i.source)}${i.file_name ? html` · <span class="mono">${i.file_name}</span>` : ''}${i.operator ? ` · ${i.operator}` : ''}</span
    >`;
  const latestEnd = d.latestPeriodEnd;
  return html`<dl class="facts">
    <dt>${v.t('home.lastImport')}</dt>
    <dd>
      ${
        imp
          ? html`<a href="/facturation/${imp.id}"
                >${imp.status === 'running' ? v.t('home.running', { at: formatMoment(v.lang, imp.started_at) }) : formatMoment(v.lang, imp.finished_at ?? imp.started_at)}</a
              >
              ${imp.status === 'done' ? html`<span class="dim">(${age(v, imp.finished_at ?? imp.started_at, d.now)})</span>` : ''}
              ${source(imp)}
              <span class="sub"
                >${v.t('home.importCounts', { read: n(imp.rows_read), imported: n(imp.rows_imported), unchanged: n(imp.rows_unchanged), rejected: n(imp.rows_rejected) })}</span
              >`
          : html`<span class="dim">${v.t('home.noImport')}</span>`
      }
    </dd>
    <dt>${v.t('home.latestPeriod')}</dt>
    <dd>
      ${latestEnd ? html`${formatDay(latestEnd)} <span class="dim">(${age(v, new Date(`${latestEnd}T00:00:00Z`), d.now)})</span>` : '—'}
    </dd>
    ${
      failure
        ? html`<dt>${v.t('home.lastFailure')}</dt>
            <dd>
              <a href="/facturation/${failure.id}"
                >${formatMoment(v.lang, failure.finished_at ?? failure.started_at)}</a
              >
              ${failedSince ? badge(code(v, 'importStatus', 'failed'), 'bad') : ''} ${source(failure)}
              ${failure.error ? html`<span class="sub">${importErrorText(v.lang, failure.error)}</span>` : ''}
            </dd>`
        : ''
    }
  </dl>`;
}
