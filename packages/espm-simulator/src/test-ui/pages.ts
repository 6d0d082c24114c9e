// The Test web UI's pages, shaped like ESPM's (/pmtest) where the customer guide shows them: every
// value escaped, a little script only where ESPM itself runs one (the property picker, the sharing XHR).
import type { AccessLevel, CustomFieldDefinition } from '../espm.ts';
import type { UiLanguage, WordKey } from './words.ts';
import { say } from './words.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const esc = (v: string): string => v.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export interface PageFrame {
  lang: UiLanguage;
  title: string;
  /** The signed-in username, for the header; none on the sign-in page. */
  username?: string;
}

const CSS = `body{font:14px/1.4 Arial,sans-serif;margin:0;color:#222}header{background:#00549f;color:#fff;padding:.6rem 1rem}
header a{color:#fff;margin-right:1rem}nav{background:#e8eef5;padding:.5rem 1rem}nav a{margin-right:1.2rem;font-weight:bold}
main{padding:1rem 2rem;max-width:70rem}table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #bbc;padding:.3rem .5rem}
.error{color:#b00020;font-weight:bold}.ok{color:#17692f;font-weight:bold}button{padding:.35rem .8rem}dialog{min-width:30rem}
.foot{font-size:12px;color:#555}`;

export function page(frame: PageFrame, body: string, script = ''): string {
  const t = (k: WordKey) => esc(say(frame.lang, k));
  const top = frame.username
    ? `<header>ENERGY STAR® Portfolio Manager® — TEST · ${t('welcome')} ${esc(frame.username)} : <a href="/pmtest/contact/list">${t('contacts')}</a><a href="/pmtest/logout">${t('signOut')}</a></header>
<nav><a href="/pmtest/myportfolio">${t('myPortfolio')}</a><a href="/pmtest/sharing">${t('sharing')}</a></nav>`
    : `<header>ENERGY STAR® Portfolio Manager® — TEST</header>`;
  return `<!doctype html><html lang="${frame.lang}"><head><meta charset="utf-8"><title>${esc(frame.title)}</title><style>${CSS}</style></head>
<body>${top}<main><h1>${esc(frame.title)}</h1>${body}</main>${script ? `<script>${script}</script>` : ''}</body></html>`;
}

export function loginPage(lang: UiLanguage, error?: string): string {
  const t = (k: WordKey) => esc(say(lang, k));
  return page(
    { lang, title: t('signIn') },
    `${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/pmtest/login">
<p><label for="username">${t('username')}</label> <input id="username" name="username" autocomplete="username"></p>
<p><label for="password">${t('password')}</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>
<p><button type="submit">${t('signIn')}</button></p></form>`,
  );
}

export interface MeterRow {
  id: string;
  name: string;
  level: AccessLevel | 'NONE';
  answers: Record<string, string>;
}

export interface PermissionsView {
  providerId: string;
  organization: string;
  properties: Array<{ id: string; name: string; level: AccessLevel | 'NONE'; meters: MeterRow[] }>;
  fields: CustomFieldDefinition[];
}

const SUPERSCRIPTS = ['¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
const LEVEL_VALUES: Array<[AccessLevel | 'NONE', WordKey]> = [
  ['NONE', 'none'],
  ['Read', 'read'],
  ['Read Write', 'full'],
];
const levelValue = (l: AccessLevel | 'NONE'): string =>
  l === 'NONE' ? 'NONE' : l === 'Read' ? 'READ_ONLY' : 'FULL_ACCESS';

function radios(lang: UiLanguage, name: string, current: AccessLevel | 'NONE', label: string): string {
  return LEVEL_VALUES.map(
    ([level, word]) =>
      `<td><input type="radio" name="${esc(name)}" value="${levelValue(level)}" aria-label="${esc(`${label} — ${say(lang, word)}`)}"${level === current ? ' checked' : ''}></td>`,
  ).join('');
}

/** The guide's "Partagez vos propriétés" screen: levels per property and meter, and the provider's meter fields. */
export function permissionsBody(lang: UiLanguage, v: PermissionsView): string {
  const t = (k: WordKey) => esc(say(lang, k));
  const head = `<tr><th>${t('element')}</th><th>${t('none')}</th><th>${t('read')}</th><th>${t('full')}</th>${v.fields
    .map((f, i) => `<th>${esc(f.name)} ${SUPERSCRIPTS[i] ?? ''}</th>`)
    .join('')}</tr>`;
  const tables = v.properties
    .map((p) => {
      const meters = p.meters.length
        ? p.meters
            .map(
              (m) =>
                `<tr data-meter="${esc(m.id)}"><td>${esc(m.name)} (${esc(m.id)})</td>${radios(lang, `meter-${m.id}`, m.level, m.name)}${v.fields
                  .map(
                    (f) =>
                      `<td><input type="text" name="field-${esc(m.id)}" data-field="${esc(f.name)}" aria-label="${esc(`${m.name} — ${f.name}`)}" value="${esc(m.answers[f.name] ?? '')}"></td>`,
                  )
                  .join('')}</tr>`,
            )
            .join('')
        : `<tr><td colspan="${4 + v.fields.length}">${t('noMeter')}</td></tr>`;
      return `<section data-property="${esc(p.id)}"><p>${esc(say(lang, 'selectFor', { property: p.name, org: v.organization }))}</p>
<table>${head}<tr data-property-row="${esc(p.id)}"><td>${t('propertyInfo')}</td>${radios(lang, `property-${p.id}`, p.level, t('propertyInfo'))}${v.fields.map(() => '<td></td>').join('')}</tr>${meters}</table></section>`;
    })
    .join('');
  const notes = v.fields
    .map(
      (f, i) =>
        `<p class="foot">${SUPERSCRIPTS[i] ?? ''} ${esc(f.name)}: ${esc(f.description ?? '')}${
          f.minChars !== undefined || f.maxChars !== undefined
            ? `; ${esc(say(lang, 'between', { min: String(f.minChars ?? 0), max: String(f.maxChars ?? '') }))}`
            : ''
        }</p>`,
    )
    .join('');
  return `<form id="permissions" data-provider="${esc(v.providerId)}">${tables}${notes}
<p><button type="button" id="sharePropertyButton">${t('shareButton')}</button></p></form>
<p id="shareResult" role="status"></p>`;
}

/** Sends the levels and answers as ESPM's page does, by XHR, and shows the answer. */
export const PERMISSIONS_SCRIPT = `
document.getElementById('sharePropertyButton').addEventListener('click', async () => {
  const form = document.getElementById('permissions');
  const checked = (name) => (form.querySelector('input[name="' + name + '"]:checked') || {}).value || 'NONE';
  const properties = [...form.querySelectorAll('section[data-property]')].map((s) => ({
    propertyId: s.dataset.property,
    level: checked('property-' + s.dataset.property),
    meters: [...s.querySelectorAll('tr[data-meter]')].map((r) => ({
      meterId: r.dataset.meter,
      level: checked('meter-' + r.dataset.meter),
      fields: Object.fromEntries([...r.querySelectorAll('input[data-field]')].map((i) => [i.dataset.field, i.value.trim()])),
    })),
  }));
  const out = document.getElementById('shareResult');
  out.textContent = '…';
  const res = await fetch('/pmtest/sharing/submit.json', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ providerId: form.dataset.provider, properties }),
  });
  const answer = await res.json();
  out.className = res.ok ? 'ok' : 'error';
  out.textContent = res.ok ? answer.message : answer.errors.join(' ');
});`;

/** The property picker of "Partager des propriétés pour l'échange de données". */
export const PICKER_SCRIPT = `
const dialog = document.getElementById('modalDialogSelectProperties');
document.getElementById('buttonSelectProperties').addEventListener('click', () => dialog.showModal());
document.getElementById('applySelection').addEventListener('click', () => {
  document.getElementById('selectedCount').textContent = dialog.querySelectorAll('input:checked').length;
  dialog.close();
});`;
