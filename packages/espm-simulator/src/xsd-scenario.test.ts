// Every document the simulator sends during a full scenario must be valid against ESPM's v26 schemas,
// and request bodies that are not are refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  buildCustomFieldDefinition,
  buildCustomFieldList,
  buildDataExchangeSettings,
  buildMeterConsumption,
  buildMeterData,
  buildTerminateSharingResponse,
  linkedId,
  parseMeterData,
  parseResponse,
  rootName,
  validateAgainstXsd,
} from './espm.ts';
import type { ObservedResponse, Simulator } from './index.ts';
import {
  accept,
  answerMeterFields,
  asProvider,
  call,
  connect,
  monthlyEntries,
  newCustomer,
  newMeter,
  newProperty,
  reject,
  share,
  sharedMeter,
  simJson,
} from '../test-support/index.ts';
import { startSimulator } from './index.ts';

describe('documents the simulator sends, checked against the v26 XSDs', () => {
  let sim: Simulator;
  const sent: ObservedResponse[] = [];

  before(async () => {
    sim = await startSimulator({ validateRequests: true, observe: (r) => sent.push(r) });
  });
  after(() => sim.close());

  it('plays a whole exchange, from settings to notifications', async () => {
    const provider = asProvider(sim);
    const p = sim.providerAccountId;
    await provider.get('/dataExchangeSettings');
    await provider.put(
      '/dataExchangeSettings',
      buildDataExchangeSettings({
        termsOfUse: { kind: 'url', url: 'https://example.com/conditions' },
        supportedMeterTypes: ['Natural Gas', 'Electric'],
      }),
    );
    const fields = parseResponse((await provider.get('/dataExchangeSettings/customField/list')).body).links;
    await provider.get(fields[0]!.link);
    const created = await provider.post(
      '/dataExchangeSettings/customField',
      buildCustomFieldDefinition({
        name: 'Code postal',
        required: false,
        validCharacters: 'Alphanumeric',
        whenToPrompt: 'Property',
        minChars: 6,
        maxChars: 7,
      }),
    );
    const fieldId = parseResponse(created.body).id!;
    await provider.put(
      `/dataExchangeSettings/customField/${fieldId}`,
      buildCustomFieldDefinition({
        name: 'Code postal',
        required: true,
        validCharacters: 'Alphanumeric',
        whenToPrompt: 'Property',
      }),
    );

    const c = await newCustomer(sim, 'scenario');
    const property = await newProperty(sim, c, 'Siège social');
    const meter = await newMeter(sim, c, property);
    const meter2 = await newMeter(sim, c, property, '2021-01-01', 'Gaz naturel2');
    await call(sim, 'PUT', `/account/customFieldList/recipient/${p}`, c, buildCustomFieldList([]));
    await connect(sim, c, 'none');
    await provider.get('/connect/account/pending/list');
    await provider.get(`/account/${c.id}/customFieldList`);
    await provider.post(`/connect/account/${c.id}`, accept());
    await provider.get('/customer/list');
    await provider.get(`/customer/${c.id}`);
    await call(
      sim,
      'PUT',
      `/property/${property}/customFieldList/recipient/${p}`,
      c,
      buildCustomFieldList([{ name: 'Code postal', value: 'H2X1Y4' }]),
    );
    await answerMeterFields(sim, c, meter);
    await share(sim, c, 'property', property, 'Read');
    await share(sim, c, 'meter', meter);
    await share(sim, c, 'meter', meter2, 'Read');
    await provider.get('/share/property/pending/list');
    await provider.get('/share/meter/pending/list');
    await provider.get(`/property/${property}/customFieldList`);
    await provider.get(`/meter/${meter}/customFieldList`);
    await provider.post(`/share/meter/${meter}`, accept('Partage accepté.'));
    await provider.post(`/share/meter/${meter2}`, reject('Compteur inconnu.'));
    await provider.get(`/property/${property}`);
    await provider.get(`/meter/${meter}`);
    await provider.del(`/dataExchangeSettings/customField/${fieldId}`);

    const posted = await provider.post(
      `/meter/${meter}/consumptionData`,
      buildMeterData(monthlyEntries(14, '2023-01-01')),
    );
    const ids = parseMeterData(posted.body).links.map((l) => linkedId(l)!);
    await provider.post(`/meter/${meter}/consumptionData`, buildMeterData(monthlyEntries(1, '2023-01-15')));
    await provider.get(`/meter/${meter}/consumptionData?startDate=2023-03-01`);
    const paged = await startSimulatorPage();
    await provider.get(`/consumptionData/${ids[0]}`);
    await provider.put(
      `/consumptionData/${ids[0]}`,
      buildMeterConsumption({
        startDate: '2023-01-01',
        endDate: '2023-01-31',
        usage: '12.5',
        cost: '9.99',
        estimatedValue: true,
        percentRenewableNaturalGas: '2.5',
      }),
    );
    await provider.del(`/consumptionData/${ids[1]}`);
    await provider.del(`/meter/${meter}/consumptionData?startDate=2023-01-01`);
    await provider.get(`/meter/${meter2}`);
    await call(sim, 'GET', '/notification/list');
    await call(sim, 'GET', '/no/such/path', sim.provider);

    await simJson(sim, 'PUT', `/sim/customer/api/meters/${meter}/access-level`, c, { accessLevel: 'Read' });
    await simJson(sim, 'POST', `/sim/customer/api/meters/${meter}/no-access`, c);
    await simJson(sim, 'DELETE', '/sim/customer/api/connection', c);
    await provider.get('/notification/list?clear=false');
    await provider.get('/notification/list');
    await provider.post(`/disconnect/account/${c.id}?keepShares=true`, buildTerminateSharingResponse('Fin.'));
    sim.setFaults({ rateLimitPerSecond: 1, rateLimitBurst: 1 });
    await provider.get('/notification/list');
    await provider.get('/notification/list');
    sim.clearFaults();
    assert.ok(paged);
  });

  it('sent only valid documents', async () => {
    const unique = [...new Map(sent.map((r) => [r.body, r])).values()];
    assert.ok(unique.length > 25, `${unique.length} documents`);
    const roots = new Set(unique.map((r) => rootName(r.body)));
    for (const root of [
      'response',
      'pendingList',
      'meterData',
      'meterConsumption',
      'meter',
      'property',
      'customer',
      'customField',
      'customFieldList',
      'dataExchangeSettings',
      'notificationList',
    ]) {
      assert.ok(roots.has(root), `a <${root}> was sent`);
    }
    const invalid: string[] = [];
    // xmllint-wasm runs each check in a worker thread, so two at a time use both cores.
    for (let i = 0; i < unique.length; i += 2) {
      await Promise.all(
        unique.slice(i, i + 2).map(async (r) => {
          const result = await validateAgainstXsd(r.body, rootName(r.body)!);
          if (!result.valid)
            invalid.push(`${r.routeKey} ${r.status}: ${result.errors.join('; ')}\n${r.body}`);
        }),
      );
    }
    assert.deepEqual(invalid, []);
  });

  it('refuses request bodies that are malformed or not valid against the schema', async () => {
    const provider = asProvider(sim);
    const broken = await provider.put('/dataExchangeSettings', '<dataExchangeSettings><termsOfUse>');
    assert.equal(broken.status, 400);
    assert.equal(
      parseResponse(broken.body).errors[0]!.errorNumber,
      '-100',
      'EPA: -100 is XML that fails the schema',
    );
    const invalid = buildDataExchangeSettings({
      termsOfUse: { kind: 'none' },
      supportedMeterTypes: ['Nuclear Fusion'],
    });
    const r = await provider.put('/dataExchangeSettings', invalid);
    assert.equal(r.status, 400);
    assert.match(parseResponse(r.body).errors[0]!.errorDescription, /not valid against ESPM's schema/);
    assert.equal(parseResponse(r.body).errors[0]!.errorNumber, '-100');
    assert.equal((await provider.put('/dataExchangeSettings', '')).status, 400);
  });

  async function startSimulatorPage(): Promise<boolean> {
    // A second simulator with tiny pages, so "next page" links appear in both kinds of list.
    const small = await startSimulator({
      pendingPageSize: 1,
      consumptionPageSize: 2,
      validateRequests: false,
      observe: (r) => sent.push(r),
    });
    try {
      const c = await newCustomer(small, 'pages');
      await connect(small, c, 'none');
      const c2 = await newCustomer(small, 'pages2');
      await connect(small, c2, 'none');
      await asProvider(small).get('/connect/account/pending/list');
      const { meterId } = await sharedMeter(small, 'pages3');
      await asProvider(small).post(`/meter/${meterId}/consumptionData`, buildMeterData(monthlyEntries(3)));
      await asProvider(small).get(`/meter/${meterId}/consumptionData?startDate=2022-01-01`);
      return true;
    } finally {
      await small.close();
    }
  }
});
