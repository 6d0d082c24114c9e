// ESPM writes audit and notification times as xs:dateTime in US Eastern time with that day's offset:
// EPA's examples show -05:00 in December and -04:00 from April to August, to the second.
const EASTERN = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  timeZoneName: 'longOffset',
});

function easternOffset(d: Date): { minutes: number; text: string } {
  const name = EASTERN.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return { minutes: -300, text: '-05:00' };
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  return { minutes, text: `${m[1]}${m[2]}:${m[3]}` };
}

export function espmDateTime(d: Date): string {
  const offset = easternOffset(d);
  return new Date(d.getTime() + offset.minutes * 60_000).toISOString().slice(0, 19) + offset.text;
}

/** The calendar day in US Eastern time, as xs:date. */
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
