// EPA's connection guide, Appendix A: shares from accounts that are not connected yet, and what one
// answer does to the other requests of the same account. SHAREUPDATE as EPA's example words it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseMeter, parseNotificationList, parsePendingList, parseResponse } from '../espm.ts';
import type { Simulator } from '../index.ts';
import {
  accept,
  asProvider,
  call,
  connect,
  decisionsOf,
  newCustomer,
  newMeter,
  newProperty,
  reject,
  share,
  sharedMeter,
  simJson,
  testSimulator,
} from '../../test-support/index.ts';

const GONE = "The pending request doesn't exist or has been fulfilled.";

describe('sharing cascades (EPA connection guide, Appendix A)', () => {
  let sim: Simulator;
  before(async () => {
    sim = await testSimulator();
  });
  after(() => sim.close());

  const provider = () => asProvider(sim);
  const pending = async (what: 'connect/account' | 'share/property' | 'share/meter') =>
    parsePendingList((await provider().get(`/${what}/pending/list`)).body);
  const customerIds = async () =>
    parseResponse((await provider().get('/customer/list')).body).links.map((l) => l.id);
  async function expectGone(path: string) {
    const r = await provider().post(path, accept());
    assert.equal(r.status, 400, path);
    assert.equal(parseResponse(r.body).errors[0]?.errorDescription, GONE);
  }

  it('lists a meter share from an account that is not connected; accepting it connects the account and accepts its property share', async () => {
    const c = await newCustomer(sim, 'sans_connexion');
    const p = await newProperty(sim, c);
    const m = await newMeter(sim, c, p);
    assert.equal((await share(sim, c, 'property', p)).status, 200);
    assert.equal((await share(sim, c, 'meter', m)).status, 200);
    assert.deepEqual(
      (await pending('share/meter')).meters.map((x) => [x.meterId, x.accountId]),
      [[m, c.id]],
    );
    // Share forward (Appendix A): the account's connection request is listed beside its shares…
    assert.deepEqual(
      (await pending('connect/account')).accounts.map((a) => [a.accountId, a.username]),
      [[c.id, c.username]],
    );
    assert.equal((await provider().post(`/share/meter/${m}`, accept('Bienvenue'))).status, 200);

    assert.ok((await customerIds()).includes(c.id), 'connected by the share');
    assert.equal((await provider().get(`/customer/${c.id}`)).status, 200);
    // …and leaves the list once a share is accepted first ("you will not see the connection request").
    assert.deepEqual((await pending('connect/account')).accounts, []);
    assert.deepEqual((await pending('share/property')).properties, []);
    assert.equal((await provider().get(`/property/${p}`)).status, 200);
    await expectGone(`/share/property/${p}`);
    await expectGone(`/share/meter/${m}`);
    await expectGone(`/connect/account/${c.id}`);
    assert.deepEqual(
      decisionsOf(sim, c.id).map(([kind, action, , automatic]) => [kind, action, automatic]),
      [
        ['meterShare', 'Accept', false],
        ['connection', 'Accept', true],
        ['propertyShare', 'Accept', true],
      ],
    );
  });

  it('accepting a property share of an account whose connection request is pending accepts that request', async () => {
    const c = await newCustomer(sim, 'en_attente');
    const p = await newProperty(sim, c);
    await connect(sim, c, 'none');
    await share(sim, c, 'property', p);
    assert.deepEqual(
      (await pending('connect/account')).accounts.map((a) => a.accountId),
      [c.id],
    );
    assert.equal((await provider().post(`/share/property/${p}`, accept())).status, 200);
    assert.deepEqual((await pending('connect/account')).accounts, []);
    assert.ok((await customerIds()).includes(c.id));
    await expectGone(`/connect/account/${c.id}`);
  });

  it('rejecting a share of an account that is not connected leaves it unconnected, its request still pending', async () => {
    const c = await newCustomer(sim, 'refus_seul');
    const p = await newProperty(sim, c);
    await share(sim, c, 'property', p);
    assert.equal((await provider().post(`/share/property/${p}`, reject())).status, 200);
    assert.ok(!(await customerIds()).includes(c.id));
    assert.equal((await provider().get(`/customer/${c.id}`)).status, 403);
    // "If you Reject 2; you can either Accept or Reject 1."
    assert.ok((await pending('connect/account')).accounts.some((a) => a.accountId === c.id));
    assert.equal((await provider().post(`/connect/account/${c.id}`, reject())).status, 200);
  });

  it('a meter shared without its property brings a Read property share, accepted with the meter', async () => {
    const c = await newCustomer(sim, 'compteur_sans_propriete');
    const p = await newProperty(sim, c);
    const m = await newMeter(sim, c, p);
    await connect(sim, c);
    await share(sim, c, 'meter', m);
    assert.deepEqual(
      (await pending('share/property')).properties.map((x) => [x.propertyId, x.accessLevel]),
      [[p, 'Read']],
    );
    assert.equal((await provider().post(`/share/meter/${m}`, accept())).status, 200);
    assert.deepEqual((await pending('share/property')).properties, []);
    assert.equal((await provider().get(`/property/${p}`)).status, 200);
    const property = sim.state().propertyShares.find((x) => x.resourceId === p);
    assert.deepEqual([property?.status, property?.accessLevel], ['accepted', 'Read']);
  });

  it("rejecting a connection rejects that account's pending property and meter shares", async () => {
    const c = await newCustomer(sim, 'rejet_connexion');
    const p = await newProperty(sim, c);
    const m = await newMeter(sim, c, p);
    await connect(sim, c, 'none');
    await share(sim, c, 'property', p);
    await share(sim, c, 'meter', m);
    const other = await sharedMeter(sim, 'voisin_connecte');
    const otherMeter = await newMeter(sim, other.customer, other.propertyId, '2020-01-01', 'Gaz 2');
    await share(sim, other.customer, 'meter', otherMeter);

    const r = await provider().post(`/connect/account/${c.id}`, reject('Compte inconnu'));
    assert.equal(r.status, 200);
    assert.deepEqual((await pending('share/property')).properties, []);
    assert.deepEqual(
      (await pending('share/meter')).meters.map((x) => x.meterId),
      [otherMeter],
      "only the other account's share is left",
    );
    await expectGone(`/share/property/${p}`);
    await expectGone(`/share/meter/${m}`);
    await expectGone(`/connect/account/${c.id}`);
    assert.deepEqual(decisionsOf(sim, c.id), [
      ['connection', 'Reject', 'Compte inconnu', false],
      ['propertyShare', 'Reject', 'Compte inconnu', true],
      ['meterShare', 'Reject', 'Compte inconnu', true],
    ]);
    // The customer sees its shares answered with the provider's note.
    const me = await simJson<{ properties: Array<{ share: { status: string; note: string } }> }>(
      sim,
      'GET',
      '/sim/customer/api/me',
      c,
    );
    assert.equal(me.json.properties[0]!.share.status, 'rejected');
  });
});

describe('SHAREUPDATE, as EPA shows it', () => {
  let sim: Simulator;
  before(async () => {
    sim = await testSimulator();
    await asProvider(sim).get('/notification/list');
  });
  after(() => sim.close());

  const feed = async () => parseNotificationList((await asProvider(sim).get('/notification/list')).body);
  const level = async (meterId: string) =>
    parseMeter((await asProvider(sim).get(`/meter/${meterId}`)).body).accessLevel;

  it('tells both directions, from the customer page API and from ESPM’s customer path', async () => {
    const { customer, propertyId, meterId } = await sharedMeter(sim, 'niveaux');
    await feed();
    // the page's API: Read Write → Read Only
    const down = await simJson(sim, 'PUT', `/sim/customer/api/meters/${meterId}/access-level`, customer, {
      accessLevel: 'Read',
    });
    assert.equal(down.status, 200);
    assert.equal(await level(meterId), 'Read');
    // ESPM's customer path (sharing again at another level): back to Read Write
    const up = await call(
      sim,
      'POST',
      `/invite/account/${sim.providerAccountId}/meter/${meterId}?accessLevel=READ_WRITE`,
      customer,
    );
    assert.equal(up.status, 200);
    assert.equal(await level(meterId), 'Read Write');
    const list = await feed();
    const revised = (level: string) => [
      'SHAREUPDATE',
      `Gaz naturel1 - Access level revised to ${level} by Customer Marie.`,
      customer.id,
      'niveaux',
      propertyId,
      meterId,
      'niveaux',
      customer.id,
    ];
    assert.deepEqual(
      list.map((n) => [
        n.notificationTypeCode,
        n.description,
        n.accountId,
        n.username,
        n.propertyId,
        n.meterId,
        n.notificationCreatedBy,
        n.notificationCreatedByAccountId,
      ]),
      [revised('Read Only'), revised('Read Write')],
    );
    assert.match(list[0]!.notificationCreatedDate ?? '', /T\d\d:\d\d:\d\d(\.\d+)?-05:00$/);
  });

  it('a write on a Read Only meter is refused with 403; a level set again unchanged tells nothing', async () => {
    const { customer, meterId } = await sharedMeter(sim, 'lecture', 'Read');
    await feed();
    const entries =
      '<meterData><meterConsumption estimatedValue="false"><usage>1</usage><startDate>2023-01-01</startDate><endDate>2023-01-31</endDate></meterConsumption></meterData>';
    assert.equal((await asProvider(sim).post(`/meter/${meterId}/consumptionData`, entries)).status, 403);
    await simJson(sim, 'PUT', `/sim/customer/api/meters/${meterId}/access-level`, customer, {
      accessLevel: 'Read',
    });
    assert.deepEqual(await feed(), []);
  });
});
