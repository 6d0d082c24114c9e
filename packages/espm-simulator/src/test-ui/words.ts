// The Test web UI's words, in ESPM's own French (the customer guide's screens) and English.
export type UiLanguage = 'fr' | 'en';

export const WORDS = {
  signIn: { fr: 'Ouvrir une session', en: 'Sign In' },
  username: { fr: 'Nom d’utilisateur', en: 'Username' },
  password: { fr: 'Mot de passe', en: 'Password' },
  badLogin: { fr: 'Nom d’utilisateur ou mot de passe incorrect.', en: 'Incorrect username or password.' },
  myPortfolio: { fr: 'MonPortefeuille', en: 'MyPortfolio' },
  sharing: { fr: 'Partage', en: 'Sharing' },
  contacts: { fr: 'Contacts', en: 'Contacts' },
  signOut: { fr: 'Fermer votre session', en: 'Sign Out' },
  welcome: { fr: 'Bienvenue', en: 'Welcome' },
  properties: { fr: 'Mes propriétés', en: 'My properties' },
  contactsTitle: { fr: 'Mes contacts et organisation', en: 'My Contacts and Organizations' },
  addContacts: { fr: 'Ajouter de nouveaux contacts/connexions', en: 'Add New Contacts/Connections' },
  connected: { fr: 'Connecté', en: 'Connected' },
  pending: { fr: 'En attente', en: 'Pending' },
  rejected: { fr: 'Refusée', en: 'Rejected' },
  disconnected: { fr: 'Déconnecté', en: 'Disconnected' },
  searchTitle: { fr: 'Résultats de recherche', en: 'Search Results' },
  organization: { fr: 'Organisation', en: 'Organization' },
  search: { fr: 'Rechercher', en: 'Search' },
  connect: { fr: 'Connecter', en: 'Connect' },
  noResult: { fr: 'Aucun résultat.', en: 'No results.' },
  sendRequestTitle: {
    fr: 'Envoyez une demande de connexion à {org} pour commencer l’échange de données',
    en: 'Send a connection request to {org} to start exchanging data',
  },
  termsOfUse: { fr: 'Conditions d’utilisation :', en: 'Terms of Use:' },
  agreement: {
    fr: 'Entente : J’accepte les conditions d’utilisation de mon fournisseur ({org}).',
    en: 'Agreement: I agree to my provider’s Terms of Use ({org}).',
  },
  sendRequest: { fr: 'Envoyer une demande de connexion', en: 'Send Connection Request' },
  mustAgree: {
    fr: 'Vous devez accepter les conditions d’utilisation.',
    en: 'You must agree to the Terms of Use.',
  },
  requestSent: {
    fr: 'Vous avez réussi à envoyer une demande de connexion à {org}. Une fois votre demande acceptée par {org}, vous pourrez partager vos propriétés et, par conséquent, autoriser ce fournisseur à commencer l’échange de données avec votre ou vos propriété(s).',
    en: 'You have successfully sent a connection request to {org}. Once {org} accepts your request, you can share your properties and so allow this provider to start exchanging data with your property(ies).',
  },
  shareForExchange: {
    fr: 'Partagez avec votre service public ou votre fournisseur de services pour échanger des données',
    en: 'Share with your utility or service provider to exchange data',
  },
  exchangeTitle: {
    fr: 'Partager des propriétés pour l’échange de données',
    en: 'Share Properties for Exchanging Data',
  },
  selectProvider: {
    fr: 'Sélectionner un fournisseur de services Web de mon carnet de contacts :',
    en: 'Select a web services provider from my contacts:',
  },
  noProvider: {
    fr: 'Aucun fournisseur connecté : envoyez d’abord une demande de connexion.',
    en: 'No connected provider: send a connection request first.',
  },
  selectProperties: { fr: 'Sélectionner les propriétés', en: 'Select Properties' },
  selectedProperties: { fr: 'Propriétés sélectionnées :', en: 'Selected properties:' },
  applySelection: { fr: 'Appliquer la sélection', en: 'Apply Selection' },
  chooseAuth: { fr: 'Choisir les Autorisations', en: 'Choose Permissions' },
  bulkYes: {
    fr: 'Bulk Sharing ("One-Size-Fits-All") - Je veux accorder les niveaux d’autorisation en vrac pour toutes les propriétés et tous les compteurs sélectionnés.',
    en: 'Bulk Sharing ("One-Size-Fits-All") - I want to give the same permissions to all selected properties and meters.',
  },
  bulkNo: {
    fr: 'Je veux accorder des niveaux d’accès différents pour chaque propriété ou pour chaque compteur dans une propriété.',
    en: 'I want to give different access levels for each property or for each meter in a property.',
  },
  bulkNotSimulated: {
    fr: 'Le partage en vrac n’est pas simulé : choisissez la seconde option, comme le guide.',
    en: 'Bulk sharing is not simulated: choose the second option, as the guide does.',
  },
  continue: { fr: 'Continuer', en: 'Continue' },
  shareTitle: { fr: 'Partagez vos propriétés', en: 'Share Your Properties' },
  selectFor: {
    fr: 'Sélectionner les autorisations d’accès à {property} pour {org}.',
    en: 'Select access permissions to {property} for {org}.',
  },
  element: { fr: 'Élément', en: 'Item' },
  none: { fr: 'Aucun accès', en: 'No Access' },
  read: { fr: 'Accès en lecture seulement', en: 'Read Only Access' },
  full: { fr: 'Accès complet', en: 'Full Access' },
  propertyInfo: { fr: 'Renseignements sur la propriété', en: 'Property Information' },
  between: { fr: 'Entre {min} et {max} caractères', en: 'Between {min} and {max} characters' },
  shareButton: { fr: 'Partager la/les propriété(s)', en: 'Share Property(ies)' },
  shared: {
    fr: 'Votre demande de partage a été envoyée à {org}.',
    en: 'Your sharing request was sent to {org}.',
  },
  noMeter: {
    fr: 'Aucun compteur d’un type que ce fournisseur échange.',
    en: 'No meter of a type this provider exchanges.',
  },
} as const;

export type WordKey = keyof typeof WORDS;

export function say(lang: UiLanguage, key: WordKey, values: Record<string, string> = {}): string {
  return Object.entries(values).reduce((t, [k, v]) => t.split(`{${k}}`).join(v), WORDS[key][lang] as string);
}
