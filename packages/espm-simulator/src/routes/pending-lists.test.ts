import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseMeter, parsePendingList, parseResponse } from '../espm.ts';
import type { Simulator } from '../index.ts';
import { SimulatedCustomer } from '../simulated-customer.ts';
import type { Customer } from '../../test-support/index.ts';
import {
  accept,
  asProvider,
  connect,
  decisionsOf,
  newCustomer,
  newMeter,
  newProperty,
  reject,
  share,
  testSimulator,
} from '../../test-support/index.ts';

describe('pending requests, as the provider lists and answers them', () => {
  let sim: Simulator;
  let customer: Customer;
  const properties: string[] = [];

  before(async () => {
    sim = await testSimulator();
    customer = await newCustomer(sim, 'grand_parc');
    await connect(sim, customer);
    for (let i = 0; i < 45; i++) {
      const id = await newProperty(sim, customer, `Immeuble ${i + 1}`);
      properties.push(id);
      await share(sim, customer, 'property', id);
    }
  });
  after(() => sim.close());

  it('pages 45 property shares by 20, with a next page link until the last page', async () => {
    const provider = asProvider(sim);
    const p1 = parsePendingList((await provider.get('/share/property/pending/list')).body);
    assert.equal(p1.properties.length, 20);
    assert.equal(p1.nextPage, '/share/property/pending/list?page=2');
    const p2 = parsePendingList((await provider.get(p1.nextPage!)).body);
    assert.equal(p2.properties.length, 20);
    const r3 = await provider.get(p2.nextPage!);
    const p3 = parsePendingList(r3.body);
    assert.equal(p3.properties.length, 5);
    assert.equal(p3.nextPage, undefined);
    assert.deepEqual(
      [...p1.properties, ...p2.properties, ...p3.properties].map((p) => p.propertyId),
      properties,
    );
    assert.equal(p1.properties[0]!.propertyInfo.name, 'Immeuble 1');
    assert.equal(p1.properties[0]!.username, 'grand_parc');
  });

  it('shrinks as requests are answered, and refuses an answer given twice', async () => {
    const provider = asProvider(sim);
    for (const id of properties.slice(0, 25))
      assert.equal((await provider.post(`/share/property/${id}`, accept())).status, 200);
    const p1 = parsePendingList((await provider.get('/share/property/pending/list')).body);
    assert.equal(p1.properties.length, 20);
    assert.ok(p1.nextPage === undefined);
    const twice = await provider.post(`/share/property/${properties[0]}`, reject());
    assert.equal(twice.status, 400);
    const err = parseResponse(twice.body);
    assert.equal(err.status, 'Error');
    assert.deepEqual(err.errors, [
      { errorNumber: '-200', errorDescription: "The pending request doesn't exist or has been fulfilled." },
    ]);
    assert.equal((await provider.post('/share/property/999999', accept())).status, 400);
  });

  it('answers an empty list with 200 and an empty root', async () => {
    const r = await asProvider(sim).get('/connect/account/pending/list');
    assert.equal(r.status, 200);
    assert.deepEqual(parsePendingList(r.body), { accounts: [], properties: [], meters: [] });
  });
});

describe('connection and meter share requests', () => {
  let sim: Simulator;
  before(async () => {
    sim = await testSimulator();
  });
  after(() => sim.close());

  it('lists a connection request with the customer account and moves it to the customer list once accepted', async () => {
    const c = await newCustomer(sim, 'tour_est');
    await connect(sim, c, 'none');
    const again = await sim.app.inject({
      method: 'POST',
      url: `/ws/invite/account/${sim.providerAccountId}`,
      headers: { authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` },
    });
    assert.equal(again.statusCode, 400, 'a second request while one is pending is refused');
    const list = parsePendingList((await asProvider(sim).get('/connect/account/pending/list')).body);
    assert.equal(list.accounts.length, 1);
    assert.equal(list.accounts[0]!.accountId, c.id);
    assert.equal(list.accounts[0]!.accountInfo.address.state, 'QC');
    assert.equal((await asProvider(sim).post(`/connect/account/${c.id}`, accept())).status, 200);
    const customers = parseResponse((await asProvider(sim).get('/customer/list')).body);
    assert.deepEqual(
      customers.links.map((l) => [l.id, l.link, l.hint]),
      [[c.id, `/customer/${c.id}`, 'Immeubles tour_est']],
    );
    assert.equal((await asProvider(sim).post(`/connect/account/${c.id}`, accept())).status, 400);
  });

  it('lists an aggregate meter without the flag, shown by GET /meter once the share is accepted', async () => {
    const owner = await SimulatedCustomer.create(sim.origin, { username: 'proprio_agrege' });
    const p = await owner.createProperty('Tour');
    const m = await owner.createMeter(p, {
      name: 'Bâtiment entier',
      firstBillDate: '2020-01-01',
      aggregateMeter: true,
    });
    const plain = await owner.createMeter(p, { name: 'Simple', firstBillDate: '2020-01-01' });
    await connect(sim, {
      id: owner.accountId,
      username: owner.username,
      password: `${owner.username}-password`,
    });
    await owner.shareProperty(p);
    await owner.shareMeter(m, { aggregationCode: '7K3M9QRT4V2XAB12', initialLoad: '12' });
    await owner.shareMeter(plain, { initialLoad: '12' });
    const list = parsePendingList((await asProvider(sim).get('/share/meter/pending/list')).body);
    // EPA shows aggregateMeter only on GET /meter and GET /meter/{id}/aggregateMeter, after acceptance.
    for (const id of [m, plain]) {
      const pending = list.meters.find((x) => x.meterId === id);
      assert.ok(pending);
      assert.equal(pending.meterInfo?.aggregateMeter, undefined);
    }
    assert.equal((await asProvider(sim).get(`/meter/${m}`)).status, 403, 'not readable before acceptance');
    for (const id of [m, plain]) {
      const accepted = await asProvider(sim).post(`/share/meter/${id}`, accept());
      assert.equal(accepted.status, 200);
    }
    assert.equal(parseMeter((await asProvider(sim).get(`/meter/${m}`)).body).aggregateMeter, true);
    assert.notEqual(parseMeter((await asProvider(sim).get(`/meter/${plain}`)).body).aggregateMeter, true);
    // EPA's "Get Meter Aggregation Indicator" always says.
    const indicator = async (id: string) =>
      parseMeter((await asProvider(sim).get(`/meter/${id}/aggregateMeter`)).body).aggregateMeter;
    assert.equal(await indicator(m), true);
    assert.equal(await indicator(plain), false);
  });

  it('accepting a meter share also accepts its pending property share; full property and meter info are listed', async () => {
    const c = await newCustomer(sim, 'plateau');
    const p = await newProperty(sim, c, 'Plateau');
    const m = await newMeter(sim, c, p);
    await connect(sim, c);
    await share(sim, c, 'property', p, 'Read');
    await share(sim, c, 'meter', m);
    const list = parsePendingList((await asProvider(sim).get('/share/meter/pending/list')).body);
    const item = list.meters.find((x) => x.meterId === m)!;
    assert.equal(item.propertyId, p);
    assert.equal(item.accessLevel, 'Read Write');
    assert.equal(item.meterInfo?.unitOfMeasure, 'cm (Cubic meters)');
    assert.equal(item.propertyInfo.name, 'Plateau');
    assert.equal((await asProvider(sim).post(`/share/meter/${m}`, accept('Bienvenue'))).status, 200);
    assert.equal(
      (await asProvider(sim).post(`/share/property/${p}`, accept())).status,
      400,
      'already accepted with the meter',
    );
    assert.equal((await asProvider(sim).get(`/property/${p}`)).status, 200);
  });

  it('rejecting a property share closes its pending meter shares', async () => {
    const c = await newCustomer(sim, 'vieux_port');
    const p = await newProperty(sim, c);
    const m = await newMeter(sim, c, p);
    await connect(sim, c);
    await share(sim, c, 'property', p);
    await share(sim, c, 'meter', m);
    assert.equal(
      (await asProvider(sim).post(`/share/property/${p}`, reject('Compte introuvable'))).status,
      200,
    );
    const r = await asProvider(sim).post(`/share/meter/${m}`, reject());
    assert.equal(r.status, 400);
    assert.deepEqual(decisionsOf(sim, c.id), [
      ['connection', 'Accept', 'Connexion acceptée.', false],
      ['propertyShare', 'Reject', 'Compte introuvable', false],
      ['meterShare', 'Reject', 'Compte introuvable', true],
    ]);
  });
});
