// Reasons as the store keeps them: JSON of their values, read back without parsing any sentence. A row
// written before reasons were values holds an English sentence, read back as legacy text.
import type { ImportProblem, RowProblem } from '../vocabulary/billing-reasons.ts';

export function storedRowProblems(problems: readonly RowProblem[]): string {
  return JSON.stringify(problems);
}

export function readRowProblems(stored: string): RowProblem[] {
  return stored.startsWith('[')
    ? (JSON.parse(stored) as RowProblem[])
    : [{ code: 'legacy-text', text: stored }];
}

export function storedImportProblem(problem: ImportProblem): string {
  return JSON.stringify(problem);
}

export function readImportProblem(stored: string): ImportProblem {
  return stored.startsWith('{')
    ? (JSON.parse(stored) as ImportProblem)
    : { code: 'legacy-text', text: stored };
}
