// ESPM writes audit times as xs:dateTime in EST with an explicit offset; the simulator does the same.
const EST_OFFSET_MS = -5 * 3600 * 1000;

export function espmDateTime(d: Date): string {
  return new Date(d.getTime() + EST_OFFSET_MS).toISOString().replace('Z', '-05:00');
}

/** The calendar day in EST, as xs:date. */
export function espmDate(d: Date): string {
  return espmDateTime(d).slice(0, 10);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since the epoch for an xs:date, so periods can be compared as day numbers. */
export function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}
