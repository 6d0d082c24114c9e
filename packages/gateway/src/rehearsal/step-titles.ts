// Each step's name, as the report, the command's output and the skipped steps' reasons give it.
import type { Words } from './customer-side.ts';
import type { StepId } from './steps.ts';

export const STEP_TITLES: Record<StepId, Words> = {
  settings: {
    fr: 'Paramètres et champs personnalisés poussés deux fois; fournisseur trouvable',
    en: 'Settings and custom fields pushed twice; provider searchable',
  },
  'customer-resources': {
    fr: 'Propriété et compteurs de gaz naturel (m³) du client, par les services Web',
    en: 'The customer’s property and Natural Gas meters (m³), through the web services',
  },
  connection: { fr: 'Demande de connexion et acceptation', en: 'Connection request and acceptance' },
  shares: {
    fr: 'Partages : un accepté (exemple du guide), un refusé (autre facture)',
    en: 'Shares: one accepted (the guide’s example), one rejected (another invoice)',
  },
  history: {
    fr: 'Historique envoyé, relu par le client avec ses propres identifiants',
    en: 'History sent, read back by the customer with its own credentials',
  },
  'rebilled-period': {
    fr: 'Période refacturée : un PUT sur la même entrée',
    en: 'Re-billed period: a PUT on the same entry',
  },
  'read-only': {
    fr: 'Passage en lecture seulement : le lien est suspendu',
    en: 'Change to Read Only: the link is paused',
  },
  cleanup: {
    fr: 'Nettoyage : fin des partages et déconnexion',
    en: 'Clean-up: unshare and disconnect',
  },
};
