// The words of operator management (pages/operators.ts, the journal lines it adds), in both languages;
// spread into fr.ts and en.ts.
export const operatorsFr = {
  'nav.operators': 'Opérateurs',
  'signin.busy': 'Trop de connexions en même temps. Réessayez dans un instant.',
  'error.forbiddenAdmin': 'Seul un administrateur peut gérer les opérateurs.',
  'role.admin': 'Administrateur',
  'operators.title': 'Opérateurs de la console',
  'operators.intro':
    'Les lecteurs consultent, les opérateurs agissent sur les partages, les administrateurs gèrent aussi les opérateurs. Chaque changement est inscrit au journal avec son auteur.',
  'operators.username': 'Nom d’utilisateur',
  'operators.name': 'Nom affiché',
  'operators.role': 'Rôle',
  'operators.state': 'État',
  'operators.active': 'Actif',
  'operators.disabled': 'Désactivé',
  'operators.updated': 'Modifié le',
  'operators.actions': 'Actions',
  'operators.changeRole': 'Changer le rôle',
  'operators.resetPassword': 'Nouveau mot de passe',
  'operators.disable': 'Désactiver',
  'operators.add': 'Ajouter un opérateur',
  'operators.addSubmit': 'Ajouter',
  'operators.you': '(vous)',
  'operators.passwordTitle': 'Mot de passe de {username}',
  'operators.passwordOnce':
    'Ce mot de passe n’est affiché qu’une fois : transmettez-le à {username} par un moyen sûr. Il ne sera plus visible après cette page.',
  'operators.back': 'Retour aux opérateurs',
  'confirm.disableOperator': 'Désactiver l’opérateur {username} ?',
  'confirm.disableOperatorHelp':
    'Ses sessions prennent fin tout de suite et il ne peut plus se connecter. Un nouveau mot de passe le réactive.',
  'confirm.resetPassword': 'Donner un nouveau mot de passe à {username} ?',
  'confirm.resetPasswordHelp':
    'L’ancien mot de passe cesse de fonctionner et ses sessions prennent fin ; un opérateur désactivé est réactivé. Le nouveau mot de passe est affiché une seule fois.',
  'flash.operatorRoleChanged': 'Rôle de {username} : {role}.',
  'flash.operatorDisabled': 'Opérateur {username} désactivé ; ses sessions ont pris fin.',
  'operatorError.exists':
    'Cet opérateur existe déjà : changez son rôle ou donnez-lui un nouveau mot de passe.',
  'operatorError.invalid': 'Nom d’utilisateur invalide : 2 à 64 lettres minuscules, chiffres ou . _ @ -.',
  'operatorError.self': 'Vous ne pouvez pas changer votre propre rôle ni vous désactiver.',
  'outcome.operator-added': 'Opérateur ajouté',
  'outcome.operator-role-changed': 'Rôle d’opérateur changé',
  'outcome.operator-password-reset': 'Mot de passe d’opérateur renouvelé',
  'outcome.operator-disabled': 'Opérateur désactivé',
  'meter.lockedUntil':
    'Ce partage a été refusé parce que le compte ESPM du client est verrouillé (trop de partages refusés), jusqu’au {until}.',
  'meter.unlockAction': 'Déverrouiller le compte',
  'meter.unlockAsk': 'Un opérateur peut le déverrouiller.',
  'meter.lockoutOver':
    'Le compte du client n’est plus verrouillé : pour que ce compteur soit accepté, le client doit le partager de nouveau dans Portfolio Manager.',
} as const;

export const operatorsEn: Record<keyof typeof operatorsFr, string> = {
  'nav.operators': 'Operators',
  'signin.busy': 'Too many sign-ins at the same time. Try again in a moment.',
  'error.forbiddenAdmin': 'Only an administrator can manage operators.',
  'role.admin': 'Administrator',
  'operators.title': 'Console operators',
  'operators.intro':
    'Viewers read, operators act on shares, administrators also manage operators. Every change is written to the journal with who made it.',
  'operators.username': 'Username',
  'operators.name': 'Display name',
  'operators.role': 'Role',
  'operators.state': 'State',
  'operators.active': 'Active',
  'operators.disabled': 'Disabled',
  'operators.updated': 'Changed',
  'operators.actions': 'Actions',
  'operators.changeRole': 'Change role',
  'operators.resetPassword': 'New password',
  'operators.disable': 'Disable',
  'operators.add': 'Add an operator',
  'operators.addSubmit': 'Add',
  'operators.you': '(you)',
  'operators.passwordTitle': 'Password of {username}',
  'operators.passwordOnce':
    'This password is shown only once: give it to {username} by a safe means. It cannot be seen again after this page.',
  'operators.back': 'Back to operators',
  'confirm.disableOperator': 'Disable operator {username}?',
  'confirm.disableOperatorHelp':
    'Their sessions end at once and they can no longer sign in. A new password enables them again.',
  'confirm.resetPassword': 'Give {username} a new password?',
  'confirm.resetPasswordHelp':
    'The old password stops working and their sessions end; a disabled operator is enabled again. The new password is shown only once.',
  'flash.operatorRoleChanged': 'Role of {username}: {role}.',
  'flash.operatorDisabled': 'Operator {username} disabled; their sessions have ended.',
  'operatorError.exists': 'This operator already exists: change their role or give them a new password.',
  'operatorError.invalid': 'Invalid username: 2 to 64 lowercase letters, digits or . _ @ -.',
  'operatorError.self': 'You cannot change your own role or disable yourself.',
  'outcome.operator-added': 'Operator added',
  'outcome.operator-role-changed': 'Operator role changed',
  'outcome.operator-password-reset': 'Operator password renewed',
  'outcome.operator-disabled': 'Operator disabled',
  'meter.lockedUntil':
    'This share was rejected because the customer’s ESPM account is locked out (too many rejected shares), until {until}.',
  'meter.unlockAction': 'Unlock the account',
  'meter.unlockAsk': 'An operator can unlock it.',
  'meter.lockoutOver':
    'The customer’s account is no longer locked out: for this meter to be accepted, the customer must share it again in Portfolio Manager.',
};
