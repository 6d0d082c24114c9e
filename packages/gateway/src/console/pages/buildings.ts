// Bâtiments / Buildings: the buildings of whole-building data, one building's premises, codes, linked
// ESPM meters and months (docs/buildings.md). Actions are for operators; viewers read.
import { mayAct } from '../auth/operators.ts';
import { codeState } from '../../buildings/aggregation-codes.ts';
import { renewBy } from '../../buildings/renewal.ts';
import { BILLED_STATUSES } from '../../exchange/link-state.ts';
import type { LinkStatus } from '../../store/schema.ts';
import type { PrivacyRule } from '../../buildings/privacy-rule.ts';
import type { PremiseFound } from '../../buildings/buildings.ts';
import type { buildingDetail, listBuildings } from '../queries/buildings.ts';
import { formatDay, formatMoment, formatNumber } from '../format.ts';
import { inputField, searchField } from '../forms.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import type { View } from '../layout.ts';
import { badge, csrfField, dataTable, empty, layout, listHeading, statusBadge } from '../layout.ts';
import { linkReasonText } from '../i18n/index.ts';

const canAct = (v: View): boolean => mayAct(v.user?.role);

export function buildingsPage(
  v: View,
  rows: Awaited<ReturnType<typeof listBuildings>>,
  rule: PrivacyRule,
): Html {
  return layout(
    v,
    v.t('buildings.title'),
    html`${listHeading(v.t('buildings.title'), [['/export/batiments.csv', v.t('export.csv')]])}
      <p class="help">${v.t('buildings.intro')}</p>
      <p class="help">
        ${v.t('buildings.privacy', {
          customers: rule.minCustomers,
          percent: rule.maxCustomerPercent,
          days: rule.settlementDays,
        })}
      </p>
      <section class="card flush">
        ${
          rows.length
            ? dataTable(
                [
                  v.t('buildings.buildingId'),
                  v.t('buildings.name'),
                  { label: v.t('buildings.premises'), className: 'num' },
                  { label: v.t('buildings.meters'), className: 'num' },
                  { label: v.t('buildings.espmMeters'), className: 'num' },
                  { label: v.t('buildings.activeCodes'), className: 'num' },
                ],
                rows.map(
                  (b) =>
                    html`<tr>
                      <td class="mono">
                        <a href="/batiments/${encodeURIComponent(b.building_id)}">${b.building_id}</a>
                      </td>
                      <td>${b.name}</td>
                      <td class="num">${formatNumber(v.lang, b.premises)}</td>
                      <td class="num">${formatNumber(v.lang, b.meters)}</td>
                      <td class="num">${formatNumber(v.lang, b.links)}</td>
                      <td class="num">${formatNumber(v.lang, b.active_codes)}</td>
                    </tr>`,
                ),
              )
            : empty(v.t('buildings.none'))
        }
      </section>
      ${
        canAct(v)
          ? html`<section class="card" aria-labelledby="h-create">
              <h2 id="h-create">${v.t('buildings.create')}</h2>
              <form method="post" action="/batiments" class="filters">
                ${csrfField(v)}<input type="hidden" name="confirm" value="yes" />
                <label
                  >${v.t('buildings.buildingId')}
                  <input name="building_id" maxlength="40" />
                </label>
                <label>${v.t('buildings.name')} <input name="name" maxlength="200" /></label>
                <button type="submit">${v.t('buildings.create')}</button>
              </form>
            </section>`
          : ''
      }`,
  );
}

type Detail = NonNullable<Awaited<ReturnType<typeof buildingDetail>>>;

function monthState(v: View, m: Detail['months'][number]): Html {
  switch (m.release.kind) {
    case 'first':
      return badge(v.t('monthState.sendable'), 'ok');
    case 'withheld': {
      const reason = m.release.reason;
      const quiet = reason === 'incomplete' || reason === 'unsettled';
      return badge(v.t(`withheld.${reason}`), quiet ? 'muted' : 'warn');
    }
    case 'written':
    case 'revised':
      return badge(v.t('monthState.written'), 'ok');
    case 'revision-withheld':
      return badge(v.t(`revisionWithheld.${m.release.reason}`), 'warn');
  }
}

/** The months whose change since they were written may not be seen (month-release.ts). */
function revisionsWithheld(v: View, d: Detail): Html {
  const held = d.months.flatMap((m) => (m.release.kind === 'revision-withheld' ? [{ m, r: m.release }] : []));
  return html`<section class="card" aria-labelledby="h-revisions">
    <h2 id="h-revisions">${v.t('buildings.revisionsWithheld')}</h2>
    <p class="help">${v.t('buildings.revisionsWithheldHelp')}</p>
    ${
      held.length
        ? dataTable(
            [
              v.t('buildings.month'),
              { label: v.t('buildings.written'), className: 'num' },
              { label: v.t('buildings.current'), className: 'num' },
              v.t('buildings.reason'),
            ],
            held.map(
              ({ m, r }) =>
                html`<tr>
                  <td class="nowrap">${m.month.slice(0, 7)}</td>
                  <td class="num">${formatNumber(v.lang, m.written)}</td>
                  <td class="num">${formatNumber(v.lang, m.volumeM3)}</td>
                  <td>${v.t(`revisionWithheld.${r.reason}`)}</td>
                </tr>`,
            ),
          )
        : empty(v.t('buildings.noRevisionsWithheld'))
    }
  </section>`;
}

export function buildingPage(
  v: View,
  d: Detail,
  search: { q: string; found: PremiseFound[] },
  now: Date,
  renewalMonths: number,
): Html {
  const id = encodeURIComponent(d.building.building_id);
  const premises = d.premises.length
    ? dataTable(
        [
          v.t('buildings.premise'),
          v.t('buildings.address'),
          { label: v.t('buildings.meters'), className: 'num' },
          '',
        ],
        d.premises.map(
          (p) =>
            html`<tr>
              <td class="mono">
                ${p.premise_id} ${p.owner_held ? badge(v.t('buildings.ownerHeld'), 'muted') : ''}
                ${p.from_month ? html`<span class="sub">${v.t('buildings.fromMonth', { month: p.from_month.slice(0, 7) })}</span>` : ''}
              </td>
              <td>${p.service_address ?? ''}</td>
              <td class="num">${formatNumber(v.lang, p.meters)}</td>
              <td>
                ${
                  canAct(v)
                    ? html`<a
                        class="button secondary"
                        href="/batiments/${id}/points/${encodeURIComponent(p.premise_id)}/retirer"
                        >${v.t('buildings.removePremise')}</a
                      >`
                    : ''
                }
              </td>
            </tr>`,
        ),
      )
    : empty(v.t('buildings.noPremises'));
  const addPremises = canAct(v)
    ? html`<h3>${v.t('buildings.addPremises')}</h3>
        <form method="get" action="/batiments/${id}" class="filters" role="search">
          ${searchField(v.t('buildings.searchPremises'), {
            name: 'q',
            value: search.q,
            placeholder: v.t('buildings.searchPlaceholder'),
          })}
          <button type="submit">${v.t('common.search')}</button>
        </form>
        <form method="post" action="/batiments/${id}/points">
          ${csrfField(v)}<input type="hidden" name="confirm" value="yes" />
          ${
            search.found.length
              ? html`<ul class="plain">
                  ${search.found.map(
                    (p) =>
                      html`<li>
                        <label
                          ><input
                            type="checkbox"
                            name="premise"
                            value="${p.premiseId}"
                            ${p.buildingId ? html`disabled` : ''}
                          />
                          <span class="mono">${p.premiseId}</span> ${p.serviceAddress ?? ''}
                          ${p.buildingId ? badge(v.t('buildings.inOther', { building: p.buildingId }), 'muted') : ''}</label
                        >
                      </li>`,
                  )}
                </ul>`
              : ''
          }
          <label class="stacked"
            >${v.t('buildings.premiseIds')}
            <textarea name="premise_ids" rows="3" cols="30"></textarea>
          </label>
          <div class="actions"><button type="submit">${v.t('buildings.add')}</button></div>
        </form>`
    : '';
  const codes = d.codes.length
    ? dataTable(
        [
          '#',
          v.t('buildings.state'),
          v.t('buildings.issuedAt'),
          v.t('buildings.issuedBy'),
          v.t('buildings.recipient'),
          v.t('buildings.expiresAt'),
          v.t('buildings.boundTo'),
          v.t('buildings.espmProperty'),
          '',
        ],
        d.codes.map((c) => {
          const state = codeState(c, now);
          const tone = state === 'active' ? 'info' : state === 'used' ? 'ok' : 'muted';
          return html`<tr>
            <td class="num">${c.id}</td>
            <td>${badge(v.t(`codeState.${state}`), tone)}</td>
            <td class="nowrap">${formatMoment(v.lang, c.issued_at)}</td>
            <td>${c.issued_by ?? 'CLI'}</td>
            <td data-recipient>
              ${c.recipient_name ?? ''}${c.recipient_contact ? html`<br /><span class="mono">${c.recipient_contact}</span>` : ''}
            </td>
            <td class="nowrap">${state === 'active' ? formatDay(c.expires_at) : ''}</td>
            <td class="mono">${c.espm_meter_id ?? ''}</td>
            <td class="mono">${c.espmPropertyId ?? ''}</td>
            <td>
              ${
                canAct(v) && state !== 'revoked'
                  ? html`<a class="button secondary" href="/batiments/${id}/codes/${c.id}/revoquer"
                      >${v.t('buildings.revoke')}</a
                    >`
                  : ''
              }
            </td>
          </tr>`;
        }),
      )
    : empty(v.t('buildings.noCodes'));
  const fedByCode = (l: Detail['links'][number]) =>
    l.aggregation_code_id !== null && (BILLED_STATUSES as readonly LinkStatus[]).includes(l.status);
  const links = d.links.length
    ? dataTable(
        [
          v.t('buildings.boundTo'),
          v.t('col.username'),
          v.t('buildings.state'),
          v.t('meter.lastSync'),
          v.t('buildings.renewBy'),
        ],
        d.links.map(
          (l) =>
            html`<tr>
              <td class="mono"><a href="/compteurs/${l.id}">${l.espm_meter_id}</a></td>
              <td>${l.espm_username ?? ''}</td>
              <td>
                ${statusBadge(v, l.status)}
                ${l.reason_code && l.status !== 'accepted' ? html`<br /><span class="help">${linkReasonText(v.lang, l.reason_code)}</span>` : ''}
              </td>
              <td class="nowrap">${formatDay(l.last_period_end)}</td>
              <td class="nowrap" data-renew-by>
                ${fedByCode(l) ? formatDay(renewBy(l, renewalMonths)) : ''}
              </td>
            </tr>`,
        ),
      )
    : empty(v.t('buildings.noLinks'));
  const anyCurrent = d.links.some(fedByCode);
  const anyToRevoke = anyCurrent || d.codes.some((c) => c.revoked_at === null);
  const linkActions = canAct(v)
    ? html`<div class="actions">
        ${anyCurrent ? html`<a class="button" href="/batiments/${id}/renouveler">${v.t('buildings.renewLinks')}</a>` : ''}
        ${anyToRevoke ? html`<a class="button danger" href="/batiments/${id}/revoquer">${v.t('buildings.revokeAll')}</a>` : ''}
      </div>`
    : '';
  const refused = d.refused.length
    ? dataTable(
        [v.t('buildings.receivedAt'), v.t('buildings.boundTo'), v.t('col.username'), v.t('buildings.rule')],
        d.refused.map(
          (r) =>
            html`<tr>
              <td class="nowrap">${formatMoment(v.lang, r.received_at)}</td>
              <td class="mono"><a href="/compteurs/${r.id}">${r.espm_meter_id}</a></td>
              <td>${r.espm_username ?? ''}</td>
              <td>${linkReasonText(v.lang, r.reason_code)}</td>
            </tr>`,
        ),
      )
    : empty(v.t('buildings.noRefused'));
  const months = d.months.length
    ? dataTable(
        [
          v.t('buildings.month'),
          { label: v.t('buildings.volume'), className: 'num' },
          { label: v.t('buildings.written'), className: 'num' },
          { label: v.t('buildings.customers'), className: 'num' },
          { label: v.t('buildings.meters'), className: 'num' },
          v.t('buildings.state'),
        ],
        d.months.map(
          (m) =>
            html`<tr>
              <td class="nowrap">${m.month.slice(0, 7)}</td>
              <td class="num">${formatNumber(v.lang, m.volumeM3)}</td>
              <td class="num">${m.written === null ? '' : formatNumber(v.lang, m.written)}</td>
              <td class="num">${formatNumber(v.lang, m.customers)}</td>
              <td class="num">${formatNumber(v.lang, m.meters)}</td>
              <td>${monthState(v, m)}</td>
            </tr>`,
        ),
      )
    : empty(v.t('buildings.noMonths'));
  return layout(
    v,
    d.building.name,
    html`<h1>
        <span class="crumb"><a href="/batiments">${v.t('buildings.breadcrumb')}</a> › </span
        >${d.building.name}
        <span class="sub mono">${d.building.building_id}</span>
      </h1>
      <div class="grid">
        <section class="card span-5" aria-labelledby="h-premises">
          <h2 id="h-premises">${v.t('buildings.premises')}</h2>
          ${premises} ${addPremises}
        </section>
        <section class="card span-7" aria-labelledby="h-refused">
          <h2 id="h-refused">${v.t('buildings.refused')}</h2>
          <p class="help">${v.t('buildings.refusedHelp')}</p>
          ${refused}
        </section>
      </div>
      <section class="card" aria-labelledby="h-links">
        <h2 id="h-links">${v.t('buildings.links')}</h2>
        <p class="help">${v.t('buildings.renewalHelp', { months: renewalMonths })}</p>
        ${links} ${linkActions}
      </section>
      <section class="card" aria-labelledby="h-codes">
        <h2 id="h-codes">${v.t('buildings.codes')}</h2>
        ${codes}
        ${
          canAct(v)
            ? html`<p>
                <a class="button" href="/batiments/${id}/codes/nouveau">${v.t('buildings.issueCode')}</a>
              </p>`
            : ''
        }
      </section>
      ${revisionsWithheld(v, d)}
      <section class="card" aria-labelledby="h-months">
        <h2 id="h-months">${v.t('buildings.months')}</h2>
        <p class="help">${v.t('buildings.monthsHelp')}</p>
        ${months}
      </section>`,
  );
}

/**
 * Before a code is issued: whom it is given to, and a warning (and a second box to tick) when the
 * building cannot pass the privacy rule with its premises now.
 */
export function issueCodePage(v: View, buildingId: string, passes: boolean, request: string): Html {
  const path = `/batiments/${encodeURIComponent(buildingId)}`;
  return layout(
    v,
    v.t('confirm.title'),
    html`<section class="card" aria-labelledby="h-confirm">
      <h1 id="h-confirm">${v.t('confirm.issueCode', { building: buildingId })}</h1>
      <p class="help">${v.t('confirm.issueCodeHelp')}</p>
      ${passes ? '' : html`<p class="flash warn" role="alert" data-below-threshold>${v.t('code.belowThreshold')}</p>`}
      <form method="post" action="${path}/codes" class="stack">
        ${csrfField(v)}
        <input type="hidden" name="request" value="${request}" />
        ${inputField(v.t('code.recipientName'), { name: 'recipient_name', maxlength: 200, autocomplete: 'off' })}
        ${inputField(v.t('code.recipientContact'), { name: 'recipient_contact', maxlength: 254, autocomplete: 'off' })}
        ${
          passes
            ? ''
            : html`<label class="confirm-box"
                ><input type="checkbox" name="anyway" value="yes" /> ${v.t('code.issueAnyway')}</label
              >`
        }
        <label class="confirm-box"
          ><input type="checkbox" name="confirm" value="yes" /> ${v.t('confirm.check')}</label
        >
        <div class="actions">
          <button type="submit">${v.t('common.confirm')}</button>
          <a class="button secondary" href="${path}">${v.t('common.cancel')}</a>
        </div>
      </form>
    </section>`,
  );
}

/** A code in groups of four ("7K3M 9QRT 4V2X AB12"), read over the phone more easily than one block. */
export function groupsOfFour(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The code, shown this once. */
export function codeIssuedPage(v: View, buildingId: string, code: string, expiresAt: Date): Html {
  return layout(
    v,
    v.t('code.title'),
    html`<section class="card" aria-labelledby="h-code">
      <h1 id="h-code">${v.t('code.title')}</h1>
      <p class="code mono" data-code="${code}">${groupsOfFour(code)}</p>
      <p>${v.t('code.showOnce', { building: buildingId, expires: formatDay(expiresAt) })}</p>
      <p class="help">${v.t('code.howTo')}</p>
      <p>
        <a class="button secondary" href="/batiments/${encodeURIComponent(buildingId)}"
          >${v.t('code.back')}</a
        >
      </p>
    </section>`,
  );
}
