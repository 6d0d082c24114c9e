// The customer page: plain DOM, no framework. Every string reaches the page through text nodes or
// attribute setters, never as HTML, so nothing typed by anyone can inject markup.
import { LABELS, MESSAGES, lengthHint } from './i18n.js';

const API = 'api';
const root = document.getElementById('app');
const ui = {
  lang: localStorage.getItem('sim-lang') === 'en' ? 'en' : 'fr',
  auth: JSON.parse(sessionStorage.getItem('sim-auth') || 'null'),
  provider: null,
  me: null,
  bills: {},
  flash: null,
};

const t = (key, vars = {}) =>
  (MESSAGES[ui.lang][key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
const label = (value) => LABELS[ui.lang][value] ?? value;

/** h('p', {class: 'x'}, 'text', child): element builder; strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'checked' || k === 'value' || k === 'disabled' || k === 'required') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

async function api(method, path, body) {
  const headers = {};
  if (ui.auth)
    headers.authorization =
      'Basic ' + btoa(unescape(encodeURIComponent(`${ui.auth.username}:${ui.auth.password}`)));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${API}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((json.errors || [json.error || res.statusText]).join(' '));
  return json;
}

async function load() {
  ui.provider = await api('GET', '/provider');
  ui.me = null;
  ui.bills = {};
  if (ui.auth) {
    try {
      ui.me = await api('GET', '/me');
    } catch (e) {
      ui.auth = null;
      sessionStorage.removeItem('sim-auth');
      ui.flash = { kind: 'error', key: 'error', detail: e.message };
    }
  }
  for (const p of ui.me?.properties ?? []) {
    for (const m of p.meters) ui.bills[m.id] = await api('GET', `/meters/${m.id}/consumption`);
  }
  render();
}

/** Runs an action, then reloads and shows its outcome (a message key, translated at each render). */
async function act(fn, successKey = 'done') {
  try {
    await fn();
    ui.flash = successKey ? { kind: 'ok', key: successKey } : null;
  } catch (e) {
    ui.flash = { kind: 'error', key: 'error', detail: e.message };
  }
  await load();
  document.querySelector('.flash')?.scrollIntoView({ block: 'nearest' });
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

/** A form that hands its values to onValues when submitted, instead of leaving the page. */
function valuesForm(attrs, onValues, ...children) {
  const onsubmit = (e) => {
    e.preventDefault();
    onValues(formValues(e.target));
  };
  return h('form', { ...attrs, onsubmit }, ...children);
}

/** The address a form gives, in Québec. */
function addressOf(v) {
  return { address1: v.address1, city: v.city, postalCode: v.postalCode, state: 'QC', country: 'CA' };
}

function field(name, text, attrs = {}) {
  const id = `${attrs.idPrefix ?? 'f'}-${name}`;
  delete attrs.idPrefix;
  return h('label', { class: 'field', for: id }, h('span', {}, text), h('input', { id, name, ...attrs }));
}

function select(name, text, options, selected, idPrefix) {
  const id = `${idPrefix}-${name}`;
  return h(
    'label',
    { class: 'field', for: id },
    h('span', {}, text),
    h(
      'select',
      { id, name },
      options.map((o) => h('option', { value: o, selected: o === selected }, label(o))),
    ),
  );
}

// ----- Sections

function header() {
  return h(
    'header',
    {},
    h('div', {}, h('h1', {}, t('title')), h('p', { class: 'muted' }, t('subtitle'))),
    h(
      'div',
      { class: 'actions' },
      ui.me &&
        h(
          'span',
          { class: 'who' },
          `${t('signedInAs')} ${ui.me.account.username} (${t('accountNumber')}${ui.me.account.id})`,
        ),
      h('button', { type: 'button', class: 'link', onclick: () => act(async () => {}, null) }, t('refresh')),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          lang: ui.lang === 'fr' ? 'en' : 'fr',
          onclick: () => {
            ui.lang = ui.lang === 'fr' ? 'en' : 'fr';
            localStorage.setItem('sim-lang', ui.lang);
            document.documentElement.lang = ui.lang;
            render();
          },
        },
        t('language'),
      ),
      ui.me &&
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            onclick: () => {
              ui.auth = null;
              sessionStorage.removeItem('sim-auth');
              load();
            },
          },
          t('logout'),
        ),
    ),
  );
}

function flash() {
  if (!ui.flash) return null;
  const text = [t(ui.flash.key), ui.flash.detail].filter(Boolean).join(' ');
  return h(
    'p',
    { class: `flash ${ui.flash.kind}`, role: ui.flash.kind === 'error' ? 'alert' : 'status' },
    text,
  );
}

function signIn(username, password) {
  ui.auth = { username, password };
  sessionStorage.setItem('sim-auth', JSON.stringify(ui.auth));
}

function accountSection() {
  if (ui.me) return null;
  const create = valuesForm(
    { id: 'create-account', class: 'card' },
    (v) => {
      act(async () => {
        await api('POST', '/account', {
          username: v.username,
          password: v.password,
          firstName: v.firstName,
          lastName: v.lastName,
          email: v.email,
          organization: v.organization,
          languagePreference: ui.lang === 'fr' ? 'fr_CA' : 'en_US',
          address: addressOf(v),
        });
        signIn(v.username, v.password);
      });
    },
    h('h3', {}, t('createAccount')),
    field('username', t('username'), { required: true, idPrefix: 'new', autocomplete: 'username' }),
    field('password', t('password'), {
      type: 'password',
      required: true,
      minlength: 8,
      idPrefix: 'new',
      autocomplete: 'new-password',
    }),
    h(
      'div',
      { class: 'row' },
      field('firstName', t('firstName'), { required: true, idPrefix: 'new' }),
      field('lastName', t('lastName'), { required: true, idPrefix: 'new' }),
    ),
    field('email', t('email'), { type: 'email', required: true, idPrefix: 'new' }),
    field('organization', t('organization'), { required: true, idPrefix: 'new' }),
    field('address1', t('address1'), { required: true, idPrefix: 'new' }),
    h(
      'div',
      { class: 'row' },
      field('city', t('city'), { required: true, value: 'Montréal', idPrefix: 'new' }),
      field('postalCode', t('postalCode'), { required: true, idPrefix: 'new' }),
    ),
    h('button', { type: 'submit' }, t('create')),
  );
  const login = valuesForm(
    { id: 'sign-in', class: 'card' },
    (v) => {
      signIn(v.username, v.password);
      load();
    },
    h('h3', {}, t('signIn')),
    field('username', t('username'), { required: true, idPrefix: 'login', autocomplete: 'username' }),
    field('password', t('password'), {
      type: 'password',
      required: true,
      idPrefix: 'login',
      autocomplete: 'current-password',
    }),
    h('button', { type: 'submit' }, t('open')),
  );
  return h('section', {}, h('h2', {}, t('stepAccount')), h('div', { class: 'columns' }, create, login));
}

const FUNCTIONS = [
  'Office',
  'Multifamily Housing',
  'Retail Store',
  'K-12 School',
  'Hotel',
  'Supermarket/Grocery Store',
  'Worship Facility',
  'Mixed Use Property',
  'Other',
];
const METER_TYPES = [
  'Natural Gas',
  'Electric',
  'Propane',
  'Fuel Oil No 2',
  'District Steam',
  'District Hot Water',
];

function meterForm(property) {
  const prefix = `meter-${property.id}`;
  return valuesForm(
    {
      class: 'inline-form',
      'aria-label': `${t('addMeter')} — ${property.name}`,
    },
    (v) => {
      act(() =>
        api('POST', `/properties/${property.id}/meters`, {
          ...v,
          aggregateMeter: v.aggregateMeter === 'on',
        }),
      );
    },
    h('h4', {}, t('addMeter')),
    h(
      'div',
      { class: 'row' },
      select('type', t('meterType'), METER_TYPES, 'Natural Gas', prefix),
      field('name', t('meterName'), { required: true, idPrefix: prefix }),
      select('unitOfMeasure', t('unit'), ui.provider.naturalGasUnits, 'cm (Cubic meters)', prefix),
      field('firstBillDate', t('firstBillDate'), { type: 'date', required: true, idPrefix: prefix }),
      h(
        'label',
        { class: 'field', for: `${prefix}-aggregateMeter` },
        h('span', {}, t('aggregateMeter')),
        h('input', { id: `${prefix}-aggregateMeter`, name: 'aggregateMeter', type: 'checkbox' }),
      ),
    ),
    h('button', { type: 'submit' }, t('createMeters')),
  );
}

function propertiesSection() {
  if (!ui.me) return null;
  const add = valuesForm(
    { id: 'add-property', class: 'card' },
    (v) => {
      act(() =>
        api('POST', '/properties', {
          name: v.name,
          primaryFunction: v.primaryFunction,
          grossFloorArea: v.grossFloorArea,
          address: addressOf(v),
        }),
      );
    },
    h('h3', {}, t('addProperty')),
    h(
      'div',
      { class: 'row' },
      field('name', t('propertyName'), { required: true, idPrefix: 'prop' }),
      select('primaryFunction', t('primaryFunction'), FUNCTIONS, 'Office', 'prop'),
      field('grossFloorArea', t('floorArea'), { type: 'number', min: 1, value: '1000', idPrefix: 'prop' }),
    ),
    h(
      'div',
      { class: 'row' },
      field('address1', t('address1'), { required: true, idPrefix: 'prop' }),
      field('city', t('city'), { required: true, value: 'Montréal', idPrefix: 'prop' }),
      field('postalCode', t('postalCode'), { required: true, idPrefix: 'prop' }),
    ),
    h('button', { type: 'submit' }, t('addProperty')),
  );
  const list = ui.me.properties.length
    ? ui.me.properties.map((p) =>
        h(
          'article',
          { class: 'card property' },
          h('h3', {}, p.name, ' ', h('span', { class: 'muted' }, `#${p.id} · ${label(p.primaryFunction)}`)),
          h('h4', {}, t('meters')),
          p.meters.length
            ? h(
                'ul',
                {},
                p.meters.map((m) =>
                  h(
                    'li',
                    {},
                    h('strong', {}, m.name),
                    ` #${m.id} · ${label(m.type)} · ${label(m.unitOfMeasure)} · ${m.firstBillDate}`,
                    m.aggregateMeter ? ` · ${t('aggregateMeter')}` : '',
                  ),
                ),
              )
            : h('p', { class: 'muted' }, t('noMeters')),
          meterForm(p),
        ),
      )
    : h('p', { class: 'muted' }, t('noProperties'));
  return h('section', {}, h('h2', {}, t('stepProperties')), list, add);
}

const defs = (when) => ui.provider.customFields.filter((f) => f.whenToPrompt === when);

/** The client-side checks ESPM's interface makes before sending (the API itself checks nothing). */
function fieldProblem(def, value) {
  if (!value) return def.required ? t('requiredField') : null;
  if (def.validCharacters === 'Numeric' && !/^\d+$/.test(value)) return t('digitsOnly');
  if (def.validCharacters === 'Alphanumeric' && !/^[\p{L}\p{N}]+$/u.test(value))
    return t('lettersDigitsOnly');
  if ((def.minChars && value.length < def.minChars) || (def.maxChars && value.length > def.maxChars)) {
    const [key, params] = lengthHint(def);
    return `${t(key, params)}.`;
  }
  return null;
}

function fieldInputs(level, id, list, current) {
  return list.map((def, i) => {
    const value = current.find((v) => v.name === def.name)?.value ?? '';
    return h(
      'td',
      {},
      h('input', {
        class: 'cf',
        'data-level': level,
        'data-id': id,
        'data-name': def.name,
        'aria-label': `${def.name} (${id})`,
        value,
        size: Math.min(14, Math.max(4, def.maxChars ?? 10)),
        'data-index': i,
      }),
    );
  });
}

function footnotes(list) {
  return h(
    'ol',
    { class: 'footnotes' },
    list.map((def) =>
      h(
        'li',
        {},
        h('strong', {}, def.name),
        def.description ? `: ${def.description}` : '',
        def.minChars || def.maxChars ? ` ${t(...lengthHint(def))}.` : '',
      ),
    ),
  );
}

function connectionSection() {
  if (!ui.me) return null;
  const p = ui.provider;
  const c = ui.me.connection;
  const status = c?.status ?? 'none';
  const canSend = status === 'none' || status === 'rejected' || status === 'disconnected';
  const terms =
    p.termsOfUse.kind === 'text'
      ? h('p', { class: 'terms' }, p.termsOfUse.text)
      : p.termsOfUse.kind === 'url'
        ? h('p', {}, h('a', { href: p.termsOfUse.url, target: '_blank', rel: 'noopener' }, t('termsLink')))
        : h('p', { class: 'muted' }, t('noTerms'));
  const once = defs('Once');
  const form =
    canSend &&
    h(
      'form',
      {
        id: 'connect',
        onsubmit: (e) => {
          e.preventDefault();
          const customFields = {};
          for (const input of e.target.querySelectorAll('input.cf'))
            customFields[input.dataset.name] = input.value.trim();
          const problem = once.map((d) => fieldProblem(d, customFields[d.name])).find(Boolean);
          if (problem) {
            ui.flash = { kind: 'error', key: 'error', detail: problem };
            return render();
          }
          act(
            () => api('POST', '/connection', { acceptTerms: e.target.acceptTerms.checked, customFields }),
            'connectionSent',
          );
        },
      },
      h('h4', {}, t('termsOfUse')),
      terms,
      once.length > 0 &&
        h(
          'table',
          {},
          h(
            'tr',
            {},
            once.map((d) => h('th', {}, d.name)),
          ),
          h('tr', {}, fieldInputs('account', ui.me.account.id, once, ui.me.accountCustomFields)),
        ),
      once.length > 0 && footnotes(once),
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name: 'acceptTerms', required: true }),
        ` ${t('acceptTerms')} (${p.organization})`,
      ),
      h('button', { type: 'submit' }, t('sendConnection')),
    );
  return h(
    'section',
    {},
    h('h2', {}, t('stepContacts')),
    h(
      'div',
      { class: 'card' },
      h(
        'table',
        { class: 'contacts' },
        h(
          'tr',
          {},
          h('th', {}, t('provider')),
          h('th', {}, t('organization')),
          h('th', {}, t('connectionState')),
          h('th', {}, t('username')),
        ),
        h(
          'tr',
          {},
          h('td', {}, p.contactName),
          h('td', {}, p.organization),
          h(
            'td',
            {},
            h('span', { class: `badge ${status}`, id: 'connection-status' }, t(`status_${status}`)),
          ),
          h('td', {}, p.username),
        ),
      ),
      c?.note && h('p', { class: 'note' }, `${t('providerNote')} ${c.note}`),
      form,
      status === 'accepted' &&
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            { type: 'button', class: 'danger', onclick: () => act(() => api('POST', '/remove-contact')) },
            t('removeContact'),
          ),
          h(
            'button',
            { type: 'button', class: 'danger', onclick: () => act(() => api('DELETE', '/connection')) },
            t('disconnect'),
          ),
        ),
      status === 'pending' &&
        h(
          'button',
          { type: 'button', class: 'danger', onclick: () => act(() => api('DELETE', '/connection')) },
          t('disconnect'),
        ),
    ),
  );
}

const LEVELS = [
  ['none', 'noAccess'],
  ['Read', 'readOnly'],
  ['Read Write', 'fullAccess'],
];
const live = (share) => share && (share.status === 'pending' || share.status === 'accepted');

function shareStatus(share) {
  const status = share?.status ?? 'none';
  return h(
    'div',
    { class: 'share-status' },
    h('span', { class: `badge ${status}` }, t(`share_${status}`)),
    share && live(share) ? ` · ${share.accessLevel === 'Read' ? t('readOnly') : t('fullAccess')}` : '',
    share?.closedByPropertyShare ? ` ${t('closedWithProperty')}` : '',
    // The provider's note answers the request; once access is removed it no longer applies.
    share?.note && share.status !== 'removed'
      ? h('span', { class: 'note' }, ` — ${t('providerNote')} ${share.note}`)
      : '',
  );
}

/** The share's state and the provider's note, on a full-width line under its row. */
function statusRow(share, span) {
  return h('tr', { class: 'status-row' }, h('td', { colspan: span }, shareStatus(share)));
}

function levelCells(kind, item) {
  const current = live(item.share) ? item.share.accessLevel : 'none';
  return LEVELS.map(([value, key]) =>
    h(
      'td',
      { class: 'center' },
      h('input', {
        type: 'radio',
        name: `level-${kind}-${item.id}`,
        value,
        checked: value === current,
        'aria-label': `${item.name} — ${t(key)}`,
      }),
    ),
  );
}

async function applySharing(form, property) {
  const level = (kind, id) =>
    form.querySelector(`input[name="level-${kind}-${id}"]:checked`)?.value ?? 'none';
  const values = (level, id) => {
    const out = {};
    for (const input of form.querySelectorAll(`input.cf[data-level="${level}"][data-id="${id}"]`))
      out[input.dataset.name] = input.value.trim();
    return out;
  };
  const rows = [
    ['property', property, defs('Property')],
    ...property.meters.map((m) => ['meter', m, defs('Meter')]),
  ];
  for (const [kind, item, list] of rows) {
    if (level(kind, item.id) === 'none') continue;
    const problem = list.map((d) => fieldProblem(d, values(kind, item.id)[d.name])).find(Boolean);
    if (problem) throw new Error(`${item.name}: ${problem}`);
  }
  const base = (kind, id) => `/${kind === 'property' ? 'properties' : 'meters'}/${id}`;
  for (const [kind, item] of rows) {
    const chosen = level(kind, item.id);
    if (chosen !== 'none') {
      await api('POST', `${base(kind, item.id)}/share`, {
        accessLevel: chosen,
        customFields: values(kind, item.id),
      });
    } else if (live(item.share)) {
      await api(
        'POST',
        kind === 'property' ? `${base(kind, item.id)}/remove-provider` : `${base(kind, item.id)}/no-access`,
      );
    }
  }
}

function sharingSection() {
  if (!ui.me || ui.me.properties.length === 0) return null;
  const meterDefs = defs('Meter');
  const propertyDefs = defs('Property');
  const connected = ui.me.connection?.status === 'accepted';
  const columns = [...propertyDefs, ...meterDefs];
  return h(
    'section',
    {},
    h('h2', {}, t('stepSharing')),
    h('p', { class: 'muted' }, t('sharingIntro')),
    !connected && h('p', { class: 'warning' }, t('needConnection')),
    ui.me.properties.map((p) =>
      h(
        'form',
        {
          class: 'card sharing',
          'aria-label': p.name,
          onsubmit: (e) => {
            e.preventDefault();
            act(() => applySharing(e.target, p), 'sharingSent');
          },
        },
        h('h3', {}, p.name, ' ', h('span', { class: 'muted' }, `→ ${ui.provider.organization}`)),
        h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            {},
            h(
              'tr',
              {},
              h('th', {}, t('element')),
              LEVELS.map(([, key]) => h('th', { class: 'center' }, t(key))),
              columns.map((d, i) => h('th', {}, d.name, h('sup', {}, String(i + 1)))),
            ),
            h(
              'tr',
              { class: 'item' },
              h('td', {}, t('propertyInfo')),
              levelCells('property', p),
              fieldInputs('property', p.id, propertyDefs, p.customFields),
              meterDefs.map(() => h('td', {})),
            ),
            statusRow(p.share, 4 + columns.length),
            p.meters.map((m) => [
              h(
                'tr',
                { class: 'item' },
                h('td', {}, `${label(m.type)} — ${m.name}`),
                levelCells('meter', m),
                propertyDefs.map(() => h('td', {})),
                fieldInputs('meter', m.id, meterDefs, m.customFields),
              ),
              statusRow(m.share, 4 + columns.length),
            ]),
          ),
        ),
        columns.length > 0 && footnotes(columns),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit' }, t('applySharing')),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: () => act(() => api('POST', `/properties/${p.id}/remove-all-access`)),
            },
            t('removeAllAccess'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: () => act(() => api('POST', `/properties/${p.id}/remove-provider`)),
            },
            t('removeProvider'),
          ),
        ),
      ),
    ),
  );
}

function billsSection() {
  const meters = (ui.me?.properties ?? []).flatMap((p) => p.meters.map((m) => ({ ...m, property: p.name })));
  if (meters.length === 0) return null;
  return h(
    'section',
    {},
    h('h2', {}, t('stepBills')),
    meters.map((m) => {
      const bills = ui.bills[m.id] ?? [];
      return h(
        'article',
        { class: 'card', 'aria-label': `${t('stepBills')} ${m.name}` },
        h('h3', {}, `${m.property} — ${m.name}`, ' ', h('span', { class: 'muted' }, `#${m.id}`)),
        bills.length
          ? h(
              'div',
              { class: 'scroll' },
              h(
                'table',
                { class: 'bills' },
                h(
                  'tr',
                  {},
                  [
                    t('startDate'),
                    t('endDate'),
                    `${t('usage')} ${label(m.unitOfMeasure)}`,
                    t('cost'),
                    t('estimated'),
                    t('lastUpdatedBy'),
                  ].map((x) => h('th', {}, x)),
                ),
                bills.map((b) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, b.startDate),
                    h('td', {}, b.endDate),
                    h('td', { class: 'num' }, b.usage),
                    h('td', { class: 'num' }, b.cost ?? ''),
                    h('td', {}, b.estimatedValue ? t('yes') : t('no')),
                    h('td', {}, `${(b.lastUpdatedDate ?? '').slice(0, 10)} ${b.lastUpdatedBy ?? ''}`),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, t('noBills')),
        valuesForm(
          {
            class: 'inline-form',
            'aria-label': `${t('addBill')} ${m.name}`,
          },
          (v) => {
            act(() =>
              api('POST', `/meters/${m.id}/consumption`, {
                startDate: v.startDate,
                endDate: v.endDate,
                usage: v.usage,
                cost: v.cost,
                estimatedValue: v.estimatedValue === 'on',
              }),
            );
          },
          h('h4', {}, t('addBill')),
          h(
            'div',
            { class: 'row' },
            field('startDate', t('startDate'), { type: 'date', required: true, idPrefix: `bill-${m.id}` }),
            field('endDate', t('endDate'), { type: 'date', required: true, idPrefix: `bill-${m.id}` }),
            field('usage', t('usage'), {
              type: 'number',
              step: 'any',
              min: 0,
              required: true,
              idPrefix: `bill-${m.id}`,
            }),
            field('cost', t('cost'), { type: 'number', step: '0.01', min: 0, idPrefix: `bill-${m.id}` }),
            h(
              'label',
              { class: 'check' },
              h('input', { type: 'checkbox', name: 'estimatedValue' }),
              ` ${t('estimated')}`,
            ),
          ),
          h('button', { type: 'submit' }, t('addBill')),
        ),
      );
    }),
  );
}

function render() {
  // A counter of renders lets a browser test wait for the page to settle after an action.
  document.body.dataset.renders = String(Number(document.body.dataset.renders ?? 0) + 1);
  document.title = t('title');
  document.documentElement.lang = ui.lang;
  root.replaceChildren(
    header(),
    h(
      'main',
      {},
      flash(),
      accountSection(),
      propertiesSection(),
      connectionSection(),
      sharingSection(),
      billsSection(),
    ),
  );
}

load().catch((e) => {
  root.replaceChildren(h('p', { class: 'flash error' }, e.message));
});
