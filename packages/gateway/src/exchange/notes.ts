// The notes ESPM shows the customer with each answer: French then English in one text, since ESPM
// carries one note per answer and the customer may read either language. At most 1000 characters.
import type { RejectionRule } from './share-rules.ts';

export interface Bilingual {
  fr: string;
  en: string;
}

export function noteText(b: Bilingual): string {
  return `${b.fr} / ${b.en}`;
}

export const CONNECTION_ACCEPTED: Bilingual = {
  fr: 'Votre demande de connexion a été acceptée. Partagez maintenant votre propriété et votre compteur de gaz naturel en remplissant les quatre champs demandés.',
  en: 'Your connection request has been accepted. Now share your property and your natural gas meter, filling in the four requested fields.',
};

/** Sent with the unsharing when an operator revokes a meter share (and kept in the link's history). */
export const OPERATOR_UNSHARE_NOTE: Bilingual = {
  fr: 'Le distributeur a mis fin à l’échange de données pour ce compteur. Communiquez avec le service à la clientèle pour plus d’information.',
  en: 'The utility ended the data exchange for this meter. Please contact customer service for more information.',
};

/**
 * Kept with a pause for another billing account after a property transfer, for whoever answers the new
 * holder (ESPM carries no note for it).
 */
export const BILLING_ACCOUNT_CHANGED: Bilingual = {
  fr: 'La propriété a été transférée et nos factures de ce compteur sont maintenant à un autre compte. L’envoi des nouvelles périodes est suspendu jusqu’à ce qu’un agent vérifie le compte. Le nouveau titulaire du compte peut partager le compteur de nouveau avec les numéros de sa propre facture.',
  en: 'The property was transferred and our bills for this meter are now on another account. Sending new periods is on hold until an agent checks the account. The new account holder can share the meter again with the numbers of their own invoice.',
};

/**
 * Sent with the unsharing of a meter accepted with an aggregation code that ESPM then showed is not an
 * aggregate meter (the flag is known only after acceptance).
 */
export const NOT_AGGREGATE_UNSHARED: Bilingual = {
  fr: 'Partage retiré : un code d’agrégation s’inscrit sur un compteur de gaz naturel marqué comme compteur agrégé, et ce compteur ne l’est pas. Cochez « compteur agrégé » puis partagez le compteur de nouveau.',
  en: 'Share removed: an aggregation code goes on a natural gas meter marked as an aggregate meter, and this meter is not one. Mark it as an aggregate meter, then share it again.',
};

/**
 * Sent with the unsharing of an aggregate meter when the utility revokes the building's aggregation
 * codes (exchange/building-links.ts), and kept in the link's history.
 */
export const CODE_REVOKED_UNSHARE_NOTE: Bilingual = {
  fr: 'Le distributeur a révoqué le code d’agrégation de ce bâtiment : l’envoi du total mensuel du bâtiment à ce compteur agrégé a pris fin. Pour le reprendre, communiquez avec le service à la clientèle afin d’obtenir un nouveau code.',
  en: 'The utility revoked this building’s aggregation code: sending the building’s monthly total to this aggregate meter has ended. To resume it, contact customer service for a new code.',
};

/** Kept with the pause of an aggregate meter whose yearly renewal ran out (ESPM carries no note for it). */
export const RENEWAL_LAPSED: Bilingual = {
  fr: 'L’envoi du total mensuel du bâtiment à ce compteur agrégé est suspendu : le partage n’a pas été renouvelé auprès du distributeur dans le délai prévu. Communiquez avec le service à la clientèle pour le renouveler; les mois facturés entre-temps seront alors envoyés.',
  en: 'Sending the building’s monthly total to this aggregate meter is suspended: the share was not renewed with the utility in time. Contact customer service to renew it; the months billed meanwhile will then be sent.',
};

export const PROPERTY_ACCEPTED: Bilingual = {
  fr: 'Le partage de la propriété a été accepté.',
  en: 'The property share has been accepted.',
};

export const METER_ACCEPTED: Bilingual = {
  fr: 'Votre demande de partage a été acceptée. Nous allons envoyer les données de consommation du ou des compteurs sur ce compte après chaque cycle de facturation.',
  en: 'Your request for sharing has been accepted. We will send the meter usage data to this account after each billing cycle.',
};

/** Kept with a pause decision, for whoever answers the customer (ESPM carries no note for it). */
export const ACCESS_READ_ONLY: Bilingual = {
  fr: 'Nous ne pouvons plus inscrire vos données de consommation dans ce compteur : il nous est partagé en lecture seule. Dans Portfolio Manager, redonnez-nous l’« Accès complet » à ce compteur (Échange de données) ; les périodes facturées entre-temps seront alors toutes envoyées.',
  en: 'We can no longer enter your usage data in this meter: it is shared with us read only. In Portfolio Manager, give us "Full Access" to this meter again (Exchange Data); the periods billed meanwhile will then all be sent.',
};

const SHARE_AGAIN_FR = 'Corrigez la valeur puis partagez le compteur de nouveau.';
const SHARE_AGAIN_EN = 'Correct the value, then share the meter again.';

/** When a lockout ends, in the utility's time zone, as a customer reads it in each language. */
const LOCKOUT_END = {
  fr: new Intl.DateTimeFormat('fr-CA', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'America/Montreal',
  }),
  en: new Intl.DateTimeFormat('en-CA', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'America/Montreal',
  }),
};

/**
 * A share refused while the account is locked out: until when, how to reach the utility to be
 * unlocked sooner, and that the meter must be shared again once it is (a refused share stays refused).
 */
export function lockedOutNote(until: Date, contact: Bilingual | undefined): Bilingual {
  return {
    fr: `Partage refusé : trop de tentatives infructueuses dans les dernières 24 heures. Votre compte est verrouillé jusqu’au ${LOCKOUT_END.fr.format(until)} (heure de l’Est). Pour le faire déverrouiller plus tôt, communiquez avec ${contact?.fr ?? 'le service à la clientèle'}. Une fois le compte déverrouillé, partagez le compteur de nouveau.`,
    en: `Share rejected: too many failed attempts in the last 24 hours. Your account is locked until ${LOCKOUT_END.en.format(until)} (Eastern time). To have it unlocked sooner, contact ${contact?.en ?? 'customer service'}. Once your account is unlocked, share the meter again.`,
  };
}

export const REJECTION_NOTES: Record<RejectionRule, Bilingual> = {
  'locked-out': {
    fr: 'Partage refusé : trop de tentatives infructueuses dans les dernières 24 heures. Communiquez avec le service à la clientèle.',
    en: 'Share rejected: too many failed attempts in the last 24 hours. Please contact customer service.',
  },
  'missing-field': {
    fr: `Partage refusé : un champ est vide. Inscrivez le numéro du compte, le numéro de facture, le numéro du compteur et le chargement initial; ou, propriétaire d’un bâtiment à plusieurs locataires, le code d’agrégation et le chargement initial. ${SHARE_AGAIN_FR}`,
    en: `Share rejected: a field is empty. Enter the account number, invoice number, meter number and initial load; or, as the owner of a multi-tenant building, the aggregation code and the initial load. ${SHARE_AGAIN_EN}`,
  },
  'numbers-and-code': {
    fr: `Partage refusé : inscrivez soit les numéros du compte, de facture et du compteur, soit un code d’agrégation, pas les deux. ${SHARE_AGAIN_FR}`,
    en: `Share rejected: enter either the account, invoice and meter numbers or an aggregation code, not both. ${SHARE_AGAIN_EN}`,
  },
  'invalid-aggregation-code': {
    fr: `Partage refusé : ce code d’agrégation n’est pas valide. Vérifiez le code de 16 caractères remis par le distributeur; un code expire 90 jours après son émission s’il n’est pas utilisé. ${SHARE_AGAIN_FR}`,
    en: `Share rejected: this aggregation code is not valid. Check the 16-character code the utility gave you; an unused code expires 90 days after it was issued. ${SHARE_AGAIN_EN}`,
  },
  'not-aggregate-meter': {
    fr: 'Partage refusé : un code d’agrégation s’inscrit sur un compteur de gaz naturel marqué comme compteur agrégé. Cochez « compteur agrégé » puis partagez le compteur de nouveau.',
    en: 'Share rejected: an aggregation code goes on a natural gas meter marked as an aggregate meter. Mark it as an aggregate meter, then share it again.',
  },
  'building-below-threshold': {
    fr: 'Partage refusé : les données agrégées de ce bâtiment ne peuvent pas être transmises pour le moment. Communiquez avec le service à la clientèle.',
    en: 'Share rejected: this building’s aggregated data cannot be sent at this time. Please contact customer service.',
  },
  'invalid-account-number': {
    fr: `Partage refusé : le numéro du compte doit compter 10 ou 11 chiffres, tel qu’inscrit sur la facture. ${SHARE_AGAIN_FR}`,
    en: `Share rejected: the account number must have 10 or 11 digits, as shown on the invoice. ${SHARE_AGAIN_EN}`,
  },
  'invalid-invoice-number': {
    fr: `Partage refusé : le numéro de facture doit compter 12 chiffres. ${SHARE_AGAIN_FR}`,
    en: `Share rejected: the invoice number must have 12 digits. ${SHARE_AGAIN_EN}`,
  },
  'invalid-meter-number': {
    fr: `Partage refusé : le numéro du compteur doit compter de 7 à 18 lettres ou chiffres (section A de la facture). ${SHARE_AGAIN_FR}`,
    en: `Share rejected: the meter number must have 7 to 18 letters or digits (section A of the invoice). ${SHARE_AGAIN_EN}`,
  },
  'invalid-initial-load': {
    fr: `Partage refusé : le chargement initial doit être un nombre de mois entre 0 et 24. ${SHARE_AGAIN_FR}`,
    en: `Share rejected: the initial load must be a number of months from 0 to 24. ${SHARE_AGAIN_EN}`,
  },
  'unknown-account': {
    fr: `Partage refusé : ce numéro de compte est introuvable. Vérifiez-le sur votre dernière facture. ${SHARE_AGAIN_FR}`,
    en: `Share rejected: this account number was not found. Check it on your latest invoice. ${SHARE_AGAIN_EN}`,
  },
  'meter-not-on-account': {
    fr: `Partage refusé : ce numéro de compteur n’appartient pas à ce compte. Vérifiez la section A de votre dernière facture. ${SHARE_AGAIN_FR}`,
    en: `Share rejected: this meter number does not belong to this account. Check section A of your latest invoice. ${SHARE_AGAIN_EN}`,
  },
  'invoice-not-latest': {
    fr: `Partage refusé : le numéro de facture n’est pas celui de la dernière facture du compte. Inscrivez le numéro de votre facture la plus récente. ${SHARE_AGAIN_FR}`,
    en: `Share rejected: the invoice number is not the account's latest invoice. Enter the number of your most recent invoice. ${SHARE_AGAIN_EN}`,
  },
  'not-natural-gas': {
    fr: 'Partage refusé : seuls les compteurs de gaz naturel peuvent être partagés avec nous. Créez un compteur de type Gaz naturel puis partagez-le.',
    en: 'Share rejected: only natural gas meters can be shared with us. Create a Natural Gas meter, then share it.',
  },
  'unsupported-unit': {
    fr: 'Partage refusé : l’unité du compteur n’est pas une unité de gaz naturel. Choisissez m³ (mètres cubes) puis partagez le compteur de nouveau.',
    en: 'Share rejected: the meter unit is not a natural gas unit. Choose m³ (cubic meters), then share the meter again.',
  },
  'read-only-access': {
    fr: 'Partage refusé : nous avons besoin de l’accès complet au compteur pour y inscrire vos données. Partagez-le de nouveau avec « Accès complet ».',
    en: 'Share rejected: we need full access to the meter to enter your data. Share it again with "Full Access".',
  },
};
