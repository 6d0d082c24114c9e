// ESPM's Test web UI (/pmtest), as far as the customer guide goes: sign in, find the provider in the
// contacts and send the connection request accepting its terms, then share properties and meters for
// data exchange with the provider's custom fields. Page and control names follow ESPM's (the guide's
// screens, and what a client driving the real /pmtest found there), so that one browser script drives
// both. Signed in by a session cookie, as ESPM's pages are; nothing here is an ESPM web service.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findAccountByUsername, metersOfProperty, propertiesOfAccount } from '../domain/accounts.ts';
import { listDefinitions, valuesFor } from '../domain/custom-fields.ts';
import { answerCustomFields, sendConnectionRequest, sendShare } from '../domain/invitations.ts';
import { removeProviderFromProperty, setMeterNoAccess } from '../domain/removals.ts';
import { SimError } from '../errors.ts';
import type { AccessLevel, CustomFieldDefinition } from '../espm.ts';
import type { SimContext } from '../http/context.ts';
import type { AccountRecord, ShareRecord } from '../state/model.ts';
import type { PermissionsView } from '../test-ui/pages.ts';
import {
  PERMISSIONS_SCRIPT,
  PICKER_SCRIPT,
  esc,
  loginPage,
  page,
  permissionsBody,
} from '../test-ui/pages.ts';
import type { UiLanguage, WordKey } from '../test-ui/words.ts';
import { say } from '../test-ui/words.ts';

const COOKIE = 'PMTEST_SESSION';
const LEVELS: Record<string, AccessLevel | 'NONE'> = {
  NONE: 'NONE',
  READ_ONLY: 'Read',
  FULL_ACCESS: 'Read Write',
};

const formOf = (req: FastifyRequest): URLSearchParams =>
  new URLSearchParams(typeof req.body === 'string' ? req.body : '');
const queryOf = (req: FastifyRequest): Record<string, string | string[] | undefined> =>
  (req.query ?? {}) as Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined): string =>
  (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const all = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);

function languageOf(account: AccountRecord | undefined, req: FastifyRequest): UiLanguage {
  if (account) return account.languagePreference === 'fr_CA' ? 'fr' : 'en';
  return /^fr/i.test(String(req.headers['accept-language'] ?? '')) ? 'fr' : 'en';
}

const liveLevel = (share: ShareRecord | undefined): AccessLevel | 'NONE' =>
  share && (share.status === 'pending' || share.status === 'accepted') ? share.accessLevel : 'NONE';

/** ESPM's interface checks each answer against its field before sharing (the customer page does the same). */
function fieldProblems(
  meterName: string,
  defs: CustomFieldDefinition[],
  answers: Record<string, string>,
): string[] {
  const problems: string[] = [];
  for (const d of defs) {
    const v = (answers[d.name] ?? '').trim();
    if (!v) {
      if (d.required) problems.push(`${meterName} — ${d.name}: required.`);
      continue;
    }
    if (d.validCharacters === 'Numeric' && !/^\d+$/.test(v))
      problems.push(`${meterName} — ${d.name}: digits only.`);
    if (d.validCharacters === 'Alphanumeric' && !/^[A-Za-z0-9]+$/.test(v))
      problems.push(`${meterName} — ${d.name}: letters and digits only.`);
    if (
      (d.minChars !== undefined && v.length < d.minChars) ||
      (d.maxChars !== undefined && v.length > d.maxChars)
    )
      problems.push(
        `${meterName} — ${d.name}: between ${d.minChars ?? 0} and ${d.maxChars ?? '∞'} characters.`,
      );
  }
  return problems;
}

export function testWebUiRoutes(app: FastifyInstance, sim: SimContext): void {
  const { domain, store } = sim;
  const sessions = new Map<string, string>();

  function signedIn(req: FastifyRequest): AccountRecord | undefined {
    const token = String(req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([k]) => k === COOKIE)?.[1];
    const id = token ? sessions.get(token) : undefined;
    return id ? store.data.accounts[id] : undefined;
  }

  /** A page for a signed-in customer; the sign-in page otherwise. */
  function customerPage(
    path: string,
    render: (
      caller: AccountRecord,
      lang: UiLanguage,
      req: FastifyRequest,
    ) => { title: WordKey; body: string; script?: string },
    method: 'GET' | 'POST' = 'GET',
  ): void {
    app.route({
      method,
      url: `/pmtest${path}`,
      handler: (req, reply) => {
        const caller = signedIn(req);
        if (!caller) return reply.redirect('/pmtest/login', 303);
        const lang = languageOf(caller, req);
        try {
          const p = render(caller, lang, req);
          return html(
            reply,
            200,
            page({ lang, title: say(lang, p.title), username: caller.username }, p.body, p.script),
          );
        } catch (e) {
          if (!(e instanceof SimError)) throw e;
          return html(
            reply,
            e.status,
            page(
              { lang, title: say(lang, 'myPortfolio'), username: caller.username },
              `<p class="error" role="alert">${esc(e.message)}</p>`,
            ),
          );
        }
      },
    });
  }

  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(body);

  app.get('/pmtest', (_req, reply) => reply.redirect('/pmtest/login'));
  app.get('/pmtest/', (_req, reply) => reply.redirect('/pmtest/login'));
  app.get('/pmtest/login', (req, reply) => html(reply, 200, loginPage(languageOf(undefined, req))));
  app.post('/pmtest/login', (req, reply) => {
    const form = formOf(req);
    const account = findAccountByUsername(domain, form.get('username') ?? '');
    if (!account || account.password !== form.get('password') || account.isProvider) {
      const lang = languageOf(undefined, req);
      return html(reply, 401, loginPage(lang, say(lang, 'badLogin')));
    }
    const token = randomBytes(18).toString('base64url');
    sessions.set(token, account.id);
    return reply
      .header('Set-Cookie', `${COOKIE}=${token}; Path=/pmtest; HttpOnly; SameSite=Lax`)
      .redirect('/pmtest/myportfolio', 303);
  });
  app.get('/pmtest/logout', (req, reply) => {
    const token = String(req.headers.cookie ?? '').match(new RegExp(`${COOKIE}=([^;]+)`))?.[1];
    if (token) sessions.delete(token);
    return reply.redirect('/pmtest/login', 303);
  });

  customerPage('/myportfolio', (caller) => ({
    title: 'myPortfolio',
    body: `<ul>${propertiesOfAccount(domain, caller.id)
      .map(
        (p) =>
          `<li>${esc(p.info.name ?? p.id)} (${esc(p.id)})<ul>${metersOfProperty(domain, p.id)
            .map(
              (m) =>
                `<li>${esc(m.meter.name)} (${esc(m.id)}) — ${esc(m.meter.type)}, ${esc(m.meter.unitOfMeasure)}</li>`,
            )
            .join('')}</ul></li>`,
      )
      .join('')}</ul>`,
  }));

  customerPage('/contact/list', (caller, lang) => {
    const c = store.data.connections[caller.id];
    const provider = store.provider;
    const status: Record<string, WordKey> = {
      accepted: 'connected',
      pending: 'pending',
      rejected: 'rejected',
      disconnected: 'disconnected',
    };
    return {
      title: 'contactsTitle',
      body: `<table>${c ? `<tr><td>${esc(provider.organization)} (${esc(provider.username)})</td><td>${esc(say(lang, status[c.status]!))}</td></tr>` : ''}</table>
<form method="get" action="/pmtest/contact/search"><button type="submit">${esc(say(lang, 'addContacts'))}</button></form>`,
    };
  });

  customerPage('/contact/search', (caller, lang, req) => {
    const q = queryOf(req);
    const username = first(q.username).toLowerCase();
    const organization = first(q.organization).toLowerCase();
    const t = (k: WordKey) => esc(say(lang, k));
    const found =
      username || organization
        ? Object.values(store.data.accounts).filter(
            (a) =>
              a.id !== caller.id &&
              (a.isProvider || a.searchable === true) &&
              (!username || a.username.toLowerCase().includes(username)) &&
              (!organization || a.organization.toLowerCase().includes(organization)),
          )
        : undefined;
    const rows = found?.length
      ? `<table id="searchResults">${found
          .map(
            (a) =>
              `<tr><td>${esc(`${a.contact.firstName} ${a.contact.lastName}`)} (${esc(a.username)}) ${esc(a.organization)}</td><td>${
                a.isProvider
                  ? `<form method="get" action="/pmtest/dataexchange/sendConnectionRequest"><input type="hidden" name="accountId" value="${esc(a.id)}"><button type="submit">${t('connect')}</button></form>`
                  : ''
              }</td></tr>`,
          )
          .join('')}</table>`
      : found
        ? `<p>${t('noResult')}</p>`
        : '';
    return {
      title: 'searchTitle',
      body: `<form method="get" action="/pmtest/contact/search">
<p><label for="searchContactOrganization">${t('organization')}</label> <input id="searchContactOrganization" name="organization" value="${esc(first(q.organization))}"></p>
<p><label for="searchContactUsername">${t('username')}</label> <input id="searchContactUsername" name="username" value="${esc(first(q.username))}"></p>
<p><button type="submit">${t('search')}</button></p></form>${rows}`,
    };
  });

  const providerOf = (id: string): AccountRecord => {
    const p = store.data.accounts[id];
    if (!p?.isProvider) throw new SimError(404, 'This account is not a web services provider.');
    return p;
  };
  const onceFields = () =>
    listDefinitions(domain)
      .filter((f) => f.definition.whenToPrompt === 'Once')
      .map((f) => f.definition);

  customerPage('/dataexchange/sendConnectionRequest', (_caller, lang, req) => {
    const provider = providerOf(first(queryOf(req).accountId));
    const org = provider.organization;
    const terms = store.data.settings.termsOfUse;
    const t = (k: WordKey) => esc(say(lang, k));
    return {
      title: 'sendRequest',
      body: `<p>${esc(say(lang, 'sendRequestTitle', { org }))}</p>
<form method="post" action="/pmtest/dataexchange/sendConnectionRequest">
<input type="hidden" name="accountId" value="${esc(provider.id)}">
${onceFields()
  .map(
    (f, i) =>
      `<p><label for="once-${i}">${esc(f.name)}</label> <input id="once-${i}" name="field" data-name="${esc(f.name)}"><input type="hidden" name="fieldName" value="${esc(f.name)}"></p>`,
  )
  .join('')}
${
  terms.kind === 'none'
    ? ''
    : `<h2>${t('termsOfUse')}</h2><div id="termsOfUse">${terms.kind === 'text' ? esc(terms.text).replace(/\n/g, '<br>') : `<a href="${esc(terms.url)}">${esc(terms.url)}</a>`}</div>
<p><input type="checkbox" id="agreement-checkbox-1" name="agreement" value="yes"> <label for="agreement-checkbox-1">${esc(say(lang, 'agreement', { org }))}</label></p>`
}
<p><button type="submit">${t('sendRequest')}</button></p></form>`,
    };
  });

  customerPage(
    '/dataexchange/sendConnectionRequest',
    (caller, lang, req) => {
      const form = formOf(req);
      const provider = providerOf(form.get('accountId') ?? '');
      if (store.data.settings.termsOfUse.kind !== 'none' && form.get('agreement') !== 'yes')
        throw new SimError(400, say(lang, 'mustAgree'));
      const names = form.getAll('fieldName');
      const values = form.getAll('field');
      const answers = names
        .map((name, i) => ({ name, value: (values[i] ?? '').trim() }))
        .filter((a) => a.value);
      if (answers.length) answerCustomFields(domain, caller, 'account', caller.id, provider.id, answers);
      sendConnectionRequest(domain, caller, provider.id);
      return {
        title: 'sendRequest',
        body: `<p class="ok" role="status">${esc(say(lang, 'requestSent', { org: provider.organization }))}</p>`,
      };
    },
    'POST',
  );

  customerPage('/sharing', (_caller, lang) => ({
    title: 'sharing',
    body: `<p><a href="/pmtest/sharing/dataExchange">${esc(say(lang, 'shareForExchange'))}</a></p>`,
  }));

  customerPage('/sharing/dataExchange', (caller, lang) => {
    const t = (k: WordKey) => esc(say(lang, k));
    const connected = store.data.connections[caller.id]?.status === 'accepted';
    const provider = store.provider;
    if (!connected) return { title: 'exchangeTitle', body: `<p class="error">${t('noProvider')}</p>` };
    return {
      title: 'exchangeTitle',
      body: `<form method="get" action="/pmtest/sharing/dataExchange/permissions">
<h2>1 ${t('selectProvider')}</h2>
<select id="webServiceProvider" name="provider"><option value="${esc(provider.id)}">${esc(provider.organization)} (${esc(provider.username)})</option></select>
<h2>2 ${t('selectProperties')}</h2>
<p><button type="button" id="buttonSelectProperties">${t('selectProperties')}</button> ${t('selectedProperties')} <span id="selectedCount">0</span></p>
<dialog id="modalDialogSelectProperties"><table id="modalDialogSelectPropertiesTable"><tbody>${propertiesOfAccount(
        domain,
        caller.id,
      )
        .map(
          (p) =>
            `<tr><td><input type="checkbox" name="property" value="${esc(p.id)}" id="${esc(p.id)}"></td><td><label for="${esc(p.id)}">${esc(p.info.name ?? p.id)} (${esc(p.id)})</label></td></tr>`,
        )
        .join(
          '',
        )}</tbody></table><p><button type="button" id="applySelection">${t('applySelection')}</button></p></dialog>
<h2>3 ${t('chooseAuth')}</h2>
<p><input type="radio" name="bulk" value="yes" id="bulkShare-Yes"> <label for="bulkShare-Yes">${t('bulkYes')}</label></p>
<p><input type="radio" name="bulk" value="no" id="bulkShare-No"> <label for="bulkShare-No">${t('bulkNo')}</label></p>
<p><button type="submit" id="continueButton">${t('continue')}</button></p></form>`,
      script: PICKER_SCRIPT,
    };
  });

  const meterFields = () =>
    listDefinitions(domain)
      .filter((f) => f.definition.whenToPrompt === 'Meter')
      .map((f) => f.definition);

  customerPage('/sharing/dataExchange/permissions', (caller, lang, req) => {
    const q = queryOf(req);
    if (first(q.bulk) !== 'no') throw new SimError(400, say(lang, 'bulkNotSimulated'));
    const provider = providerOf(first(q.provider));
    const supported = store.data.settings.supportedMeterTypes;
    const view: PermissionsView = {
      providerId: provider.id,
      organization: provider.organization,
      fields: meterFields(),
      properties: all(q.property).map((id) => {
        const p = store.data.properties[id];
        if (p?.accountId !== caller.id) throw new SimError(404, `Property ${id} is not yours.`);
        return {
          id,
          name: p.info.name ?? id,
          level: liveLevel(store.data.propertyShares[id]),
          meters: metersOfProperty(domain, id)
            .filter((m) => supported.includes(m.meter.type))
            .map((m) => ({
              id: m.id,
              name: m.meter.name,
              level: liveLevel(store.data.meterShares[m.id]),
              answers: Object.fromEntries(valuesFor(domain, 'meter', m.id).map((v) => [v.name, v.value])),
            })),
        };
      }),
    };
    return { title: 'shareTitle', body: permissionsBody(lang, view), script: PERMISSIONS_SCRIPT };
  });

  app.post('/pmtest/sharing/submit.json', (req, reply) => {
    const caller = signedIn(req);
    const json = (status: number, body: unknown) =>
      reply.code(status).type('application/json').send(JSON.stringify(body));
    if (!caller) return json(401, { errors: ['Not signed in.'] });
    const lang = languageOf(caller, req);
    const body = (req.body ?? {}) as {
      providerId?: string;
      properties?: Array<{
        propertyId: string;
        level: string;
        meters: Array<{ meterId: string; level: string; fields: Record<string, string> }>;
      }>;
    };
    try {
      const provider = providerOf(String(body.providerId ?? ''));
      const properties = Array.isArray(body.properties) ? body.properties : [];
      const defs = meterFields();
      const problems = properties.flatMap((p) =>
        (p.meters ?? [])
          .filter((m) => LEVELS[m.level] !== undefined && LEVELS[m.level] !== 'NONE')
          .flatMap((m) =>
            fieldProblems(store.data.meters[m.meterId]?.meter.name ?? m.meterId, defs, m.fields ?? {}),
          ),
      );
      if (problems.length) return json(400, { errors: problems });
      for (const p of properties) {
        const level = LEVELS[p.level];
        if (level === undefined) throw new SimError(400, `Unknown access level "${p.level}".`);
        if (level !== 'NONE') sendShare(domain, caller, 'property', p.propertyId, provider.id, level);
        else if (liveLevel(store.data.propertyShares[p.propertyId]) !== 'NONE')
          removeProviderFromProperty(domain, caller, p.propertyId, provider.id);
        for (const m of p.meters ?? []) {
          const meterLevel = LEVELS[m.level];
          if (meterLevel === undefined) throw new SimError(400, `Unknown access level "${m.level}".`);
          if (meterLevel === 'NONE') {
            if (liveLevel(store.data.meterShares[m.meterId]) !== 'NONE')
              setMeterNoAccess(domain, caller, m.meterId);
            continue;
          }
          const answers = Object.entries(m.fields ?? {})
            .map(([name, value]) => ({ name, value: String(value).trim() }))
            .filter((a) => a.value);
          answerCustomFields(domain, caller, 'meter', m.meterId, provider.id, answers);
          sendShare(domain, caller, 'meter', m.meterId, provider.id, meterLevel);
        }
      }
      return json(200, { message: say(lang, 'shared', { org: provider.organization }) });
    } catch (e) {
      if (!(e instanceof SimError)) throw e;
      return json(e.status, { errors: e.errors.map((x) => x.errorDescription) });
    }
  });
}
