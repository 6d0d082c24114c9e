// Refus et verrouillages / Rejections and lockouts.
import { mayAct } from '../auth/operators.ts';
import { formatMoment } from '../format.ts';
import type { Html } from '../html.ts';
import { html, query } from '../html.ts';
import { customerName, reasonText } from '../labels.ts';
import type { View } from '../layout.ts';
import { dataTable, empty, layout, listHeading, statusBadge, titledCard } from '../layout.ts';
import type { lockoutsWithCustomers, recentRejections } from '../queries/rejections.ts';
import { typedAnswers } from './typed-answers.ts';

type Lockouts = Awaited<ReturnType<typeof lockoutsWithCustomers>>;
type Rejections = Awaited<ReturnType<typeof recentRejections>>;

export function rejectionsPage(v: View, lockouts: Lockouts, rejections: Rejections): Html {
  const canAct = mayAct(v.user?.role);
  return layout(
    v,
    v.t('rejections.title'),
    html`${listHeading(v.t('rejections.title'), [
        ['/export/refus.csv', v.t('export.rejections')],
        ['/export/verrouillages.csv', v.t('export.lockouts')],
      ])}
      <section class="card flush" aria-labelledby="h-lockouts">
        <h2 id="h-lockouts">${v.t('rejections.lockouts')}</h2>
        <p class="help pad">${v.t('rejections.lockoutsHelp')}</p>
        ${
          lockouts.length
            ? dataTable(
                [
                  v.t('col.espmAccount'),
                  v.t('col.organization'),
                  { label: v.t('col.failures'), className: 'num' },
                  v.t('col.lastFailure'),
                  v.t('col.lockedUntil'),
                  ...(canAct ? [v.t('col.actions')] : []),
                ],
                lockouts.map(
                  (l) =>
                    html`<tr>
                      <td>
                        ${l.customer ? html`${customerName(l.customer)}<span class="sub">${l.customer.email}</span>` : ''}<span
                          class="sub"
                          ><a href="/compteurs${query({ account: l.accountId })}"
                            >${l.customer?.username ?? ''}</a
                          >
                          <span class="mono">${l.accountId}</span></span
                        >
                      </td>
                      <td>${l.customer?.organization ?? ''}</td>
                      <td class="num">${l.failures}</td>
                      <td class="nowrap">${formatMoment(v.lang, l.lastFailure)}</td>
                      <td class="nowrap">${formatMoment(v.lang, l.lockedUntil)}</td>
                      ${canAct ? html`<td><a class="button small" href="/contacts/${l.accountId}/deverrouiller">${v.t('action.unlock')}</a></td>` : ''}
                    </tr>`,
                ),
              )
            : empty(v.t('rejections.noLockouts'))
        }
      </section>
      ${titledCard(
        'h-rejected',
        v.t('rejections.recent'),
        'flush',
        rejections.length
          ? dataTable(
              [
                v.t('col.decidedAt'),
                v.t('col.espmMeter'),
                v.t('col.espmAccount'),
                v.t('col.typed'),
                v.t('col.reason'),
                v.t('col.note'),
              ],
              rejections.map(
                (r) =>
                  html`<tr${r.superseded ? html` class="muted"` : ''}>
                      <td class="nowrap">${formatMoment(v.lang, r.decided_at ?? r.received_at)}</td>
                      <td><a class="mono" href="/compteurs/${r.id}">${r.espm_meter_id}</a></td>
                      <td>${r.espm_username ?? ''}<span class="sub">${r.organization ?? ''}</span></td>
                      <td>
                        ${typedAnswers(v, r)}<a class="sub" href="/comptes?partage=${r.id}"
                          >${v.t('accounts.lookUp')}</a
                        >
                      </td>
                      <td>
                        ${reasonText(v, r.reason_code)}${r.superseded ? html`<span class="sub">${statusBadge(v, 'superseded')}</span>` : ''}
                      </td>
                      <td class="note">${r.note ?? r.decision_note ?? ''}</td>
                    </tr>`,
              ),
            )
          : empty(v.t('rejections.noRejections')),
      )}`,
  );
}
