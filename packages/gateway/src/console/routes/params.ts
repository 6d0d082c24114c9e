// Parameters of console URLs.

/** A positive integer id from a query parameter, else undefined. */
export function cursor(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 ? n : undefined;
}
