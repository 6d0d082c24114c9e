// The words of a building's written months and the revisions withheld for privacy
// (buildings/month-release.ts), in both languages; spread into fr.ts and en.ts.
export const buildingRevisionsFr = {
  'monthState.written': 'transmis',
  'buildings.written': 'Transmis (m³)',
  'buildings.revisionsWithheld': 'Révisions retenues pour la confidentialité',
  'buildings.revisionsWithheldHelp':
    'Le total de ces mois a changé depuis sa transmission, mais la différence ne dépend pas d’assez de clients : Portfolio Manager garde la valeur transmise. Elle sera mise à jour quand les changements, ensemble, passeront la règle.',
  'buildings.noRevisionsWithheld': 'Aucune révision retenue.',
  'buildings.current': 'Total actuel (m³)',
  'buildings.reason': 'Raison',
  'revisionWithheld.too-few-customers': 'Révision retenue pour la confidentialité : trop peu de clients',
  'revisionWithheld.dominant-customer': 'Révision retenue pour la confidentialité : un client domine',
  'revisionWithheld.revision-limit': 'Révision retenue pour la confidentialité : mois déjà révisé deux fois',
  'outcome.revision-withheld': 'Révision de {month} retenue pour la confidentialité ({reason})',
  'outcome.revision-released': 'Révision de {month} transmise',
  'outcome.premise-removed': 'Point de service retiré',
  'buildings.ownerHeld': 'au propriétaire',
  'buildings.fromMonth': 'compte à partir de {month}',
  'buildings.removePremise': 'Retirer',
  'confirm.removePremise': 'Retirer le point de service {premise} du bâtiment {building} ?',
  'confirm.removePremiseHelp':
    'Il compte encore dans les mois commencés avant ce retrait, plus jamais après. Les mois déjà transmis ne changent pas.',
  'flash.premiseRemoved': 'Point de service retiré.',
  'buildingError.premise-not-in-building': 'Ce point de service n’est pas dans ce bâtiment.',
} as const;

export const buildingRevisionsEn = {
  'monthState.written': 'sent',
  'buildings.written': 'Sent (m³)',
  'buildings.revisionsWithheld': 'Revisions withheld for privacy',
  'buildings.revisionsWithheldHelp':
    'These months’ totals changed since they were sent, but the difference does not depend on enough customers: Portfolio Manager keeps the value sent. It is updated once the changes, together, pass the rule.',
  'buildings.noRevisionsWithheld': 'No revision withheld.',
  'buildings.current': 'Current total (m³)',
  'buildings.reason': 'Reason',
  'revisionWithheld.too-few-customers': 'Revision withheld for privacy: too few customers',
  'revisionWithheld.dominant-customer': 'Revision withheld for privacy: one customer dominates',
  'revisionWithheld.revision-limit': 'Revision withheld for privacy: month already revised twice',
  'outcome.revision-withheld': 'Revision of {month} withheld for privacy ({reason})',
  'outcome.revision-released': 'Revision of {month} sent',
  'outcome.premise-removed': 'Service point removed',
  'buildings.ownerHeld': 'owner’s',
  'buildings.fromMonth': 'counts from {month}',
  'buildings.removePremise': 'Remove',
  'confirm.removePremise': 'Remove service point {premise} from building {building}?',
  'confirm.removePremiseHelp':
    'It still counts in the months begun before its removal, never after. Months already sent do not change.',
  'flash.premiseRemoved': 'Service point removed.',
  'buildingError.premise-not-in-building': 'This service point is not in this building.',
} as const satisfies Record<keyof typeof buildingRevisionsFr, string>;
