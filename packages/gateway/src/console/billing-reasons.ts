// The billing importer writes its reasons in English, for the command line, the HTTP answer and the
// journal; the console shows them in the operator's language. Column names, values and numbers are
// kept as the file has them (the operator searches the file for them); the words around are translated.
import type { Lang } from './i18n/index.ts';

/** A value as the importer quotes it (JSON string) or writes it bare (a date, a number, a word). */
const V = String.raw`("(?:[^"\\]|\\.)*"|[^\s;]+)`;
const C = String.raw`([a-z_0-9]+)`;

const FRENCH: Array<[RegExp, string]> = [
  // Problems of a whole file.
  [/^the file is empty$/, 'le fichier est vide'],
  [/^line (\d+), the header, is longer than (\d+) bytes$/, 'la ligne $1, l’en-tête, dépasse $2 octets'],
  [
    /^the file is not UTF-8 text \(it contains NUL bytes: UTF-16 or binary\?\)$/,
    'le fichier n’est pas du texte UTF-8 (il contient des octets NUL : UTF-16 ou binaire ?)',
  ],
  [
    /^the header is not valid UTF-8; save the file as UTF-8$/,
    'l’en-tête n’est pas de l’UTF-8 valide ; enregistrez le fichier en UTF-8',
  ],
  [/^the header has the column (\S+) twice$/, 'l’en-tête contient deux fois la colonne $1'],
  [
    /^the header lacks the required columns? (.+?)(?= \(|$)/,
    'il manque à l’en-tête la ou les colonnes requises $1',
  ],
  [
    / \(the columns seem separated by tabs; use commas\)$/,
    ' (les colonnes semblent séparées par des tabulations ; utilisez des virgules)',
  ],
  [
    / \(the columns seem separated by ("[^"]*"); use commas\)$/,
    ' (les colonnes semblent séparées par $1 ; utilisez des virgules)',
  ],
  [
    /^line (\d+): a quoted field opened on this line is never closed; the file could not be read further$/,
    'ligne $1 : un champ entre guillemets ouvert sur cette ligne n’est jamais fermé ; la suite du fichier n’a pas pu être lue',
  ],
  [
    /^line (\d+): a quoted field runs over more than (\d+) bytes; the file could not be read further$/,
    'ligne $1 : un champ entre guillemets dépasse $2 octets ; la suite du fichier n’a pas pu être lue',
  ],
  [
    /^line (\d+): (.*); the file could not be read further$/,
    'ligne $1 : $2 ; la suite du fichier n’a pas pu être lue',
  ],
  [/^(?:the file cannot be read|cannot read (.+?)): (.*)$/, 'le fichier ne peut pas être lu : $2'],
  // Problems of one line.
  [
    /^not applied: the same file, imported before \(import (\d+)\), did not write this period$/,
    'non appliquée : le même fichier, importé avant (import $1), n’a pas écrit cette période',
  ],
  [/^the line is longer than (\d+) bytes and was not read$/, 'la ligne dépasse $1 octets et n’a pas été lue'],
  [
    /^the line contains bytes that are not valid UTF-8$/,
    'la ligne contient des octets qui ne sont pas de l’UTF-8 valide',
  ],
  [
    /^the line has (\d+) fields where the header has (\d+)$/,
    'la ligne a $1 champs alors que l’en-tête en a $2',
  ],
  [
    /invoice_number (\d+) is already recorded for account (\S+)/,
    'invoice_number $1 est déjà enregistrée pour le compte $2',
  ],
  [
    /invoice_number (\d+) is already recorded with invoice_date (\S+)/,
    'invoice_number $1 est déjà enregistrée avec invoice_date $2',
  ],
  [
    /period (\S+)\.\.(\S+) overlaps the billed period (\S+)\.\.(\S+) of meter (\S+) \((.+?)\) by (\d+) days/,
    'la période $1..$2 chevauche de $7 jours la période facturée $3..$4 du compteur $5 ($6)',
  ],
  [/\(already stored\)/, '(déjà enregistrée)'],
  [/\(on line (\d+)\)/, '(ligne $1)'],
  [/\(at index (\d+)\)/, '(indice $1)'],
  [
    new RegExp(`${C} must be given as text, not an object`, 'g'),
    '$1 doit être donné comme texte, pas comme objet',
  ],
  [
    new RegExp(`${C} must be given as text, not a number`, 'g'),
    '$1 doit être donné comme texte, pas comme nombre',
  ],
  [
    new RegExp(`${C} must be given as text, not a boolean`, 'g'),
    '$1 doit être donné comme texte, pas comme booléen',
  ],
  [new RegExp(`${C} is missing`, 'g'), '$1 manque'],
  [new RegExp(`${C} ${V} looks like a spreadsheet formula`, 'g'), '$1 $2 ressemble à une formule de tableur'],
  [new RegExp(`${C} ${V} is not 10 or 11 digits`, 'g'), '$1 $2 n’a pas 10 ou 11 chiffres'],
  [new RegExp(`${C} ${V} is not 12 digits`, 'g'), '$1 $2 n’a pas 12 chiffres'],
  [new RegExp(`${C} ${V} is not 7 to 18 letters or digits`, 'g'), '$1 $2 n’a pas 7 à 18 lettres ou chiffres'],
  [
    new RegExp(`${C} ${V} is not a date written YYYY-MM-DD`, 'g'),
    '$1 $2 n’est pas une date écrite AAAA-MM-JJ',
  ],
  [new RegExp(`${C} ${V} is not a real calendar date`, 'g'), '$1 $2 n’est pas une date du calendrier'],
  [
    new RegExp(`${C} ${V} uses a comma; decimals use a point`, 'g'),
    '$1 $2 contient une virgule ; les décimales s’écrivent avec un point',
  ],
  [new RegExp(`${C} ${V} is not a number`, 'g'), '$1 $2 n’est pas un nombre'],
  [new RegExp(`${C} ${V} is negative`, 'g'), '$1 $2 est négatif'],
  [new RegExp(`${C} ${V} has more than (\\d+) decimals`, 'g'), '$1 $2 a plus de $3 décimales'],
  [new RegExp(`${C} ${V} is too large`, 'g'), '$1 $2 est trop grand'],
  [new RegExp(`${C} ${V} is above (\\S+)`, 'g'), '$1 $2 dépasse $3'],
  [new RegExp(`${C} ${V} is neither true nor false`, 'g'), '$1 $2 n’est ni true ni false'],
  [new RegExp(`status ${V} is neither billed nor cancelled`, 'g'), 'status $1 n’est ni billed ni cancelled'],
  [/period_end (\S+) is before period_start (\S+)/g, 'period_end $1 précède period_start $2'],
  // A line's problems are joined by "; ", which French spaces on both sides.
  [/(?<! ); /g, ' ; '],
];

/** A reason from the importer, in the operator's language. */
export function billingReasonText(lang: Lang, reason: string): string {
  if (lang === 'en') return reason;
  return FRENCH.reduce((text, [pattern, french]) => text.replace(pattern, french), reason);
}
