import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parseMeter, parseNotificationList, parseResponse } from '../espm.ts';
import type { Simulator } from '../index.ts';
import type { Customer } from '../../test-support/index.ts';
import {
  asProvider,
  call,
  newCustomer,
  newMeter,
  sharedMeter,
  simJson,
  testSimulator,
} from '../../test-support/index.ts';

const API = '/sim/customer/api';

async function codes(sim: Simulator, clear?: boolean) {
  const r = await asProvider(sim).get(`/notification/list${clear === undefined ? '' : `?clear=${clear}`}`);
  assert.equal(r.status, 200);
  return parseNotificationList(r.body).map((n) => [
    n.notificationTypeCode,
    n.propertyId ?? null,
    n.meterId ?? null,
  ]);
}

describe('what the provider may read, before and after the customer removes access', () => {
  let sim: Simulator;
  let n = 0;
  let customer: Customer;
  let propertyId: string;
  let meterId: string;

  before(async () => {
    sim = await testSimulator();
  });
  after(() => sim.close());
  beforeEach(async () => {
    ({ customer, propertyId, meterId } = await sharedMeter(sim, `client_${++n}`));
    await asProvider(sim).get('/notification/list'); // start each case with an empty feed
  });

  const provider = () => asProvider(sim);
  const expectDenied = async (path: string) => {
    const r = await provider().get(path);
    assert.equal(r.status, 403, `${path} should be Access Denied`);
    assert.equal(parseResponse(r.body).errors[0]?.errorDescription, 'Access Denied');
  };

  it('refuses a meter and a property never shared, and serves them once the share is accepted', async () => {
    const other = await newCustomer(sim, `prive_${n}`);
    const privateMeter = await newMeter(
      sim,
      other,
      (
        await simJson<{ propertyId: string }>(sim, 'POST', `${API}/properties`, other, {
          name: 'Privé',
          address: { address1: '1 rue A', city: 'Laval', postalCode: 'H7A 1A1' },
        })
      ).json.propertyId,
    );
    await expectDenied(`/meter/${privateMeter}`);
    await expectDenied(`/meter/${privateMeter}/consumptionData`);
    const meter = parseMeter((await provider().get(`/meter/${meterId}`)).body);
    assert.equal(meter.accessLevel, 'Read Write');
    assert.equal(meter.id, meterId);
    assert.equal((await provider().get(`/property/${propertyId}`)).status, 200);
    assert.equal((await provider().get('/meter/123')).status, 404);
  });

  it('way 1, removing the contact from all properties: UNSHARE per property and per meter, then 403', async () => {
    const r = await simJson(sim, 'POST', `${API}/remove-contact`, customer);
    assert.deepEqual(r.json, { ended: 2 });
    assert.deepEqual(await codes(sim), [
      ['UNSHARE', propertyId, null],
      ['UNSHARE', propertyId, meterId],
    ]);
    await expectDenied(`/meter/${meterId}`);
    await expectDenied(`/property/${propertyId}`);
    await expectDenied(`/meter/${meterId}/consumptionData`);
    assert.equal((await provider().get(`/customer/${customer.id}`)).status, 200, 'the connection stays');
  });

  // Ways 2 and 3 end the property's share and its meter's alike; each is then checked on one of them.
  for (const way of [
    {
      title: 'way 2, removing all access to a property: UNSHARE for it and each shared meter',
      action: 'remove-all-access',
      denied: () => `/meter/${meterId}`,
    },
    {
      title: 'way 3, removing the provider from one property',
      action: 'remove-provider',
      denied: () => `/property/${propertyId}`,
    },
  ]) {
    it(way.title, async () => {
      await simJson(sim, 'POST', `${API}/properties/${propertyId}/${way.action}`, customer);
      assert.deepEqual(await codes(sim), [
        ['UNSHARE', propertyId, null],
        ['UNSHARE', propertyId, meterId],
      ]);
      await expectDenied(way.denied());
    });
  }

  it('way 4, a meter set to "no access": UNSHARE for that meter only', async () => {
    await simJson(sim, 'POST', `${API}/meters/${meterId}/no-access`, customer);
    assert.deepEqual(await codes(sim), [['UNSHARE', propertyId, meterId]]);
    await expectDenied(`/meter/${meterId}`);
    assert.equal((await provider().get(`/property/${propertyId}`)).status, 200);
  });

  it('the customer disconnecting: DISCONNECT, every share ends, and the customer is no longer listed', async () => {
    await simJson(sim, 'DELETE', `${API}/connection`, customer);
    const list = await codes(sim, false);
    assert.deepEqual(list, [
      ['DISCONNECT', null, null],
      ['UNSHARE', propertyId, null],
      ['UNSHARE', propertyId, meterId],
    ]);
    await expectDenied(`/meter/${meterId}`);
    await expectDenied(`/customer/${customer.id}`);
    assert.deepEqual(
      parseResponse((await provider().get('/customer/list')).body).links.filter((l) => l.id === customer.id),
      [],
    );
    const again = await provider().post(`/disconnect/account/${customer.id}?keepShares=false`);
    assert.equal(again.status, 400);
    assert.equal(
      parseResponse(again.body).errors[0]?.errorDescription,
      'You are not connected to this account.',
    );
  });

  it('words DISCONNECT as EPA does, naming only the account', async () => {
    await simJson(sim, 'DELETE', `${API}/connection`, customer);
    const [disconnect] = parseNotificationList((await provider().get('/notification/list')).body);
    assert.equal(disconnect?.description, 'You are disconnected from Marie Tremblay.');
    assert.equal(disconnect?.accountId, customer.id);
    assert.equal(disconnect?.propertyId, undefined);
    assert.equal(disconnect?.meterId, undefined);
  });

  it('a property transferred to another account: TRANSFERPROPERTY, the provider keeps its access, the new holder may end it', async () => {
    const holder = await newCustomer(sim, `acquereur_${n}`);
    await simJson(sim, 'POST', `${API}/properties/${propertyId}/transfer`, customer, {
      toUsername: holder.username,
    });
    const [transfer, ...rest] = parseNotificationList((await provider().get('/notification/list')).body);
    assert.deepEqual(rest, []);
    assert.equal(transfer?.notificationTypeCode, 'TRANSFERPROPERTY');
    // EPA: the property's id and the account id and username of the new holder.
    assert.deepEqual(
      [transfer?.propertyId, transfer?.accountId, transfer?.username],
      [propertyId, holder.id, holder.username],
    );
    // "Uninterrupted access": the meter is still read and written, and the new holder is not connected.
    assert.equal(parseMeter((await provider().get(`/meter/${meterId}`)).body).accessLevel, 'Read Write');
    await expectDenied(`/customer/${holder.id}`);
    // The former owner can no longer end the shares; the new holder can, and each ends with an UNSHARE.
    const formerOwner = await simJson(
      sim,
      'POST',
      `${API}/properties/${propertyId}/remove-all-access`,
      customer,
    );
    assert.equal(formerOwner.status, 403);
    await simJson(sim, 'POST', `${API}/properties/${propertyId}/remove-all-access`, holder);
    const unshares = parseNotificationList((await provider().get('/notification/list')).body);
    assert.deepEqual(
      unshares.map((u) => [u.notificationTypeCode, u.propertyId, u.meterId ?? null, u.accountId]),
      [
        ['UNSHARE', propertyId, null, holder.id],
        ['UNSHARE', propertyId, meterId, holder.id],
      ],
    );
    await expectDenied(`/meter/${meterId}`);
  });

  it('a transfer whose new holder removes the provider at once: TRANSFERPROPERTY, then the UNSHAREs', async () => {
    const holder = await newCustomer(sim, `acquereur_retrait_${n}`);
    await simJson(sim, 'POST', `${API}/properties/${propertyId}/transfer`, customer, {
      toUsername: holder.username,
      removeProviderAccess: true,
    });
    assert.deepEqual(await codes(sim), [
      ['TRANSFERPROPERTY', propertyId, null],
      ['UNSHARE', propertyId, null],
      ['UNSHARE', propertyId, meterId],
    ]);
    await expectDenied(`/meter/${meterId}`);
  });

  it('keeps notifications with clear=false and drops them once read with the default', async () => {
    await simJson(sim, 'POST', `${API}/meters/${meterId}/no-access`, customer);
    assert.equal((await codes(sim, false)).length, 1);
    assert.equal((await codes(sim, false)).length, 1, 'clear=false leaves them');
    assert.equal((await codes(sim)).length, 1, 'the default returns them once');
    assert.deepEqual(await codes(sim), [], 'and clears them');
  });

  it('lowering a share from Read Write to Read sends SHAREUPDATE and the meter shows the new level', async () => {
    const r = await simJson(sim, 'PUT', `${API}/meters/${meterId}/access-level`, customer, {
      accessLevel: 'Read',
    });
    assert.equal(r.status, 200);
    const feed = parseNotificationList((await provider().get('/notification/list')).body);
    assert.deepEqual(
      feed.map((x) => [x.notificationTypeCode, x.meterId, x.username]),
      [['SHAREUPDATE', meterId, customer.username]],
    );
    assert.equal(feed[0]!.description, 'Gaz naturel1 - Access level revised to Read Only by Customer Marie.');
    assert.equal(parseMeter((await provider().get(`/meter/${meterId}`)).body).accessLevel, 'Read');
  });

  it('the provider giving up a meter or disconnecting ends its access without notifying itself', async () => {
    assert.equal((await provider().post(`/unshare/meter/${meterId}`)).status, 200);
    await expectDenied(`/meter/${meterId}`);
    assert.equal((await provider().post(`/disconnect/account/${customer.id}?keepShares=false`)).status, 200);
    await expectDenied(`/property/${propertyId}`);
    assert.deepEqual(await codes(sim), []);
  });

  it('the provider disconnecting without keepShares keeps the shares (EPA connection guide, Part 4)', async () => {
    assert.equal((await provider().post(`/disconnect/account/${customer.id}`)).status, 200);
    assert.equal((await provider().get(`/meter/${meterId}`)).status, 200);
    assert.equal((await provider().get(`/property/${propertyId}`)).status, 200);
  });

  it('asks for the provider credentials on provider paths', async () => {
    const anonymous = await call(sim, 'GET', '/notification/list');
    assert.equal(anonymous.status, 401);
    assert.equal(parseResponse(anonymous.body).status, 'Error');
    assert.equal(
      (await call(sim, 'GET', '/notification/list', { ...sim.provider, password: 'wrong' })).status,
      401,
    );
    assert.equal((await call(sim, 'GET', '/notification/list', customer)).status, 403);
    assert.equal((await call(sim, 'GET', '/share/meter/pending/list', customer)).status, 403);
  });
});

describe('a share of refusals answered 404 instead of 403', () => {
  it('follows the seeded rate', async () => {
    const sim = await testSimulator({ seed: 7, faults: { forbiddenAs404Rate: 0.5 } });
    try {
      const { meterId } = await sharedMeter(sim, 'moitie');
      await asProvider(sim).post(`/unshare/meter/${meterId}`);
      const seen: number[] = [];
      for (let i = 0; i < 20; i++) seen.push((await asProvider(sim).get(`/meter/${meterId}`)).status);
      assert.ok(seen.includes(403) && seen.includes(404), `both answers appear: ${seen.join(',')}`);
    } finally {
      await sim.close();
    }
  });
});

describe('signing in as a customer', () => {
  it('takes the username as created, refuses another letter case or password, and forgets it on reset', async () => {
    const sim = await testSimulator();
    try {
      const me = (as: { username: string; password: string }) => simJson(sim, 'GET', `${API}/me`, as);
      const marie = await newCustomer(sim, 'Marie.Tremblay');
      assert.equal((await me(marie)).status, 200);
      assert.equal((await me({ ...marie, username: 'marie.tremblay' })).status, 401);
      assert.equal((await me({ ...marie, password: 'wrong' })).status, 401);
      // ESPM's usernames are unique whatever the letter case.
      await assert.rejects(newCustomer(sim, 'MARIE.TREMBLAY'), /already in use/);
      sim.reset();
      assert.equal((await me(marie)).status, 401);
      assert.equal((await me(await newCustomer(sim, 'marie.tremblay'))).status, 200);
    } finally {
      await sim.close();
    }
  });
});
