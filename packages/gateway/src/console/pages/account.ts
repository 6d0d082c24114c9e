// Comptes de facturation / Billing accounts: the helpdesk's lookup. For an account number, what the
// customer has to type in ESPM (the account, its latest invoice, one of its meters), what the billing
// system holds, and every ESPM share that named the account with what was typed and what was decided.
import { MAX_INITIAL_LOAD, previousInvoiceAcceptedUntil } from '../../exchange/share-rules.ts';
import { formatDay, formatMoment, formatNumber } from '../format.ts';
import { inputField, searchField } from '../forms.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { reasonText } from '../labels.ts';
import type { View } from '../layout.ts';
import { csrfField, dataTable, empty, facts, layout, statusBadge, titledCard } from '../layout.ts';
import { maskProof } from '../ownership-proof.ts';
import type { billingAccount, FoundBy, ProofCheck } from '../queries/accounts.ts';
import { typedAnswers } from './typed-answers.ts';

type Account = Awaited<ReturnType<typeof billingAccount>>;

/** One lookup's answer: the account, how the entry led to it, and what the agent may see of it. */
export interface AccountLookup {
  account: Account;
  foundBy: FoundBy;
  proofShown: boolean;
  check: ProofCheck | undefined;
}

export function accountPage(
  v: View,
  s: { typed: string; lookup?: AccountLookup | undefined; today: Date },
): Html {
  const l = s.lookup;
  return layout(
    v,
    v.t('accounts.title'),
    html`<h1>${v.t('accounts.title')}</h1>
      <p class="help">${v.t('accounts.intro')} ${v.t('accounts.journaled')}</p>
      <form class="filters" method="post" action="/comptes" role="search">
        ${csrfField(v)}
        ${searchField(v.t('accounts.lookupLabel'), {
          name: 'compte',
          value: s.typed,
          autocomplete: 'off',
          maxlength: 100,
          placeholder: '11111111111',
        })}
        <button type="submit">${v.t('common.search')}</button>
      </form>
      ${
        l
          ? html`<p class="found-by">
                ${v.t(`accounts.foundBy.${l.foundBy}`, { account: l.account.accountNumber })}
              </p>
              ${l.proofShown ? '' : checkForm(v, l)} ${accountDetail(v, l, s.today)}`
          : s.typed
            ? html`<section class="card">${empty(v.t('accounts.notFound', { typed: s.typed }))}</section>`
            : ''
      }`,
  );
}

/** A number the caller reads out, typed as heard. */
const READ_OUT = { autocomplete: 'off', maxlength: 100 } as const;

/** For a role without the proof: what the caller reads out, checked against the account. */
function checkForm(v: View, l: AccountLookup): Html {
  const said = (matched: boolean | undefined) =>
    v.t(matched === undefined ? 'check.notRead' : matched ? 'check.match' : 'check.noMatch');
  return html`<section class="card" aria-labelledby="h-check">
    <h2 id="h-check">${v.t('accounts.check')}</h2>
    <p class="help">${v.t('accounts.proofHidden')}</p>
    <form class="filters" method="post" action="/comptes">
      ${csrfField(v)}
      <input type="hidden" name="compte" value="${l.account.accountNumber}" />
      ${inputField(v.t('accounts.readInvoice'), { name: 'facture', ...READ_OUT, inputmode: 'numeric' })}
      ${inputField(v.t('accounts.readMeter'), { name: 'compteur', ...READ_OUT })}
      <button type="submit">${v.t('accounts.checkButton')}</button>
    </form>
    ${
      l.check
        ? html`<p class="check-result" role="status">
            <strong>${v.t('accounts.checkResult')}</strong> ·
            <span class="${l.check.invoice ? 'ok' : 'bad'}"
              >${v.t('accounts.invoiceCheck', { result: said(l.check.invoice) })}</span
            >
            ·
            <span class="${l.check.meter ? 'ok' : 'bad'}"
              >${v.t('accounts.meterCheck', { result: said(l.check.meter) })}</span
            >
          </p>`
        : ''
    }
  </section>`;
}

function accountDetail(v: View, l: AccountLookup, now: Date): Html {
  return l.proofShown ? proofDetail(v, l.account, now) : withoutProof(v, l.account);
}

/** A role without the proof: the account's meters counted, periods without their numbers, shares masked. */
function withoutProof(v: View, a: Account): Html {
  const known = a.meters.length > 0 || a.latestInvoice !== undefined;
  return html`<div class="grid">
    ${
      known
        ? titledCard(
            'h-summary',
            v.t('accounts.title'),
            'span-12',
            facts([
              [v.t('field.accountNumber'), html`<span class="mono">${a.accountNumber}</span>`],
              [v.t('accounts.meterCount'), formatNumber(v.lang, a.meters.length)],
              [
                v.t('accounts.latestInvoice'),
                a.latestInvoice
                  ? html`<span class="mono">${maskProof(a.latestInvoice.invoice_number)}</span> ·
                      ${formatDay(a.latestInvoice.invoice_date)}`
                  : html`—`,
              ],
            ]),
          )
        : unknownAccount(v, a)
    }
    ${sharesCard(v, a)}
  </div>`;
}

function proofDetail(v: View, a: Account, now: Date): Html {
  const known = a.meters.length > 0 || a.latestInvoice !== undefined;
  return html`<div class="grid">
    ${
      known
        ? html`${titledCard(
            'h-to-type',
            v.t('accounts.toType'),
            'span-6',
            facts([
              [v.t('field.accountNumber'), html`<span class="mono">${a.accountNumber}</span>`],
              [v.t('field.invoiceNumber'), invoiceAdvice(v, a, now)],
              [
                v.t('field.meterNumber'),
                html`${a.meters.map((m) => html`<span class="mono">${m.meterNumber}</span> `)}${
                  a.meters.length > 1 ? html`<span class="sub">${v.t('accounts.oneMeterEach')}</span>` : ''
                }`,
              ],
              [v.t('field.initialLoad'), v.t('accounts.initialLoad', { max: MAX_INITIAL_LOAD })],
            ]),
          )}
          ${titledCard(
            'h-invoices',
            v.t('accounts.invoices'),
            'span-6',
            facts([
              [v.t('accounts.latestInvoice'), invoice(a.latestInvoice)],
              [v.t('accounts.previousInvoice'), invoice(a.previousInvoice)],
            ]),
          )}
          ${titledCard(
            'h-meters',
            v.t('accounts.meters'),
            'flush span-12',
            dataTable(
              [
                v.t('col.meterNumber'),
                v.t('accounts.firstPeriod'),
                v.t('accounts.lastPeriod'),
                { label: v.t('accounts.periodCount'), className: 'num' },
              ],
              a.meters.map(
                (m) =>
                  html`<tr>
                    <td class="mono">${m.meterNumber}</td>
                    <td class="nowrap">${m.firstStart}</td>
                    <td class="nowrap">${m.lastEnd}</td>
                    <td class="num">${formatNumber(v.lang, m.periods)}</td>
                  </tr>`,
              ),
            ),
          )}
          ${titledCard(
            'h-periods',
            v.t('accounts.recentPeriods'),
            'flush span-12',
            dataTable(
              [
                v.t('col.meterNumber'),
                v.t('col.start'),
                v.t('col.end'),
                { label: v.t('col.volume'), className: 'num' },
                v.t('col.estimated'),
                v.t('col.invoice'),
                v.t('col.status'),
              ],
              a.periods.map(
                (p) =>
                  html`<tr${p.status === 'cancelled' ? html` class="muted"` : ''}>
                      <td class="mono">${p.meter_number}</td>
                      <td class="nowrap">${p.period_start}</td>
                      <td class="nowrap">${p.period_end}</td>
                      <td class="num">${formatNumber(v.lang, p.volume_m3)}</td>
                      <td>${p.estimated ? v.t('common.yes') : ''}</td>
                      <td class="mono">${p.invoice_number}</td>
                      <td>${v.t(p.status === 'cancelled' ? 'accounts.cancelled' : 'accounts.billed')}</td>
                    </tr>`,
              ),
            ),
          )}`
        : unknownAccount(v, a)
    }
    ${sharesCard(v, a)}
  </div>`;
}

function sharesCard(v: View, a: Account): Html {
  return html`<section class="card flush span-12" aria-labelledby="h-shares">
    <h2 id="h-shares">${v.t('accounts.shares')}</h2>
    <p class="help pad">${v.t('accounts.sharesHelp')}</p>
    ${
      a.shares.length
        ? dataTable(
            [
              v.t('meter.receivedAt'),
              v.t('col.espmMeter'),
              v.t('col.espmAccount'),
              v.t('col.typed'),
              v.t('col.status'),
              v.t('col.reason'),
            ],
            a.shares.map(
              (l) =>
                html`<tr${l.superseded ? html` class="muted"` : ''}>
                    <td class="nowrap">${formatMoment(v.lang, l.received_at)}</td>
                    <td><a class="mono" href="/compteurs/${l.id}">${l.espm_meter_id}</a></td>
                    <td>${l.espm_username ?? ''}<span class="sub">${l.organization ?? ''}</span></td>
                    <td>${typedAnswers(v, l)}</td>
                    <td>${statusBadge(v, l.superseded ? 'superseded' : l.status)}</td>
                    <td>${reasonText(v, l.reason_code)}</td>
                  </tr>`,
            ),
          )
        : empty(v.t('accounts.noShares'))
    }
  </section>`;
}

function unknownAccount(v: View, a: Account): Html {
  return html`<section class="card span-12">
    ${empty(v.t('accounts.unknown', { account: a.accountNumber }))}
  </section>`;
}

function invoice(i: { invoice_number: string; invoice_date: string } | undefined): Html {
  return i ? html`<span class="mono">${i.invoice_number}</span> · ${formatDay(i.invoice_date)}` : html`—`;
}

/** The latest invoice, and the previous one while the share rules still take it (exchange/share-rules.ts). */
function invoiceAdvice(v: View, a: Account, now: Date): Html {
  const latest = a.latestInvoice;
  if (!latest) return html`—`;
  const today = formatDay(now);
  const previous = a.previousInvoice;
  const until = previousInvoiceAcceptedUntil(latest.invoice_date);
  return html`<span class="mono">${latest.invoice_number}</span>
    <span class="sub">${v.t('accounts.latestOf', { date: formatDay(latest.invoice_date) })}</span>${
      previous && today <= until
        ? html`<span class="sub"
            >${v.t('accounts.previousToo', { invoice: previous.invoice_number, until })}</span
          >`
        : ''
    }`;
}
