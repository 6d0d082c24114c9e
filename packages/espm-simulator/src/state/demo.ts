// What a fresh simulator offers with initialSettings 'demo': the Québec gas provider of the customer
// guide, so a person can walk through the guide without first configuring the provider. The terms are
// invented; the four custom fields follow the guide's screenshots (API.md §1.2).
import type { CustomFieldDefinition, DataExchangeSettings } from '../espm.ts';

export const DEMO_SETTINGS: DataExchangeSettings = {
  termsOfUse: {
    kind: 'text',
    text:
      "En autorisant l'échange de données, vous permettez à votre distributeur de gaz naturel de " +
      'transmettre chaque mois à ENERGY STAR Portfolio Manager la consommation de gaz naturel (m³) des ' +
      'compteurs que vous partagez. Vous pouvez retirer cet accès en tout temps. / By authorizing the data ' +
      'exchange, you allow your natural gas utility to send the natural gas consumption (m³) of the meters ' +
      'you share to ENERGY STAR Portfolio Manager every month. You can remove this access at any time. ' +
      '(Simulator text.)',
  },
  supportedMeterTypes: ['Natural Gas'],
};

export const DEMO_CUSTOM_FIELDS: CustomFieldDefinition[] = [
  {
    name: 'Numéro du compte',
    required: true,
    validCharacters: 'Numeric',
    whenToPrompt: 'Meter',
    description:
      'Numéro du compte tel qu’inscrit sur la facture. Sans espace. / Account number as shown on the invoice. Without space.',
    example: '12345678901',
    minChars: 10,
    maxChars: 11,
    displayOrder: 1,
  },
  {
    name: 'Numéro de facture',
    required: true,
    validCharacters: 'Numeric',
    whenToPrompt: 'Meter',
    description: 'Numéro de la dernière facture. Sans espace. / Last invoice number. Without space.',
    example: '123456789012',
    minChars: 12,
    maxChars: 12,
    displayOrder: 2,
  },
  {
    name: 'Numéro du compteur',
    required: true,
    validCharacters: 'Alphanumeric',
    whenToPrompt: 'Meter',
    description:
      "Numéro de l'appareil de mesure, à la section A de votre facture. Sans espace. / Number of the measuring device, in section A of your invoice. Without space.",
    example: '1234567',
    minChars: 7,
    maxChars: 18,
    displayOrder: 3,
  },
  {
    name: 'Chargement initial',
    required: true,
    validCharacters: 'Numeric',
    whenToPrompt: 'Meter',
    description:
      "Nombre de mois d'historique à inclure au premier partage. Inscrire 0 pour ne pas inclure d'historique. Maximum 24 mois. / Number of months of past consumption to include on first share. Enter 0 to not include history. Maximum 24 months.",
    example: '24',
    minChars: 1,
    maxChars: 2,
    displayOrder: 4,
  },
];
