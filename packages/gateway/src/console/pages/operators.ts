// Opérateurs / Operators: the console's operators, managed by an administrator (routes/operators.ts).
import type { ListedOperator } from '../auth/operators.ts';
import { ROLES } from '../auth/operators.ts';
import { formatMoment } from '../format.ts';
import { inputField, labelled, usernameField } from '../forms.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import type { View } from '../layout.ts';
import { badge, csrfField, dataTable, layout } from '../layout.ts';
import type { OperatorRole } from '../../store/schema.ts';

function roleSelect(v: View, selected: OperatorRole, label: string): Html {
  return html`<select name="role" aria-label="${label}">
    ${ROLES.map(
      (r) => html`<option value="${r}" ${r === selected ? html`selected` : ''}>${v.t(`role.${r}`)}</option>`,
    )}
  </select>`;
}

export function operatorsPage(v: View, operators: ListedOperator[]): Html {
  const self = v.user?.username;
  const path = (o: ListedOperator) => `/operateurs/${encodeURIComponent(o.username)}`;
  return layout(
    v,
    v.t('operators.title'),
    html`<h1>${v.t('operators.title')}</h1>
      <p class="help">${v.t('operators.intro')}</p>
      <section class="card flush">
        ${dataTable(
          [
            v.t('operators.username'),
            v.t('operators.name'),
            v.t('operators.role'),
            v.t('operators.state'),
            v.t('operators.updated'),
            v.t('operators.actions'),
          ],
          operators.map(
            (o) =>
              html`<tr data-operator="${o.username}">
                <td class="mono">${o.username} ${o.username === self ? v.t('operators.you') : ''}</td>
                <td>${o.displayName}</td>
                <td>
                  ${
                    o.username === self
                      ? v.t(`role.${o.role}`)
                      : html`<form method="post" action="${path(o)}/role" class="inline">
                          ${csrfField(v)}${roleSelect(v, o.role, v.t('operators.role'))}
                          <button type="submit" class="secondary">${v.t('operators.changeRole')}</button>
                        </form>`
                  }
                </td>
                <td>
                  ${o.disabled ? badge(v.t('operators.disabled'), 'muted') : badge(v.t('operators.active'), 'ok')}
                </td>
                <td>${formatMoment(v.lang, o.updatedAt)}</td>
                <td>
                  <a href="${path(o)}/mot-de-passe">${v.t('operators.resetPassword')}</a>
                  ${
                    o.username === self || o.disabled
                      ? ''
                      : html` · <a href="${path(o)}/desactiver">${v.t('operators.disable')}</a>`
                  }
                </td>
              </tr>`,
          ),
        )}
      </section>
      <section class="card" aria-labelledby="h-add-operator">
        <h2 id="h-add-operator">${v.t('operators.add')}</h2>
        <form method="post" action="/operateurs" class="stack">
          ${csrfField(v)} ${usernameField(v.t('operators.username'), { autocomplete: 'off' })}
          ${inputField(v.t('operators.name'), { type: 'text', name: 'name', autocomplete: 'off' })}
          ${labelled(v.t('operators.role'), roleSelect(v, 'viewer', v.t('operators.role')))}
          <div><button type="submit">${v.t('operators.addSubmit')}</button></div>
        </form>
      </section>`,
  );
}

/** The generated password, shown once (never kept in a flash message or anywhere else). */
export function operatorPasswordPage(v: View, username: string, password: string): Html {
  return layout(
    v,
    v.t('operators.passwordTitle', { username }),
    html`<section class="card" aria-labelledby="h-password">
      <h1 id="h-password">${v.t('operators.passwordTitle', { username })}</h1>
      <p class="code mono" data-password>${password}</p>
      <p>${v.t('operators.passwordOnce', { username })}</p>
      <p><a class="button secondary" href="/operateurs">${v.t('operators.back')}</a></p>
    </section>`,
  );
}
