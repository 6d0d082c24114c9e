// The ESPM client against the simulator, call by call: every provider-side call the gateway uses,
// with the simulator checking each request body against ESPM's XSDs; once against the simulator in EPA's
// shapes (ids only in link paths where EPA's examples show no id) and once in the friendly shapes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EspmClient, isEspmError } from '@gaz-espm/espm';
import type { Simulator } from './index.ts';
import { SimulatedCustomer } from './simulated-customer.ts';
import { testSimulator } from '../test-support/index.ts';

for (const shape of ['epa', 'friendly'] as const)
  describe(`the ESPM client against the simulator (${shape} shape)`, () => {
    let sim: Simulator;
    let espm: EspmClient;
    let customer: SimulatedCustomer;
    let propertyId = '';
    let meterId = '';
    let entryIds: string[] = [];

    before(async () => {
      sim = await testSimulator({ validateRequests: true, initialSettings: 'empty', shape });
      espm = new EspmClient({
        baseUrl: sim.url,
        username: sim.provider.username,
        password: sim.provider.password,
        maxRps: 500,
        retryBaseMs: 5,
      });
      customer = await SimulatedCustomer.create(sim.origin, { username: 'code201', organization: 'Code' });
      propertyId = await customer.createProperty('Bureau');
      meterId = await customer.createMeter(propertyId, { name: 'Gaz naturel1', firstBillDate: '2020-01-01' });
    });
    after(async () => {
      await espm.close();
      await sim.close();
    });

    it('puts and gets the data exchange settings', async () => {
      const settings = {
        termsOfUse: { kind: 'text' as const, text: 'Conditions / Terms' },
        supportedMeterTypes: ['Natural Gas'],
      };
      assert.equal((await espm.putDataExchangeSettings(settings)).status, 'Ok');
      assert.deepEqual(await espm.getDataExchangeSettings(), settings);
    });

    it('creates, lists, gets, edits and deletes custom field definitions', async () => {
      const def = {
        name: 'Numéro du compte',
        required: true,
        validCharacters: 'Numeric' as const,
        whenToPrompt: 'Meter' as const,
        minChars: 10,
        maxChars: 11,
      };
      const id = await espm.createCustomField(def);
      const extra = await espm.createCustomField({ ...def, name: 'À supprimer' });
      assert.deepEqual(await espm.listCustomFields(), [
        { id, name: 'Numéro du compte' },
        { id: extra, name: 'À supprimer' },
      ]);
      assert.deepEqual(await espm.getCustomField(id), def);
      await espm.editCustomField(id, { ...def, description: 'Sans espace / Without space' });
      assert.equal((await espm.getCustomField(id)).description, 'Sans espace / Without space');
      await espm.deleteCustomField(extra);
      assert.equal((await espm.listCustomFields()).length, 1);
      for (const name of ['Numéro de facture', 'Numéro du compteur', 'Chargement initial']) {
        await espm.createCustomField({ ...def, name, validCharacters: 'Any', minChars: 1, maxChars: 18 });
      }
    });

    it('lists and accepts a pending connection, then lists and reads the customer', async () => {
      await customer.connect();
      const pending = await espm.pendingConnections();
      assert.deepEqual(
        pending.map((p) => p.username),
        ['code201'],
      );
      assert.equal(pending[0]!.accountInfo.organization, 'Code');
      await espm.answerConnection(customer.accountId, 'Accept', 'Bienvenue / Welcome');
      assert.deepEqual(await espm.pendingConnections(), []);
      assert.deepEqual(
        (await espm.listCustomers()).map((c) => c.accountId),
        [customer.accountId],
      );
      assert.equal((await espm.getCustomer(customer.accountId)).username, 'code201');
      const again = await espm.answerConnection(customer.accountId, 'Accept').catch((e: unknown) => e);
      assert.ok(isEspmError(again, 'rejected'));
      // The text seen in ESPM (API.md §7); EPA says it may change, so the gateway reads the list instead.
      assert.match(
        again.errors[0]?.errorDescription ?? '',
        /pending request doesn't exist or has been fulfilled/,
      );
    });

    it('lists and answers property and meter shares, then reads the property, meter and custom fields', async () => {
      await customer.shareProperty(propertyId);
      await customer.shareMeter(meterId, {
        accountNumber: '11111111111',
        invoiceNumber: '333333333333',
        meterNumber: '2222222',
        initialLoad: '24',
      });
      const properties = await espm.pendingPropertyShares();
      assert.deepEqual(
        properties.map((p) => p.propertyId),
        [propertyId],
      );
      const meters = await espm.pendingMeterShares();
      assert.equal(meters[0]!.meterId, meterId);
      assert.equal(meters[0]!.meterInfo?.unitOfMeasure, 'cm (Cubic meters)');
      assert.deepEqual(
        meters[0]!.customFields.find((f) => f.name === 'Numéro du compte'),
        { name: 'Numéro du compte', value: '11111111111' },
      );
      await espm.answerPropertyShare(propertyId, 'Accept', 'Propriété acceptée / Property accepted');
      await espm.answerMeterShare(meterId, 'Accept', 'Partage accepté / Share accepted');
      assert.equal((await espm.getProperty(propertyId)).name, 'Bureau');
      const meter = await espm.getMeter(meterId);
      assert.equal(meter.type, 'Natural Gas');
      assert.equal(meter.accessLevel, 'Read Write');
      assert.equal(
        (await espm.getMeterCustomFields(meterId)).find((f) => f.name === 'Numéro du compteur')?.value,
        '2222222',
      );
      assert.ok(Array.isArray(await espm.getPropertyCustomFields(propertyId)));
      assert.ok(Array.isArray(await espm.getAccountCustomFields(customer.accountId)));
    });

    it('creates, lists with paging and dates, reads, updates and deletes consumption entries', async () => {
      const entries = Array.from({ length: 130 }, (_, i) => {
        const start = new Date(Date.UTC(2010, 0, 1) + i * 31 * 86_400_000);
        const end = new Date(start.getTime() + 30 * 86_400_000);
        return {
          startDate: start.toISOString().slice(0, 10),
          endDate: end.toISOString().slice(0, 10),
          usage: String(100 + i),
          estimatedValue: i % 2 === 0,
        };
      });
      await assert.rejects(espm.createConsumption(meterId, entries), RangeError);
      entryIds = [
        ...(await espm.createConsumption(meterId, entries.slice(0, 120))),
        ...(await espm.createConsumption(meterId, entries.slice(120))),
      ];
      assert.equal(new Set(entryIds).size, 130);
      const all = await espm.listConsumption(meterId);
      assert.equal(all.length, 130);
      const idOf = new Map(all.map((e) => [e.startDate, e.id]));
      assert.deepEqual(
        entries.map((e) => idOf.get(e.startDate)),
        entryIds,
        'each id is the one of the entry sent at its place',
      );
      assert.equal(all[0]!.audit?.createdBy, sim.provider.username);
      const some = await espm.listConsumption(meterId, { startDate: '2010-01-01', endDate: '2010-03-31' });
      assert.ok(some.length >= 3 && some.length <= 4);
      const one = await espm.getConsumption(entryIds[0]!);
      assert.equal(one.usage, '100');
      await espm.updateConsumption(entryIds[0]!, { ...one, usage: '101.5' });
      assert.equal((await espm.getConsumption(entryIds[0]!)).usage, '101.5');
      await espm.deleteConsumption(entryIds[1]!);
      assert.equal((await espm.listConsumption(meterId)).length, 129);
    });

    it('reads notifications without clearing them unless asked, after the customer removes access', async () => {
      await customer.setMeterNoAccess(meterId);
      const kept = await espm.notifications({ clear: false });
      assert.equal(kept.length, 1);
      assert.equal(kept[0]!.notificationTypeCode, 'UNSHARE');
      assert.equal(kept[0]!.meterId, meterId);
      assert.equal((await espm.notifications({ clear: true })).length, 1);
      assert.deepEqual(await espm.notifications({ clear: false }), []);
      const denied = await espm.getMeter(meterId).catch((e: unknown) => e);
      assert.ok(isEspmError(denied, 'access-lost'));
    });

    it('unshares a property and disconnects a customer', async () => {
      await espm.unshareProperty(propertyId, 'Fin / End');
      assert.ok(isEspmError(await espm.getProperty(propertyId).catch((e: unknown) => e), 'access-lost'));
      const other = await SimulatedCustomer.create(sim.origin, { username: 'second' });
      const otherProperty = await other.createProperty('Entrepôt');
      const otherMeter = await other.createMeter(otherProperty, { name: 'Gaz', firstBillDate: '2020-01-01' });
      await other.connect();
      await espm.answerConnection(other.accountId, 'Accept');
      await other.shareMeter(otherMeter, {
        accountNumber: '1',
        invoiceNumber: '2',
        meterNumber: '3',
        initialLoad: '0',
      });
      await espm.answerMeterShare(otherMeter, 'Accept');
      await espm.unshareMeter(otherMeter, 'Fin / End');
      assert.ok(isEspmError(await espm.getMeter(otherMeter).catch((e: unknown) => e), 'access-lost'));
      await espm.disconnect(other.accountId, { keepShares: false, note: 'Au revoir / Goodbye' });
      const gone = await espm.disconnect(other.accountId, { keepShares: false }).catch((e: unknown) => e);
      assert.ok(isEspmError(gone, 'rejected'));
      assert.match(gone.errors[0]?.errorDescription ?? '', /not connected to this account/);
    });
  });
