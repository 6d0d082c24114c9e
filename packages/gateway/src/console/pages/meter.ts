// Compteurs ESPM > 157127890: one meter link with everything an operator needs to answer a customer.
import type { Lockout } from '../../exchange/lockout.ts';
import { mayAct } from '../auth/operators.ts';
import type { MeterAction } from '../../exchange/operator-actions.ts';
import { availableActions } from '../../exchange/operator-actions.ts';
import type { Bar } from '../chart.ts';
import { barChart } from '../chart.ts';
import { formatDay, formatMoment, formatNumber } from '../format.ts';
import type { Html, Interpolation } from '../html.ts';
import { html } from '../html.ts';
import { accessLevelText, meterTypeText, unitText } from '../i18n/espm-values.ts';
import { code, customerName, notice, reasonText } from '../labels.ts';
import type { View } from '../layout.ts';
import { badge, dataTable, empty, facts, layout, statusBadge } from '../layout.ts';
import type { meterPageData } from '../queries/meters.ts';
import { maskProof, seesOwnershipProof } from '../ownership-proof.ts';
import { typedAnswers } from './typed-answers.ts';

type MeterData = NonNullable<Awaited<ReturnType<typeof meterPageData>>>;
type LinkSummary = MeterData['sameEspmMeter'][number];

const ENTRY_TONE = {
  pending: 'info',
  sending: 'warn',
  sent: 'ok',
  adopted: 'ok',
  withheld: 'muted',
  deleted: 'muted',
} as const;

function actionButton(id: number, action: MeterAction, label: string): Html {
  const tone = action === 'revoke' ? 'danger' : action === 'resync' ? 'secondary' : '';
  return html`<a class="button ${tone}" href="/compteurs/${id}/action/${action}">${label}</a>`;
}

function linksTable(v: View, rows: LinkSummary[]): Html {
  if (!rows.length) return empty(v.t('common.none'));
  return dataTable(
    [
      v.t('col.espmMeter'),
      v.t('col.espmAccount'),
      v.t('col.contract'),
      v.t('col.meterNumber'),
      v.t('col.status'),
      v.t('col.reason'),
      v.t('meter.receivedAt'),
    ],
    rows.map(
      (l) =>
        html`<tr>
          <td><a class="mono" href="/compteurs/${l.id}">${l.espm_meter_id}</a></td>
          <td>${l.espm_username ?? ''}</td>
          <td class="mono">${l.account_number ?? ''}</td>
          <td class="mono">${l.meter_number ?? ''}</td>
          <td>${statusBadge(v, l.superseded ? 'superseded' : l.status)}</td>
          <td>${reasonText(v, l.reason_code)}</td>
          <td class="nowrap">${formatMoment(v.lang, l.received_at)}</td>
        </tr>`,
    ),
  );
}

/**
 * A share refused because its account was locked out: until when, and the unlock action (operators);
 * once the lockout is over, that the customer must share the meter again (a refusal stays a refusal).
 */
function lockoutSection(v: View, d: MeterData, lockout: Lockout | undefined): Html | '' {
  const { link } = d;
  if (link.reason_code !== 'locked-out' || d.supersededBy) return '';
  if (!lockout) return html`<p class="flash ok" role="note">${v.t('meter.lockoutOver')}</p>`;
  const unlock = `/contacts/${encodeURIComponent(link.espm_account_id)}/deverrouiller`;
  return html`<p class="flash warn" role="note">
    ${v.t('meter.lockedUntil', { until: formatMoment(v.lang, lockout.lockedUntil) })}
    ${
      mayAct(v.user?.role)
        ? html`<a class="button" href="${unlock}">${v.t('meter.unlockAction')}</a>`
        : v.t('meter.unlockAsk')
    }
  </p>`;
}

export function meterPage(v: View, d: MeterData, lockout?: Lockout): Html {
  const { link, customer, property } = d;
  const n = (x: string | number | null | undefined) => formatNumber(v.lang, x);
  const canAct = mayAct(v.user?.role);
  // What the customer typed proves the account's ownership once accepted (ownership-proof.ts).
  const proof = (value: string | null) =>
    value === null ? '' : seesOwnershipProof(v.user?.role) ? value : maskProof(value);
  const actions = canAct ? availableActions(link.status) : [];
  const custom = Object.entries((link.custom_fields as Record<string, string> | null) ?? {});
  const bars = chartBars(d);
  const reason = reasonText(v, link.reason_code);

  const account: Interpolation = customer
    ? html`${customerName(customer)}<span class="sub">${customer.email}</span
        ><span class="sub">${customer.organization ?? ''}</span
        ><span class="sub"
          ><a href="/compteurs?account=${customer.account_id}">${customer.username}</a> ·
          <span class="mono">${customer.account_id}</span></span
        >`
    : html`<span class="mono">${link.espm_account_id}</span> ${link.espm_username ?? ''}`;

  return layout(
    v,
    v.t('meter.title', { id: link.espm_meter_id }),
    html`<h1>
        <span class="crumb"><a href="/compteurs">${v.t('meter.breadcrumb')}</a> › </span
        ><span class="mono">${link.espm_meter_id}</span>
        ${statusBadge(v, d.supersededBy ? 'superseded' : link.status)}
      </h1>
      ${lockoutSection(v, d, lockout)}
      <div class="grid">
        <section class="card span-5" aria-labelledby="h-share">
          <h2 id="h-share">${v.t('meter.share')}</h2>
          ${facts([
            [v.t('meter.customer'), account],
            [
              v.t('meter.property'),
              property
                ? html`${property.name ?? ''}<span class="sub">${property.address ?? ''}</span
                    ><span class="sub mono">${property.property_id}</span>`
                : html`<span class="mono">${link.espm_property_id}</span>`,
            ],
            ...(link.status === 'rejected'
              ? [[v.t('meter.typed'), typedAnswers(v, link)] satisfies [string, Interpolation]]
              : []),
            [
              v.t('meter.contract'),
              html`<span class="mono">${link.account_number ?? ''}</span>
                <a class="sub" href="/comptes?partage=${link.id}">${v.t('accounts.lookUp')}</a>`,
            ],
            [v.t('meter.meterNumber'), html`<span class="mono">${proof(link.meter_number)}</span>`],
            [v.t('meter.invoice'), html`<span class="mono">${proof(link.invoice_number)}</span>`],
            [
              v.t('meter.initialLoad'),
              link.initial_load === null ? '' : v.t('meter.months', { n: link.initial_load }),
            ],
            [
              v.t('meter.status'),
              d.supersededBy
                ? html`${statusBadge(v, 'superseded')}<span class="sub"
                      ><a href="/compteurs/${d.supersededBy}"
                        >${v.t('meter.supersededBy', { id: d.supersededBy })}</a
                      ></span
                    >`
                : statusBadge(v, link.status),
            ],
            [v.t('meter.reason'), reason],
            [
              v.t('meter.notice'),
              link.notice ? html`<span class="notice">${notice(v, link.notice)}</span>` : '',
            ],
            ...(link.transferred_at
              ? [
                  [
                    v.t('meter.transferredTo'),
                    html`${link.holder_username ?? ''}<span class="sub mono"
                        >${link.holder_account_id ?? ''}</span
                      ><span class="sub"
                        >${v.t('meter.transferredOn', { date: formatMoment(v.lang, link.transferred_at) })}</span
                      >`,
                  ] satisfies [string, Interpolation],
                ]
              : []),
            [v.t('meter.receivedAt'), formatMoment(v.lang, link.received_at)],
            [v.t('meter.decidedAt'), formatMoment(v.lang, link.decided_at)],
            [v.t('meter.answeredAt'), formatMoment(v.lang, link.answered_at)],
            [v.t('meter.revokedAt'), formatMoment(v.lang, link.revoked_at)],
            [v.t('meter.historyFrom'), formatDay(link.history_from)],
            [v.t('meter.lastSync'), formatDay(link.last_period_end)],
            [v.t('meter.lastSyncedAt'), formatMoment(v.lang, link.last_synced_at)],
            [v.t('meter.syncDue'), link.sync_due ? v.t('common.yes') : v.t('common.no')],
          ])}
        </section>
        <div class="span-7">
          ${
            actions.length
              ? html`<section class="card" aria-labelledby="h-actions">
                  <h2 id="h-actions">${v.t('meter.actions')}</h2>
                  <div class="actions">
                    ${actions.map((a) => actionButton(link.id, a, v.t(`action.${a}`)))}
                  </div>
                </section>`
              : ''
          }
          <section class="card" aria-labelledby="h-chart">
            <h2 id="h-chart">${v.t('meter.chart')}</h2>
            ${
              bars.length
                ? html`${barChart(v.lang, bars, v.t('meter.chartLabel'), v.t('meter.heldBack'))}
                    <div class="legend">
                      <span><i class="sw-billed"></i>${v.t('col.volume')}</span
                      ><span><i class="sw-estimated"></i>${v.t('col.estimated')}</span
                      >${bars.some((b) => b.heldBack) ? html`<span><i class="sw-held"></i>${v.t('meter.heldBack')}</span>` : ''}
                    </div>`
                : empty(v.t('meter.noConsumption'))
            }
          </section>
          <section class="card" aria-labelledby="h-espm">
            <h2 id="h-espm">${v.t('meter.espmMeter')}</h2>
            ${facts([
              [v.t('meter.meterName'), link.meter_name ?? ''],
              [v.t('meter.meterType'), link.meter_type ? meterTypeText(v.lang, link.meter_type) : ''],
              [v.t('meter.unit'), link.unit_of_measure ? unitText(v.lang, link.unit_of_measure) : ''],
              [v.t('meter.firstBillDate'), formatDay(link.first_bill_date)],
              [v.t('meter.accessLevel'), accessLevelText(v.lang, link.access_level)],
              [
                v.t('meter.billing'),
                custom.length
                  ? html`${custom.map(([k, val]) => html`<span class="sub">${k} : <span class="mono">${proof(val)}</span></span>`)}`
                  : '',
              ],
            ])}
          </section>
        </div>
        ${link.status === 'paused' ? pausedSection(v, d) : ''} ${d.conflict ? conflictSection(v, d) : ''}
        <section class="card flush span-12" aria-labelledby="h-consumption">
          <h2 id="h-consumption">${v.t('meter.consumption')}</h2>
          <p class="pad">
            <a class="button secondary" href="/compteurs/${link.id}/historique.csv" download
              >${v.t('meter.exportCsv')}</a
            >
          </p>
          ${
            d.entries.length
              ? dataTable(
                  [
                    v.t('col.start'),
                    v.t('col.end'),
                    { label: v.t('col.volume'), className: 'num' },
                    { label: v.t('col.usage'), className: 'num' },
                    v.t('col.estimated'),
                    { label: v.t('col.rng'), className: 'num' },
                    v.t('col.entryId'),
                    v.t('col.state'),
                    v.t('col.sentAt'),
                  ],
                  d.entries.map((e) => {
                    const differs =
                      e.state !== 'deleted' &&
                      e.billed_volume_m3 !== null &&
                      (e.billed_revision ?? e.billing_revision) !== e.billing_revision &&
                      e.billed_status === 'billed';
                    return html`<tr${e.state === 'deleted' ? html` class="muted"` : ''}>
          <td class="nowrap">${e.period_start}</td>
          <td class="nowrap">${e.period_end}</td>
          <td class="num">${n(e.volume_m3)}${differs ? html`<span class="sub">${v.t('meter.billedDiffers', { volume: n(e.billed_volume_m3) })}</span>` : ''}${e.billed_status === 'cancelled' ? html`<span class="sub">${v.t('meter.cancelled')}</span>` : ''}</td>
          <td class="num">${n(e.usage)} <span class="dim">${unitText(v.lang, e.unit_of_measure)}</span></td>
          <td>${e.estimated ? v.t('common.yes') : ''}</td>
          <td class="num">${n(e.rng_percent)}</td>
          <td class="mono">${e.espm_entry_id ?? ''}</td>
          <td>${badge(code(v, 'entry', e.state), ENTRY_TONE[e.state])}</td>
          <td class="nowrap">${formatMoment(v.lang, e.updated_at ?? e.sent_at)}</td>
        </tr>`;
                  }),
                )
              : empty(v.t('meter.noConsumption'))
          }
        </section>
        <section class="card flush span-12" aria-labelledby="h-history">
          <h2 id="h-history">${v.t('meter.history')}</h2>
          ${
            d.decisions.length
              ? dataTable(
                  [
                    v.t('col.date'),
                    v.t('col.decision'),
                    v.t('col.rule'),
                    v.t('col.note'),
                    v.t('col.details'),
                    v.t('col.operator'),
                  ],
                  d.decisions.map((x) => {
                    // Only a share's answer reaches the customer; a conflict's held-back periods, a
                    // pause's or a revocation's words stay with the operators.
                    const sent = x.decision === 'accepted' || x.decision === 'rejected';
                    const detail =
                      x.decision === 'conflict' && x.note
                        ? v.t('meter.heldBackPeriods', { periods: x.note })
                        : (x.note ?? '');
                    return html`<tr>
                      <td class="nowrap">${formatMoment(v.lang, x.decided_at)}</td>
                      <td>${code(v, 'decision', x.decision)}</td>
                      <td>${reasonText(v, x.rule)}</td>
                      <td class="note">${sent ? (x.note ?? '') : ''}</td>
                      <td>${sent ? '' : detail}</td>
                      <td>${x.operator ?? ''}</td>
                    </tr>`;
                  }),
                )
              : empty(v.t('common.none'))
          }
        </section>
        <section class="card flush span-12" aria-labelledby="h-same-espm">
          <h2 id="h-same-espm">${v.t('meter.otherLinksEspm')}</h2>
          ${linksTable(v, d.sameEspmMeter)}
        </section>
        <section class="card flush span-12" aria-labelledby="h-same-billing">
          <h2 id="h-same-billing">${v.t('meter.otherLinksBilling', { meter: link.meter_number ?? '—' })}</h2>
          ${linksTable(v, d.sameBillingMeter)}
        </section>
      </div>`,
  );
}

/** Why nothing is sent, since when, and the note for whoever answers the customer (link-state.ts pauseLink). */
function pausedSection(v: View, d: MeterData): Html {
  const pause = d.decisions.find((x) => x.decision === 'paused'); // the newest first
  const billing = d.link.reason_code === 'billing-account-changed';
  return html`<section class="card span-12" aria-labelledby="h-paused">
    <h2 id="h-paused">${v.t(billing ? 'meter.pausedBilling' : 'meter.paused')}</h2>
    <p class="help">${v.t(billing ? 'meter.pausedBillingIntro' : 'meter.pausedIntro')}</p>
    ${facts([
      [v.t('meter.pausedWhy'), reasonText(v, d.link.reason_code)],
      [v.t('meter.pausedSince'), formatMoment(v.lang, pause?.decided_at)],
      billing
        ? [v.t('meter.otherAccount'), html`<span class="mono">${d.otherAccount ?? ''}</span>`]
        : [v.t('meter.accessCheckedAt'), formatMoment(v.lang, d.link.access_checked_at)],
      [v.t('meter.customerNote'), html`<span class="note">${pause?.note ?? ''}</span>`],
    ])}
  </section>`;
}

/**
 * The chart's bars, oldest first: what was sent or is to be sent, and the periods held back (the
 * customer's own entries overlap them, or an operator kept those), marked rather than left out.
 */
function chartBars(d: MeterData): Bar[] {
  const bars: Bar[] = d.entries
    .filter((e) => e.state !== 'deleted')
    .map((e) => ({
      start: e.period_start,
      end: e.period_end,
      value: Number(e.volume_m3),
      estimated: e.estimated,
      heldBack: e.state === 'withheld',
    }));
  const billed = new Map(d.billedConflict.map((b) => [b.period_start, b]));
  const shown = new Set(bars.map((b) => b.start));
  for (const p of d.conflict?.periods ?? []) {
    const ours = billed.get(p.periodStart);
    if (!ours || shown.has(p.periodStart)) continue;
    bars.push({
      start: p.periodStart,
      end: p.periodEnd,
      value: Number(ours.volume_m3),
      estimated: ours.estimated,
      heldBack: true,
    });
  }
  return bars.sort((a, b) => a.start.localeCompare(b.start));
}

function conflictSection(v: View, d: MeterData): Html {
  const billed = new Map(d.billedConflict.map((b) => [b.period_start, b]));
  const n = (x: string | number | null | undefined) => formatNumber(v.lang, x);
  return html`<section class="card flush span-12" aria-labelledby="h-conflict">
    <h2 id="h-conflict">${v.t('meter.conflict')}</h2>
    <p class="help pad">${v.t('meter.conflictIntro')}</p>
    <div class="table-wrap">
      <table class="compare">
        <thead>
          <tr>
            <th colspan="3">${v.t('meter.ours')}</th>
            <th colspan="4">${v.t('meter.theirs')}</th>
          </tr>
          <tr>
            <th>${v.t('col.start')}</th>
            <th>${v.t('col.end')}</th>
            <th class="num">${v.t('col.volume')}</th>
            <th>${v.t('col.start')}</th>
            <th>${v.t('col.end')}</th>
            <th class="num">${v.t('col.usageCustomer')}</th>
            <th>${v.t('col.createdBy')} · ${v.t('col.entryId')}</th>
          </tr>
        </thead>
        <tbody>
          ${d.conflict!.periods.map((p) => {
            const ours = billed.get(p.periodStart);
            const entries = p.customerEntries.length ? p.customerEntries : [undefined];
            return entries.map(
              (c, i) =>
                html`<tr>
                  ${
                    i === 0
                      ? html`<td class="ours nowrap" rowspan="${entries.length}">${p.periodStart}</td>
                          <td class="ours nowrap" rowspan="${entries.length}">${p.periodEnd}</td>
                          <td class="ours num" rowspan="${entries.length}">
                            ${ours ? n(ours.volume_m3) : html`<span class="dim">${v.t('meter.notBilled')}</span>`}
                          </td>`
                      : ''
                  }
                  <td class="theirs nowrap">${c?.startDate ?? ''}</td>
                  <td class="theirs nowrap">${c?.endDate ?? ''}</td>
                  <td class="theirs num">
                    ${c ? n(c.usage) : ''}
                    <span class="dim"
                      >${c && d.link.unit_of_measure ? unitText(v.lang, d.link.unit_of_measure) : ''}</span
                    >
                  </td>
                  <td class="theirs">${c?.createdBy ?? ''} <span class="mono dim">${c?.id ?? ''}</span></td>
                </tr>`,
            );
          })}
        </tbody>
      </table>
    </div>
  </section>`;
}
