// The schemas of the console's URL parameters, checked by Fastify before a handler runs: a value out of
// range, of the wrong type, repeated or holding a control character is answered 404 (a path naming
// nothing) or 400 (a query) and never reaches a query. Integers are bounded to the column they are
// compared with: PostgreSQL's int4 for ids, and for int8 ids the integers a JS number holds exactly
// (2^63 would reach the query as a double beyond int8).
export const INT4_MAX = 2_147_483_647;
/** 2^53 − 1: within int8, and exact as a JS number. */
export const INT8_SAFE_MAX = Number.MAX_SAFE_INTEGER;

/**
 * A pattern for the decimal integers 1 to max as a URL writes them: no sign, no leading zero, no
 * exponent. A string pattern, not `type: 'integer'`: Ajv coerces "1e400" and "Infinity" to Infinity
 * and skips minimum and maximum for a number that is not finite.
 */
export function upTo(max: number): string {
  const digits = String(max);
  const alternatives = digits.length > 1 ? [`[1-9][0-9]{0,${digits.length - 2}}`] : [];
  for (let i = 0; i < digits.length; i++) {
    const lowest = i === 0 ? 1 : 0;
    const d = Number(digits[i]);
    const rest = digits.length - i - 1;
    if (d > lowest)
      alternatives.push(`${digits.slice(0, i)}[${lowest}-${d - 1}]${rest ? `[0-9]{${rest}}` : ''}`);
  }
  alternatives.push(digits);
  return `^(?:${alternatives.join('|')})$`;
}

/** An int4 id (meter links, billing imports). */
export const int4Id = { type: 'string', pattern: upTo(INT4_MAX) } as const;
/** An int8 id (gateway log lines). */
export const int8Id = { type: 'string', pattern: upTo(INT8_SAFE_MAX) } as const;
/** Where a list page starts, for "51–100 of 2,345" only (paging itself is by id). */
export const listOffset = { type: 'string', pattern: `^0$|${upTo(10_000_000)}` } as const;

/** A number the schemas above let through. */
export function int(v: string): number;
export function int(v: string | undefined): number | undefined;
export function int(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

/** Text typed by an operator: no control characters (NUL included), bounded. */
export function text(maxLength: number) {
  return { type: 'string', maxLength, pattern: '^[^\\u0000-\\u001f\\u007f]*$' } as const;
}

/** One of the values, or empty (a filter form's "all"). */
export function choice<T extends string>(values: readonly T[]) {
  return { type: 'string', enum: ['', ...values] } as const;
}

/** A query string's schema: these parameters, each once at most; any other is ignored. */
export function query(properties: Record<string, object>) {
  return { type: 'object', properties } as const;
}

/** A path's parameters, all required. */
export function params(properties: Record<string, object>) {
  return { type: 'object', properties, required: Object.keys(properties) } as const;
}
