// The provider's data exchange settings in ESPM: terms of use, supported meter types and the four
// custom fields. Pushed by `settings push`; fields are matched by name, since ESPM keys answers by name:
// a field of one of our names is updated in place, whoever created it, so pushing again never duplicates.
import type { CustomFieldDefinition } from '@gaz-espm/espm';
import { NATURAL_GAS } from '@gaz-espm/espm';
import { writeLog } from '../log/gateway-log.ts';
import type { ExchangeContext } from './context.ts';
import { CUSTOM_FIELD_DEFINITIONS } from './custom-fields.ts';

export const TERMS_OF_USE = [
  'Conditions d’utilisation — En partageant un compteur de gaz naturel, vous autorisez le distributeur à inscrire dans ENERGY STAR Portfolio Manager les données de consommation (m³) de ce compteur, tirées de votre facturation : l’historique demandé au premier partage, puis chaque nouvelle période de facturation. Seules les données du compteur dont vous fournissez les numéros de compte, de facture et de compteur sont transmises. Vous pouvez retirer l’accès en tout temps dans Portfolio Manager ; l’envoi cesse alors.',
  'Données de l’ensemble d’un bâtiment — Le propriétaire d’un bâtiment à plusieurs locataires qui inscrit un code d’agrégation sur un compteur agrégé reçoit chaque mois le total de la consommation (m³) des points de service du bâtiment, jamais la consommation d’un locataire ; un mois n’est transmis que si assez de clients y ont consommé et qu’aucun n’en représente l’essentiel. En partageant ce compteur, le propriétaire s’engage à ne pas chercher à identifier un locataire ni à déduire sa consommation de ces données, seules ou combinées à d’autres renseignements, et à ne pas les communiquer à cette fin. Le code est remis à une personne nommée ; le distributeur peut le révoquer, ce qui met fin au partage, et le partage doit être renouvelé périodiquement auprès du distributeur, faute de quoi l’envoi est suspendu.',
  'Terms of use — By sharing a natural gas meter, you allow the utility to enter into ENERGY STAR Portfolio Manager the consumption data (m³) of that meter, taken from your billing: the history requested on first share, then each new billing period. Only the data of the meter whose account, invoice and meter numbers you provide is sent. You may remove access at any time in Portfolio Manager; sending then stops.',
  'Whole-building data — The owner of a multi-tenant building who enters an aggregation code on an aggregate meter receives each month the total consumption (m³) of the building’s service points, never a tenant’s consumption; a month is sent only if enough customers consumed in it and none makes most of it. By sharing that meter, the owner undertakes not to try to identify a tenant or infer a tenant’s consumption from this data, alone or combined with other information, and not to disclose it for that purpose. The code is given to a named person; the utility may revoke it, which ends the share, and the share must be renewed periodically with the utility, failing which sending is suspended.',
].join('\n\n');

export interface SettingsPushReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Fields in ESPM that the gateway does not define; left alone, since deleting drops their values. */
  foreign: string[];
  /**
   * Further fields bearing one of our names (ids), beside the one updated: left alone for an operator,
   * since ESPM keys answers by name and deleting one may drop the answers customers gave.
   */
  duplicates: string[];
}

function same(a: CustomFieldDefinition, b: CustomFieldDefinition): boolean {
  const keys: Array<keyof CustomFieldDefinition> = [
    'name',
    'required',
    'validCharacters',
    'whenToPrompt',
    'description',
    'example',
    'url',
    'minChars',
    'maxChars',
    'displayOrder',
  ];
  return keys.every((k) => (a[k] ?? null) === (b[k] ?? null));
}

export async function pushSettings(ctx: ExchangeContext): Promise<SettingsPushReport> {
  await ctx.espm.putDataExchangeSettings({
    termsOfUse: { kind: 'text', text: TERMS_OF_USE },
    supportedMeterTypes: [NATURAL_GAS],
  });
  const report: SettingsPushReport = { created: [], updated: [], unchanged: [], foreign: [], duplicates: [] };
  // The list names each field in its hint; a field listed without one is read to learn its name.
  const existing = await Promise.all(
    (await ctx.espm.listCustomFields()).map(async (f) => ({
      id: f.id,
      name: f.name ?? (await ctx.espm.getCustomField(f.id)).name,
    })),
  );
  existing.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  for (const wanted of CUSTOM_FIELD_DEFINITIONS) {
    const [found, ...others] = existing.filter((e) => e.name === wanted.name);
    report.duplicates.push(...others.map((o) => o.id));
    if (!found) {
      await ctx.espm.createCustomField(wanted);
      report.created.push(wanted.name);
    } else if (!same(await ctx.espm.getCustomField(found.id), wanted)) {
      await ctx.espm.editCustomField(found.id, wanted);
      report.updated.push(wanted.name);
    } else report.unchanged.push(wanted.name);
  }
  report.foreign = existing
    .filter((e) => !CUSTOM_FIELD_DEFINITIONS.some((w) => w.name === e.name))
    .map((e) => e.name);
  await writeLog(ctx.db, {
    service: 'Operator',
    subject: 'dataExchangeSettings',
    event: {
      kind: 'settings-pushed',
      created: report.created.length,
      updated: report.updated.length,
      unchanged: report.unchanged.length,
    },
  });
  return report;
}
