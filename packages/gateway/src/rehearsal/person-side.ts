// The customer's steps played by a person: each step printed in French or English with the exact
// values to type; the rehearsal then waits, reading the provider's pending lists (or the meter's
// level), until ESPM shows what the person did.
import type { AccessLevel } from '@gaz-espm/espm';
import { FIELD } from '../exchange/custom-fields.ts';
import type { CustomerServices } from './customer-services.ts';
import type {
  CustomerSide,
  Language,
  MeterToShare,
  PropertyToShare,
  ProviderAccount,
} from './customer-side.ts';
import { noEvidence } from './customer-side.ts';

export interface PersonSideOptions {
  customer: CustomerServices;
  webUrl: string;
  providerUsername: string;
  language: Language;
  out: { write(text: string): unknown };
}

type Say = (fr: string, en: string) => string;

const LEVEL_WORDS: Record<AccessLevel, { fr: string; en: string }> = {
  'Read Write': { fr: 'Accès complet', en: 'Full Access' },
  Read: { fr: 'Accès en lecture seulement', en: 'Read Only Access' },
};

export function personSide(o: PersonSideOptions): CustomerSide {
  const say: Say = (fr, en) => (o.language === 'fr' ? fr : en);
  const print = (lines: string[]) => o.out.write(`\n${lines.join('\n')}\n`);
  const waiting = say('En attente de votre action dans ESPM…', 'Waiting for what you do in ESPM…');

  const meterLines = (m: MeterToShare, level: AccessLevel): string[] => [
    `   ${say('Compteur', 'Meter')} « ${m.name} » (${m.meterId}) : ${LEVEL_WORDS[level][o.language]}`,
    `      ${FIELD.accountNumber} : ${m.answers.accountNumber}`,
    `      ${FIELD.invoiceNumber} : ${m.answers.invoiceNumber}`,
    `      ${FIELD.meterNumber} : ${m.answers.meterNumber}`,
    `      ${FIELD.initialLoad} : ${m.answers.initialLoad}`,
  ];

  return {
    name: 'person',
    patienceMs: 30 * 60_000,
    async connect(provider: ProviderAccount) {
      const me = await o.customer.account();
      print([
        say('ÉTAPE : CONNEXION', 'STEP: CONNECTION'),
        say(
          `1. Ouvrez ${o.webUrl} et ouvrez une session avec le compte ${o.customer.username}.`,
          `1. Open ${o.webUrl} and sign in as ${o.customer.username}.`,
        ),
        say(
          '2. Cliquez sur Contacts, puis sur Ajouter de nouveaux contacts/connexions.',
          '2. Click Contacts, then Add New Contacts/Connections.',
        ),
        say(
          `3. Cherchez le nom d’utilisateur ${o.providerUsername}, puis cliquez sur Connecter sur sa ligne.`,
          `3. Search for the username ${o.providerUsername}, then click Connect on its row.`,
        ),
        say(
          '4. Cochez « J’accepte les conditions d’utilisation de mon fournisseur ».',
          '4. Check "I agree to my provider’s terms of use".',
        ),
        say('5. Cliquez sur Envoyer une demande de connexion.', '5. Click Send Connection Request.'),
        waiting,
      ]);
      return noEvidence(`instructions printed for account ${me.id} to connect to ${provider.username}`);
    },
    async share(_provider: ProviderAccount, property: PropertyToShare, level: AccessLevel) {
      print([
        say('ÉTAPE : PARTAGE', 'STEP: SHARING'),
        say(
          '1. Cliquez sur Partage, puis sur « Partagez avec votre service public ou votre fournisseur de services pour échanger des données ».',
          '1. Click Sharing, then "Share with your utility or service provider to exchange data".',
        ),
        say(
          `2. Sélectionnez ${o.providerUsername}, puis Sélectionner les propriétés : « ${property.name} » (${property.propertyId}).`,
          `2. Select ${o.providerUsername}, then Select Properties: "${property.name}" (${property.propertyId}).`,
        ),
        say(
          '3. Choisissez « Je veux accorder des niveaux d’accès différents pour chaque propriété ou pour chaque compteur », puis Échange de données.',
          '3. Choose "I want to give different access levels for each property or meter", then Exchange Data.',
        ),
        say(
          `4. Renseignements sur la propriété : ${LEVEL_WORDS[level].fr}. Pour chaque compteur, saisissez exactement :`,
          `4. Property information: ${LEVEL_WORDS[level].en}. For each meter, type exactly:`,
        ),
        ...property.meters.flatMap((m) => meterLines(m, level)),
        say('5. Cliquez sur Partager la/les propriété(s).', '5. Click Share Properties.'),
        waiting,
      ]);
      return noEvidence(`instructions printed to share property ${property.propertyId}`);
    },
    async makeReadOnly(_provider: ProviderAccount, property: PropertyToShare, meter: MeterToShare) {
      print([
        say('ÉTAPE : LECTURE SEULEMENT', 'STEP: READ ONLY'),
        say(
          `1. Dans Partage, modifiez l’accès à « ${property.name} » pour ${o.providerUsername}.`,
          `1. In Sharing, edit the access to "${property.name}" for ${o.providerUsername}.`,
        ),
        say(
          `2. Compteur « ${meter.name} » (${meter.meterId}) : ${LEVEL_WORDS.Read.fr}, sans changer les autres valeurs.`,
          `2. Meter "${meter.name}" (${meter.meterId}): ${LEVEL_WORDS.Read.en}, leaving the other values as they are.`,
        ),
        say('3. Enregistrez.', '3. Save.'),
        waiting,
      ]);
      return noEvidence(`instructions printed to set meter ${meter.meterId} to Read Only`);
    },
    close: async () => undefined,
  };
}
