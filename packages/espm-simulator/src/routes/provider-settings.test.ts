import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  buildCustomFieldDefinition,
  buildDataExchangeSettings,
  parseCustomFieldDefinition,
  parseCustomFieldList,
  parseDataExchangeSettings,
  parseResponse,
} from '../espm.ts';
import type { Simulator } from '../index.ts';
import { answerMeterFields, asProvider, sharedMeter, testSimulator } from '../../test-support/index.ts';

describe("the provider's data exchange settings and custom fields", () => {
  let sim: Simulator;
  before(async () => {
    sim = await testSimulator();
  });
  after(() => sim.close());

  it("starts with the guide's terms, Natural Gas and four meter-level fields", async () => {
    const settings = parseDataExchangeSettings((await asProvider(sim).get('/dataExchangeSettings')).body);
    assert.equal(settings.termsOfUse.kind, 'text');
    assert.deepEqual(settings.supportedMeterTypes, ['Natural Gas']);
    const links = parseResponse(
      (await asProvider(sim).get('/dataExchangeSettings/customField/list')).body,
    ).links;
    assert.deepEqual(
      links.map((l) => l.hint),
      ['Numéro du compte', 'Numéro de facture', 'Numéro du compteur', 'Chargement initial'],
    );
    // As EPA's example of this list: no id attribute, the id is the path's last segment.
    assert.equal(links[0]!.id, undefined);
    assert.match(links[0]!.link, /^\/dataExchangeSettings\/customField\/\d+$/);
    const def = parseCustomFieldDefinition((await asProvider(sim).get(links[0]!.link)).body);
    assert.deepEqual(
      [def.whenToPrompt, def.validCharacters, def.minChars, def.maxChars],
      ['Meter', 'Numeric', 10, 11],
    );
  });

  it('replaces the settings on PUT', async () => {
    const body = buildDataExchangeSettings({
      termsOfUse: { kind: 'none' },
      supportedMeterTypes: ['Natural Gas', 'Propane'],
    });
    const put = await asProvider(sim).put('/dataExchangeSettings', body);
    assert.equal(put.status, 200);
    // EPA's example answer: Ok, with the link to read the settings back and no id.
    const answer = parseResponse(put.body);
    assert.equal(answer.id, undefined);
    assert.deepEqual(
      answer.links.map((l) => l.link),
      ['/dataExchangeSettings'],
    );
    const settings = parseDataExchangeSettings((await asProvider(sim).get('/dataExchangeSettings')).body);
    assert.deepEqual(settings, {
      termsOfUse: { kind: 'none' },
      supportedMeterTypes: ['Natural Gas', 'Propane'],
    });
  });

  it("creates, renames and deletes a field; deleting drops every customer's answer to it", async () => {
    const provider = asProvider(sim);
    const { customer, meterId } = await sharedMeter(sim, 'champs');
    await answerMeterFields(sim, customer, meterId);
    const values = () =>
      provider.get(`/meter/${meterId}/customFieldList`).then((r) => parseCustomFieldList(r.body));
    assert.equal((await values()).length, 4);

    const meterField = (name: string, required: boolean) =>
      buildCustomFieldDefinition({ name, required, validCharacters: 'Any', whenToPrompt: 'Meter' });
    const fields = '/dataExchangeSettings/customField';
    const created = await provider.post(fields, meterField('Nom du site', false));
    const id = parseResponse(created.body).id!;
    assert.equal(
      (await provider.post(fields, meterField('Nom du site', false))).status,
      400,
      'names are unique',
    );
    assert.equal((await provider.put(`${fields}/${id}`, meterField('Site', true))).status, 200);
    assert.equal(
      parseCustomFieldDefinition((await provider.get(`/dataExchangeSettings/customField/${id}`)).body).name,
      'Site',
    );

    const links = parseResponse((await provider.get('/dataExchangeSettings/customField/list')).body).links;
    const account = links.find((l) => l.hint === 'Numéro du compte')!;
    assert.equal((await provider.del(account.link)).status, 200);
    assert.deepEqual(
      (await values()).map((v) => v.name),
      ['Numéro de facture', 'Numéro du compteur', 'Chargement initial'],
    );
    assert.equal(
      sim.state().customFieldValues.meter[meterId]!.some((v) => v.name === 'Numéro du compte'),
      false,
    );
    assert.equal((await provider.get(account.link)).status, 404);
  });

  it('answers the same services under /wstest/, always as XML, with an envelope for unknown paths', async () => {
    const auth = `Basic ${Buffer.from(`${sim.provider.username}:${sim.provider.password}`).toString('base64')}`;
    const test = await fetch(`${sim.testUrl}dataExchangeSettings`, { headers: { authorization: auth } });
    assert.equal(test.status, 200);
    assert.equal(test.headers.get('content-type'), 'application/xml');
    const unknown = await fetch(`${sim.url}no/such/service`, { headers: { authorization: auth } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('content-type'), 'application/xml');
    assert.equal(parseResponse(await unknown.text()).status, 'Error');
  });
});
