// The importer's reasons in the operator's language: English for the command line, the HTTP answer
// and the log, French or English on the console. Columns, values and numbers are kept as the file has
// them; only the words around them are translated.
import type { IdentifierFormat, ImportProblem, RowProblem } from '../vocabulary/billing-reasons.ts';

export type ReasonLanguage = 'fr' | 'en';

/** A row's problems as one sentence, joined as each language punctuates a list of clauses. */
export function rowReasonText(lang: ReasonLanguage, problems: readonly RowProblem[]): string {
  return problems.map((p) => rowProblemText(lang, p)).join(lang === 'fr' ? ' ; ' : '; ');
}

/** A value as the file gave it, quoted, so that spaces and punctuation in it stay visible. */
const q = (value: string) => JSON.stringify(value);

export function rowProblemText(lang: ReasonLanguage, p: RowProblem): string {
  const fr = lang === 'fr';
  switch (p.code) {
    case 'not-text': {
      const given = fr
        ? { object: 'objet', number: 'nombre', boolean: 'booléen' }[p.given]
        : { object: 'an object', number: 'a number', boolean: 'a boolean' }[p.given];
      return fr
        ? `${p.column} doit être donné comme texte, pas comme ${given}`
        : `${p.column} must be given as text, not ${given}`;
    }
    case 'missing':
      return fr ? `${p.column} manque` : `${p.column} is missing`;
    case 'formula':
      return fr
        ? `${p.column} ${q(p.value)} ressemble à une formule de tableur`
        : `${p.column} ${q(p.value)} looks like a spreadsheet formula`;
    case 'bad-identifier':
      return `${p.column} ${q(p.value)} ${identifierFormatText(lang, p.format)}`;
    case 'control-character':
      return fr
        ? `${p.column} contient un caractère de contrôle ou de direction du texte`
        : `${p.column} holds a control or text-direction character`;
    case 'too-long-text':
      return fr
        ? `${p.column} dépasse ${p.maxLength} caractères`
        : `${p.column} is longer than ${p.maxLength} characters`;
    case 'not-a-date':
      return fr
        ? `${p.column} ${q(p.value)} n’est pas une date écrite AAAA-MM-JJ`
        : `${p.column} ${q(p.value)} is not a date written YYYY-MM-DD`;
    case 'not-a-calendar-date':
      return fr
        ? `${p.column} ${p.value} n’est pas une date du calendrier`
        : `${p.column} ${p.value} is not a real calendar date`;
    case 'decimal-comma':
      return fr
        ? `${p.column} ${q(p.value)} contient une virgule ; les décimales s’écrivent avec un point`
        : `${p.column} ${q(p.value)} uses a comma; decimals use a point`;
    case 'not-a-number':
      return fr
        ? `${p.column} ${q(p.value)} n’est pas un nombre`
        : `${p.column} ${q(p.value)} is not a number`;
    case 'negative':
      return fr ? `${p.column} ${p.value} est négatif` : `${p.column} ${p.value} is negative`;
    case 'too-many-decimals':
      return fr
        ? `${p.column} ${p.value} a plus de ${p.scale} décimales`
        : `${p.column} ${p.value} has more than ${p.scale} decimals`;
    case 'too-large':
      return fr ? `${p.column} ${q(p.value)} est trop grand` : `${p.column} ${q(p.value)} is too large`;
    case 'above':
      return fr ? `${p.column} ${p.value} dépasse ${p.max}` : `${p.column} ${p.value} is above ${p.max}`;
    case 'not-a-flag':
      return fr
        ? `${p.column} ${q(p.value)} n’est ni true ni false`
        : `${p.column} ${q(p.value)} is neither true nor false`;
    case 'not-a-status':
      return fr
        ? `${p.column} ${q(p.value)} n’est ni billed ni cancelled`
        : `${p.column} ${q(p.value)} is neither billed nor cancelled`;
    case 'end-before-start':
      return fr
        ? `period_end ${p.periodEnd} précède period_start ${p.periodStart}`
        : `period_end ${p.periodEnd} is before period_start ${p.periodStart}`;
    case 'line-too-long':
      return fr
        ? `la ligne dépasse ${p.maxBytes} octets et n’a pas été lue`
        : `the line is longer than ${p.maxBytes} bytes and was not read`;
    case 'line-not-utf8':
      return fr
        ? 'la ligne contient des octets qui ne sont pas de l’UTF-8 valide'
        : 'the line contains bytes that are not valid UTF-8';
    case 'field-count':
      return fr
        ? `la ligne a ${p.fields} champs alors que l’en-tête en a ${p.headerFields}`
        : `the line has ${p.fields} fields where the header has ${p.headerFields}`;
    case 'not-an-object':
      return fr ? 'la ligne n’est pas un objet JSON' : 'the row is not a JSON object';
    case 'not-applied-by-same-file':
      return fr
        ? `non appliquée : le même fichier, importé avant (import ${p.importId}), n’a pas écrit cette période`
        : `not applied: the same file, imported before (import ${p.importId}), did not write this period`;
    case 'invoice-of-other-account':
      return fr
        ? `invoice_number ${p.invoiceNumber} est déjà enregistrée pour le compte ${p.accountNumber}`
        : `invoice_number ${p.invoiceNumber} is already recorded for account ${p.accountNumber}`;
    case 'invoice-of-other-date':
      return fr
        ? `invoice_number ${p.invoiceNumber} est déjà enregistrée avec invoice_date ${p.invoiceDate}`
        : `invoice_number ${p.invoiceNumber} is already recorded with invoice_date ${p.invoiceDate}`;
    case 'overlap': {
      const where = p.other.stored
        ? fr
          ? 'déjà enregistrée'
          : 'already stored'
        : fr
          ? `${p.other.position === 'line' ? 'ligne' : 'indice'} ${p.other.at}`
          : `${p.other.position === 'line' ? 'on line' : 'at index'} ${p.other.at}`;
      return fr
        ? `la période ${p.periodStart}..${p.periodEnd} chevauche de ${p.days} jours la période facturée ` +
            `${p.otherStart}..${p.otherEnd} du compteur ${p.meterNumber} (${where})`
        : `period ${p.periodStart}..${p.periodEnd} overlaps the billed period ${p.otherStart}..${p.otherEnd} ` +
            `of meter ${p.meterNumber} (${where}) by ${p.days} days`;
    }
    case 'legacy-text':
      return p.text;
  }
}

function identifierFormatText(lang: ReasonLanguage, format: IdentifierFormat): string {
  const fr = lang === 'fr';
  switch (format) {
    case '10-11-digits':
      return fr ? 'n’a pas 10 ou 11 chiffres' : 'is not 10 or 11 digits';
    case '12-digits':
      return fr ? 'n’a pas 12 chiffres' : 'is not 12 digits';
    case '7-18-letters-digits':
      return fr ? 'n’a pas 7 à 18 lettres ou chiffres' : 'is not 7 to 18 letters or digits';
    case '1-40-letters-digits-hyphens':
      return fr ? 'n’a pas 1 à 40 lettres, chiffres ou tirets' : 'is not 1 to 40 letters, digits or hyphens';
  }
}

export function importProblemText(lang: ReasonLanguage, p: ImportProblem): string {
  const fr = lang === 'fr';
  const stopped = fr ? ' ; la suite du fichier n’a pas pu être lue' : '; the file could not be read further';
  switch (p.code) {
    case 'empty':
      return fr ? 'le fichier est vide' : 'the file is empty';
    case 'header-too-long':
      return fr
        ? `la ligne ${p.line}, l’en-tête, dépasse ${p.maxBytes} octets`
        : `line ${p.line}, the header, is longer than ${p.maxBytes} bytes`;
    case 'nul-bytes':
      return fr
        ? 'le fichier n’est pas du texte UTF-8 (il contient des octets NUL : UTF-16 ou binaire ?)'
        : 'the file is not UTF-8 text (it contains NUL bytes: UTF-16 or binary?)';
    case 'header-not-utf8':
      return fr
        ? 'l’en-tête n’est pas de l’UTF-8 valide ; enregistrez le fichier en UTF-8'
        : 'the header is not valid UTF-8; save the file as UTF-8';
    case 'duplicate-column':
      return fr
        ? `l’en-tête contient deux fois la colonne ${p.column}`
        : `the header has the column ${p.column} twice`;
    case 'missing-columns': {
      const separator =
        p.separator === null
          ? ''
          : p.separator === 'tab'
            ? fr
              ? ' (les colonnes semblent séparées par des tabulations ; utilisez des virgules)'
              : ' (the columns seem separated by tabs; use commas)'
            : fr
              ? ` (les colonnes semblent séparées par "${p.separator}" ; utilisez des virgules)`
              : ` (the columns seem separated by "${p.separator}"; use commas)`;
      const columns = p.columns.join(', ');
      return fr
        ? `il manque à l’en-tête la ou les colonnes requises ${columns}${separator}`
        : `the header lacks the required column${p.columns.length > 1 ? 's' : ''} ${columns}${separator}`;
    }
    case 'unclosed-quote':
      return fr
        ? `ligne ${p.line} : un champ entre guillemets ouvert sur cette ligne n’est jamais fermé${stopped}`
        : `line ${p.line}: a quoted field opened on this line is never closed${stopped}`;
    case 'quoted-field-too-long':
      return fr
        ? `ligne ${p.line} : un champ entre guillemets dépasse ${p.maxBytes} octets${stopped}`
        : `line ${p.line}: a quoted field runs over more than ${p.maxBytes} bytes${stopped}`;
    case 'unparsable-line':
      return fr ? `ligne ${p.line} : ${p.message}${stopped}` : `line ${p.line}: ${p.message}${stopped}`;
    case 'unreadable':
      return fr
        ? `le fichier ne peut pas être lu : ${p.message}`
        : p.fileName === null
          ? `the file cannot be read: ${p.message}`
          : `cannot read ${p.fileName}: ${p.message}`;
    case 'internal':
      return p.message;
    case 'legacy-text':
      return p.text;
  }
}
