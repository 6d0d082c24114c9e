// The questions the utility asks in ESPM for every shared meter: the customer guide's four, named
// exactly as there, and the aggregation code of whole-building data (docs/buildings.md). ESPM keys the
// customer's answers by these names, so they are the contract. Either the three numbers or a code is
// given, so none of them is required by ESPM; the gateway checks which (share-rules.ts).
import type { CustomFieldDefinition, CustomFieldValue } from '@gaz-espm/espm';

export const FIELD = {
  accountNumber: 'Numéro du compte',
  invoiceNumber: 'Numéro de facture',
  meterNumber: 'Numéro du compteur',
  initialLoad: 'Chargement initial',
  aggregationCode: "Code d'agrégation",
} as const;

export type FieldKey = keyof typeof FIELD;

export const CUSTOM_FIELD_DEFINITIONS: CustomFieldDefinition[] = [
  {
    name: FIELD.accountNumber,
    required: false,
    validCharacters: 'Numeric',
    whenToPrompt: 'Meter',
    minChars: 10,
    maxChars: 11,
    displayOrder: 1,
    example: '11111111111',
    description:
      'Numéro du compte tel qu’inscrit sur la facture. Sans espace. / Account number as shown on the invoice. Without space.',
  },
  {
    name: FIELD.invoiceNumber,
    required: false,
    validCharacters: 'Numeric',
    whenToPrompt: 'Meter',
    minChars: 12,
    maxChars: 12,
    displayOrder: 2,
    example: '333333333333',
    description: 'Numéro de la dernière facture. Sans espace. / Last invoice number. Without space.',
  },
  {
    name: FIELD.meterNumber,
    required: false,
    validCharacters: 'Alphanumeric',
    whenToPrompt: 'Meter',
    minChars: 7,
    maxChars: 18,
    displayOrder: 3,
    example: '2222222',
    description:
      'Numéro de l’appareil de mesure, à la section A de votre facture. Sans espace. / Number of the measuring device, in section A of your invoice. Without space.',
  },
  {
    name: FIELD.initialLoad,
    required: true,
    validCharacters: 'Numeric',
    whenToPrompt: 'Meter',
    minChars: 1,
    maxChars: 2,
    displayOrder: 4,
    example: '24',
    description:
      'Nombre de mois d’historique à inclure au premier partage. Inscrire 0 pour ne pas inclure d’historique. Maximum 24 mois. / Number of months of past consumption to include on first share. Enter 0 to not include history. Maximum 24 months.',
  },
  {
    name: FIELD.aggregationCode,
    required: false,
    validCharacters: 'Alphanumeric',
    whenToPrompt: 'Meter',
    minChars: 16,
    maxChars: 16,
    displayOrder: 5,
    example: '7K3M9QRT4V2XAB12',
    description:
      'Propriétaire d’un bâtiment à plusieurs locataires : le code d’agrégation de 16 caractères remis par le distributeur, sur un compteur de gaz naturel agrégé. Sans espace. Laisser vide si vous inscrivez les numéros du compte, de facture et du compteur. / Owner of a multi-tenant building: the 16-character aggregation code the utility gave you, on an aggregate natural gas meter. Without space. Leave empty if you enter the account, invoice and meter numbers.',
  },
];

/** The customer's answers by field, as typed; a field answered twice keeps the first answer. */
export function answersOf(values: CustomFieldValue[]): Partial<Record<FieldKey, string>> {
  const byName = new Map<string, string>();
  for (const v of values) {
    const name = v.name.normalize('NFC').trim();
    if (!byName.has(name)) byName.set(name, v.value);
  }
  const out: Partial<Record<FieldKey, string>> = {};
  for (const key of Object.keys(FIELD) as FieldKey[]) {
    const v = byName.get(FIELD[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Spaces and hyphens typed by the customer are ignored (including no-break and Unicode dashes). */
export function normaliseAnswer(value: string): string {
  return value.normalize('NFC').replace(/[\s\u00a0\u2007\u202f\-\u2010-\u2015\u2212]/g, '');
}
