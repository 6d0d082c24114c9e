// The importer's stored reasons in the operator's language, read back from the values stored.
import { importProblemText, rowReasonText } from '../billing/reason-text.ts';
import { readImportProblem, readRowProblems } from '../billing/stored-reasons.ts';
import type { Lang } from './i18n/index.ts';

/** A rejected line's stored reason. */
export function rejectionText(lang: Lang, stored: string): string {
  return rowReasonText(lang, readRowProblems(stored));
}

/** Why a stored import could not use its file. */
export function importErrorText(lang: Lang, stored: string): string {
  return importProblemText(lang, readImportProblem(stored));
}
