// Sign-in, confirmation and error pages.
import { inputField, usernameField } from '../forms.ts';
import type { Html, Interpolation } from '../html.ts';
import { html, query } from '../html.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { View } from '../layout.ts';
import { csrfField, layout } from '../layout.ts';

export function signinPage(
  v: View,
  options: {
    token: string;
    next?: string | undefined;
    username?: string;
    message?: { kind: 'ok' | 'error'; text: string };
  },
): Html {
  return layout(
    v,
    v.t('signin.title'),
    html`<section class="card signin">
      <h1>${v.t('signin.title')}</h1>
      <p class="help">${v.t('signin.intro')}</p>
      ${options.message ? html`<p class="flash ${options.message.kind}" role="alert">${options.message.text}</p>` : ''}
      <form method="post" action="/connexion${query({ next: options.next })}" class="stack">
        <input type="hidden" name="_csrf" value="${options.token}" />
        ${usernameField(v.t('signin.username'), {
          value: options.username ?? '',
          autocomplete: 'username',
          autofocus: true,
        })}
        ${inputField(v.t('signin.password'), { type: 'password', name: 'password', autocomplete: 'current-password' })}
        <div><button type="submit">${v.t('signin.submit')}</button></div>
      </form>
    </section>`,
  );
}

export function confirmPage(
  v: View,
  options: {
    question: string;
    help: Interpolation;
    action: string;
    cancel: string;
    danger?: boolean;
    /** Hidden fields the action reads besides the confirmation. */
    fields?: Record<string, string>;
  },
): Html {
  return layout(
    v,
    v.t('confirm.title'),
    html`<section class="card" aria-labelledby="h-confirm">
      <h1 id="h-confirm">${options.question}</h1>
      <p class="help">${options.help}</p>
      <form method="post" action="${options.action}">
        ${csrfField(v)}
        ${Object.entries(options.fields ?? {}).map(
          ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
        )}
        <label class="confirm-box"
          ><input type="checkbox" name="confirm" value="yes" /> ${v.t('confirm.check')}</label
        >
        <div class="actions">
          <button type="submit" class="${options.danger ? 'danger' : ''}">${v.t('common.confirm')}</button>
          <a class="button secondary" href="${options.cancel}">${v.t('common.cancel')}</a>
        </div>
      </form>
    </section>`,
  );
}

export function errorPage(v: View, titleKey: MessageKey, textKey: MessageKey): Html {
  return layout(
    v,
    v.t(titleKey),
    html`<section class="card">
      <h1>${v.t(titleKey)}</h1>
      <p>${v.t(textKey)}</p>
      <p><a href="/">${v.t('error.backHome')}</a></p>
    </section>`,
  );
}
