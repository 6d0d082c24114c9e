// An alert's cause in the operator's two languages, side by side so that neither can lag: a cause
// without its words fails the type check. Services are named by the console's words for them, moments in
// Montréal's time as the console shows them; errors and routes are quoted as the cause holds them.
import type { Lang } from '../console/i18n/index.ts';
import { formatMoment } from '../console/format.ts';
import { serviceName } from '../console/i18n/index.ts';
import type { Bilingual } from '../exchange/notes.ts';
import { frenchSpacing } from '../text/french-spacing.ts';
import type { AlertCause } from '../vocabulary/alerts.ts';
import { SERVICES } from '../vocabulary/gateway-events.ts';

export function alertMessages(cause: AlertCause): Bilingual {
  const words = alertWords(cause);
  return { fr: frenchSpacing(words.fr), en: words.en };
}

function alertWords(cause: AlertCause): Bilingual {
  switch (cause.alert) {
    case 'service-failing': {
      const service = { fr: serviceWords('fr', cause.service), en: serviceWords('en', cause.service) };
      if (cause.status === 'resolved')
        return {
          fr: `${service.fr} : exécution réussie de nouveau`,
          en: `${service.en}: runs again without error`,
        };
      // Quoted as JSON, as the importer quotes a file's values: its spaces and line breaks stay visible.
      const error = cause.error === null ? null : JSON.stringify(cause.error);
      return {
        fr: `${service.fr} : ${inARow('fr', cause.failures, 'échec', 'échecs')} ; dernière erreur : ${error ?? 'non précisée'}`,
        en: `${service.en}: failed ${inARow('en', cause.failures, 'time', 'times')}; last error: ${error ?? 'not given'}`,
      };
    }
    case 'espm-unauthorized':
      return cause.status === 'firing'
        ? {
            fr: `ESPM a refusé les identifiants du fournisseur (HTTP 401 sur ${cause.route})`,
            en: `ESPM refused the provider's credentials (HTTP 401 on ${cause.route})`,
          }
        : {
            fr: `ESPM accepte de nouveau les identifiants du fournisseur (sur ${cause.route})`,
            en: `ESPM accepts the provider's credentials again (on ${cause.route})`,
          };
    case 'espm-unavailable': {
      const http = `HTTP ${cause.httpStatus ?? '?'}`;
      return cause.status === 'firing'
        ? {
            fr: `ESPM a répondu ${inARow('fr', cause.answers, 'fois', 'fois')} qu’il est indisponible ou refuse tous les appels (${http} sur ${cause.route}) : les appels sont retenus, un seul à la fois vérifie s’il est revenu`,
            en: `ESPM answered ${inARow('en', cause.answers, 'time', 'times')} that it is down or refusing every call (${http} on ${cause.route}): every call is held, one at a time asks whether it is back`,
          }
        : {
            fr: `ESPM répond de nouveau (${http} sur ${cause.route})`,
            en: `ESPM answers again (${http} on ${cause.route})`,
          };
    }
    case 'billing-stale':
      if (cause.status === 'resolved')
        return {
          fr: `Données de facturation à jour : dernier import réussi le ${formatMoment('fr', cause.lastImport)}`,
          en: `Billing data up to date: last successful import at ${formatMoment('en', cause.lastImport)}`,
        };
      return cause.lastImport === null
        ? {
            fr: `Données de facturation : aucun import réussi depuis le démarrage de cette instance le ${formatMoment('fr', cause.since)}, il y a ${cause.ageHours} h (plus de ${cause.maxHours} h)`,
            en: `Billing data: no successful import since this instance started at ${formatMoment('en', cause.since)}, ${cause.ageHours} h ago (more than ${cause.maxHours} h)`,
          }
        : {
            fr: `Données de facturation : aucun import réussi depuis le ${formatMoment('fr', cause.since)}, il y a ${cause.ageHours} h (plus de ${cause.maxHours} h)`,
            en: `Billing data: no successful import since ${formatMoment('en', cause.since)}, ${cause.ageHours} h ago (more than ${cause.maxHours} h)`,
          };
    default: {
      const unworded: never = cause;
      return unworded;
    }
  }
}

/** How many times, "in a row" only when there were several (GATEWAY_ALERT_AFTER_FAILURES may be 1). */
function inARow(lang: Lang, n: number, one: string, several: string): string {
  if (n === 1) return `${n} ${one}`;
  return lang === 'fr' ? `${n} ${several} de suite` : `${n} ${several} in a row`;
}

/** A service by the console's words for it; one this version does not know, by the name it came with. */
function serviceWords(lang: Lang, service: string): string {
  const known = SERVICES.find((s) => s === service);
  return known ? serviceName(lang, known) : service;
}
