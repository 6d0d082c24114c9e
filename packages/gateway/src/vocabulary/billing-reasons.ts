// Why the billing importer refused a row or a whole file, as values with their parameters: stored,
// reported and rendered in French or English (billing/reason-text.ts) without being parsed back.
// Columns and values are the file's own, kept as given (cut to 40 characters) so the operator can
// search the file for them.

/** The formats an identifier must have, named by what they require. */
export type IdentifierFormat =
  '10-11-digits' | '12-digits' | '7-18-letters-digits' | '1-40-letters-digits-hyphens';

/** One problem of a row; a row may have several. */
export type RowProblem =
  | { code: 'not-text'; column: string; given: 'object' | 'number' | 'boolean' }
  | { code: 'missing'; column: string }
  | { code: 'formula'; column: string; value: string }
  | { code: 'bad-identifier'; column: string; value: string; format: IdentifierFormat }
  | { code: 'control-character'; column: string }
  | { code: 'too-long-text'; column: string; maxLength: number }
  | { code: 'not-a-date'; column: string; value: string }
  | { code: 'not-a-calendar-date'; column: string; value: string }
  | { code: 'decimal-comma'; column: string; value: string }
  | { code: 'not-a-number'; column: string; value: string }
  | { code: 'negative'; column: string; value: string }
  | { code: 'too-many-decimals'; column: string; value: string; scale: number }
  | { code: 'too-large'; column: string; value: string }
  | { code: 'above'; column: string; value: string; max: number }
  | { code: 'not-a-flag'; column: string; value: string }
  | { code: 'not-a-status'; column: string; value: string }
  | { code: 'end-before-start'; periodStart: string; periodEnd: string }
  | { code: 'line-too-long'; maxBytes: number }
  | { code: 'line-not-utf8' }
  | { code: 'field-count'; fields: number; headerFields: number }
  | { code: 'not-an-object' }
  | { code: 'not-applied-by-same-file'; importId: number }
  | { code: 'invoice-of-other-account'; invoiceNumber: string; accountNumber: string }
  | { code: 'invoice-of-other-date'; invoiceNumber: string; invoiceDate: string }
  | {
      code: 'overlap';
      periodStart: string;
      periodEnd: string;
      otherStart: string;
      otherEnd: string;
      meterNumber: string;
      /** Where the other period comes from: the store, or a line or pushed index of the same import. */
      other: { stored: true } | { stored: false; position: 'line' | 'index'; at: number };
      days: number;
    }
  /** A reason stored as an English sentence, before reasons were stored as values. */
  | { code: 'legacy-text'; text: string };

/** Why an import could not use its input at all. */
export type ImportProblem =
  | { code: 'empty' }
  | { code: 'header-too-long'; line: number; maxBytes: number }
  | { code: 'nul-bytes' }
  | { code: 'header-not-utf8' }
  | { code: 'duplicate-column'; column: string }
  | { code: 'missing-columns'; columns: string[]; separator: 'tab' | string | null }
  | { code: 'unclosed-quote'; line: number }
  | { code: 'quoted-field-too-long'; line: number; maxBytes: number }
  /** The CSV parser's own message, quoted as it came. */
  | { code: 'unparsable-line'; line: number; message: string }
  /** The system's message, quoted as it came. */
  | { code: 'unreadable'; fileName: string | null; message: string }
  | { code: 'internal'; message: string }
  /** A problem stored as an English sentence, before problems were stored as values. */
  | { code: 'legacy-text'; text: string };

/** The short code an import report and the log give for an import problem. */
export type ImportErrorCode =
  | 'unreadable'
  | 'empty'
  | 'not-text'
  | 'not-utf8'
  | 'missing-columns'
  | 'duplicate-column'
  | 'unparsable'
  | 'internal'
  | 'legacy';

export function importErrorCode(problem: ImportProblem): ImportErrorCode {
  switch (problem.code) {
    case 'empty':
    case 'missing-columns':
    case 'duplicate-column':
    case 'unreadable':
    case 'internal':
      return problem.code;
    case 'nul-bytes':
      return 'not-text';
    case 'header-not-utf8':
      return 'not-utf8';
    case 'header-too-long':
    case 'unclosed-quote':
    case 'quoted-field-too-long':
    case 'unparsable-line':
      return 'unparsable';
    case 'legacy-text':
      return 'legacy';
  }
}
