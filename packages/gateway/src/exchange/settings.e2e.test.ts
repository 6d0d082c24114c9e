// `settings push` against the simulator answering as EPA's examples do (the custom-field list names each
// field only in its hint, its id only in the link's path) and in the friendly shapes: however often it
// runs, ESPM holds exactly our fields (the guide's four and the aggregation code) with the latest
// definitions, and the terms of use.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Harness } from '../../test-support/harness.ts';
import { startHarness } from '../../test-support/harness.ts';
import { CUSTOM_FIELD_DEFINITIONS, FIELD } from './custom-fields.ts';
import { pushSettings, TERMS_OF_USE } from './settings.ts';

const OURS = CUSTOM_FIELD_DEFINITIONS.length;

for (const shape of ['epa', 'friendly'] as const)
  describe(`settings push (${shape} shape)`, () => {
    let h: Harness;

    before(async () => {
      h = await startHarness({ simulator: { shape, initialSettings: 'empty' } });
    });
    after(() => h.close());

    async function fieldsInEspm() {
      const listed = await h.espm.listCustomFields();
      return Promise.all(listed.map(async (f) => ({ id: f.id, def: await h.espm.getCustomField(f.id) })));
    }

    it('run twice leaves exactly our fields with our definitions, and the terms of use', async () => {
      const first = await pushSettings(h.ctx);
      assert.equal(first.created.length, OURS);
      const ids = (await fieldsInEspm()).map((f) => f.id);
      const second = await pushSettings(h.ctx);
      assert.deepEqual(second.created, []);
      assert.deepEqual(second.updated, []);
      assert.equal(second.unchanged.length, OURS);
      const fields = await fieldsInEspm();
      assert.deepEqual(
        fields.map((f) => f.id),
        ids,
      );
      assert.deepEqual(
        fields.map((f) => f.def),
        CUSTOM_FIELD_DEFINITIONS,
      );
      const settings = await h.espm.getDataExchangeSettings();
      assert.deepEqual(settings.termsOfUse, { kind: 'text', text: TERMS_OF_USE });
    });

    it('pushes terms that describe whole-building data and commit its recipient to no re-identification, in French and English', async () => {
      await pushSettings(h.ctx);
      const terms = (await h.espm.getDataExchangeSettings()).termsOfUse;
      assert.equal(terms?.kind, 'text');
      const text = terms.kind === 'text' ? terms.text : '';
      const fr = text.split('\n\n').find((p) => p.startsWith('Données de l’ensemble d’un bâtiment'));
      const en = text.split('\n\n').find((p) => p.startsWith('Whole-building data'));
      assert.ok(fr && en, text);
      assert.match(fr, /code d’agrégation sur un compteur agrégé/);
      assert.match(fr, /jamais la consommation d’un locataire/);
      assert.match(fr, /s’engage à ne pas chercher à identifier un locataire ni à déduire sa consommation/);
      assert.match(fr, /révoquer/);
      assert.match(en, /aggregation code on an aggregate meter/);
      assert.match(en, /never a tenant’s consumption/);
      assert.match(en, /undertakes not to try to identify a tenant or infer a tenant’s consumption/);
      assert.match(en, /revoke/);
    });

    it('updates in place a field of our name created by hand, and leaves other fields alone', async () => {
      const handMade = (await fieldsInEspm()).find((f) => f.def.name === FIELD.meterNumber)!;
      await h.espm.editCustomField(handMade.id, {
        name: FIELD.meterNumber,
        required: false,
        validCharacters: 'Any',
        whenToPrompt: 'Property',
      });
      const foreign = await h.espm.createCustomField({
        name: 'Lot Number',
        required: true,
        validCharacters: 'Any',
        whenToPrompt: 'Property',
      });
      const report = await pushSettings(h.ctx);
      assert.deepEqual(report.updated, [FIELD.meterNumber]);
      assert.deepEqual(report.created, []);
      assert.deepEqual(report.foreign, ['Lot Number']);
      const fields = await fieldsInEspm();
      assert.equal(fields.length, OURS + 1);
      assert.deepEqual(
        fields.find((f) => f.id === handMade.id)!.def,
        CUSTOM_FIELD_DEFINITIONS.find((d) => d.name === FIELD.meterNumber),
      );
      await h.espm.deleteCustomField(foreign);
    });

    it('adopts the fields a provider set up by hand before the gateway, without creating any', async () => {
      for (const f of await fieldsInEspm()) await h.espm.deleteCustomField(f.id);
      for (const def of CUSTOM_FIELD_DEFINITIONS) {
        await h.espm.createCustomField({ ...def, description: 'typed by hand' });
      }
      const ids = (await fieldsInEspm()).map((f) => f.id);
      const report = await pushSettings(h.ctx);
      assert.deepEqual(report.created, []);
      assert.equal(report.updated.length, OURS);
      const fields = await fieldsInEspm();
      assert.deepEqual(
        fields.map((f) => f.id),
        ids,
      );
      assert.deepEqual(
        fields.map((f) => f.def),
        CUSTOM_FIELD_DEFINITIONS,
      );
    });

    it('updates the first of two fields bearing one of our names and reports the other, deleting nothing', async () => {
      const first = (await fieldsInEspm()).find((f) => f.def.name === FIELD.invoiceNumber)!;
      // An ESPM that took a second field of the same name (the simulator refuses one, so it is seeded).
      const second = h.sim.store.nextId('customField');
      h.sim.store.data.customFields[second] = {
        id: second,
        definition: { ...first.def, description: 'copie / copy' },
      };
      const report = await pushSettings(h.ctx);
      assert.deepEqual(report.duplicates, [second]);
      assert.deepEqual(report.created, []);
      assert.equal((await fieldsInEspm()).length, OURS + 1);
      delete h.sim.store.data.customFields[second];
    });
  });
