// The Test web UI (/pmtest) as a customer's browser uses it: signed in by a cookie, the provider found
// only because it is searchable, the connection request only with the terms agreed, and the sharing
// request checked against the provider's fields as ESPM's interface checks them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAccount } from '../espm.ts';
import type { Simulator } from '../index.ts';
import type { Customer } from '../../test-support/index.ts';
import { call, newCustomer, newMeter, newProperty, testSimulator } from '../../test-support/index.ts';

describe('the Test web UI (/pmtest)', () => {
  let sim: Simulator;
  let customer: Customer;
  let cookie = '';
  let propertyId = '';
  let meterId = '';

  const get = async (path: string) => {
    const r = await sim.app.inject({ method: 'GET', url: path, headers: { cookie } });
    return { status: r.statusCode, body: r.body, location: r.headers.location };
  };
  const post = async (path: string, body: string | object) => {
    const json = typeof body === 'object';
    const r = await sim.app.inject({
      method: 'POST',
      url: path,
      headers: { cookie, 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
      payload: json ? JSON.stringify(body) : body,
    });
    return {
      status: r.statusCode,
      body: r.body,
      location: r.headers.location,
      setCookie: r.headers['set-cookie'],
    };
  };

  before(async () => {
    sim = await testSimulator();
    customer = await newCustomer(sim, 'marie');
    propertyId = await newProperty(sim, customer);
    meterId = await newMeter(sim, customer, propertyId);
  });
  after(() => sim.close());

  it('refuses a wrong password and sends pages to the sign-in without a session', async () => {
    const bad = await post('/pmtest/login', `username=marie&password=nope`);
    assert.equal(bad.status, 401);
    assert.match(bad.body, /Incorrect username or password|Nom d’utilisateur ou mot de passe incorrect/);
    assert.equal((await get('/pmtest/contact/list')).location, '/pmtest/login');
  });

  it('signs in with the customer’s ESPM credentials, in the account’s language', async () => {
    const ok = await post(
      '/pmtest/login',
      `username=marie&password=${encodeURIComponent(customer.password)}`,
    );
    assert.equal(ok.status, 303);
    cookie = String(ok.setCookie).split(';')[0]!;
    const page = await get('/pmtest/myportfolio');
    assert.match(page.body, /MonPortefeuille/);
    assert.match(page.body, new RegExp(meterId));
  });

  it('finds the provider, which is searchable, and not the other customers', async () => {
    await newCustomer(sim, 'marie2');
    const found = await get('/pmtest/contact/search?username=marie');
    assert.doesNotMatch(found.body, /marie2/);
    const provider = await get(`/pmtest/contact/search?username=${sim.provider.username}`);
    assert.match(provider.body, /Connecter/);
    const account = parseAccount((await call(sim, 'GET', '/account', sim.provider)).body);
    assert.deepEqual(
      [account.id, account.searchable, account.webserviceUser],
      [sim.providerAccountId, true, true],
    );
  });

  it('sends the connection request only once the terms are agreed', async () => {
    const without = await post(
      '/pmtest/dataexchange/sendConnectionRequest',
      `accountId=${sim.providerAccountId}`,
    );
    assert.equal(without.status, 400);
    assert.equal(sim.state().connections.length, 0);
    const agreed = await post(
      '/pmtest/dataexchange/sendConnectionRequest',
      `accountId=${sim.providerAccountId}&agreement=yes`,
    );
    assert.equal(agreed.status, 200);
    assert.match(agreed.body, /Vous avez réussi à envoyer une demande de connexion/);
    assert.equal(sim.state().connections[0]!.status, 'pending');
  });

  it('refuses a share whose fields break the provider’s rules, and takes a good one with its answers', async () => {
    const share = (fields: Record<string, string>) =>
      post('/pmtest/sharing/submit.json', {
        providerId: sim.providerAccountId,
        properties: [{ propertyId, level: 'READ_ONLY', meters: [{ meterId, level: 'FULL_ACCESS', fields }] }],
      });
    const good = {
      'Numéro du compte': '11111111111',
      'Numéro de facture': '333333333333',
      'Numéro du compteur': '2222222',
      'Chargement initial': '24',
    };
    const bad = await share({ ...good, 'Numéro de facture': '3333' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /Numéro de facture: between 12 and 12 characters/);
    assert.equal(sim.state().meterShares.length, 0);
    assert.equal((await share(good)).status, 200);
    const state = sim.state();
    assert.deepEqual(
      state.meterShares.map((s) => [s.resourceId, s.status, s.accessLevel]),
      [[meterId, 'pending', 'Read Write']],
    );
    assert.deepEqual(
      state.propertyShares.map((s) => s.accessLevel),
      ['Read'],
    );
    assert.equal(
      state.customFieldValues.meter[meterId]!.find((v) => v.name === 'Numéro de facture')!.value,
      '333333333333',
    );
  });
});
