// How values are shown: moments as YYYY-MM-DD HH:mm in Montréal time with the zone's name, whatever the
// server's zone; billing dates as they are stored; volumes with the language's separators.
import type { Lang } from './i18n/index.ts';

export const TIME_ZONE = 'America/Montreal';

/** A moment's date and time to the minute in Montréal, on a 24-hour clock (the CSV adds the seconds). */
export const MONTREAL_MINUTE: Intl.DateTimeFormatOptions = {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};

const parts = new Intl.DateTimeFormat('en-CA', MONTREAL_MINUTE);

// The zone's name in the operator's language, standard or daylight time as the moment falls: HNE/HAE, EST/EDT.
const zoneNames: Record<Lang, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-CA', { timeZone: TIME_ZONE, timeZoneName: 'short' }),
  en: new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, timeZoneName: 'short' }),
};

function asDate(value: Date | string | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function localTime(d: Date): string {
  const p: Record<string, string> = {};
  for (const { type, value: v } of parts.formatToParts(d)) p[type] = v;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** 2023-04-19 15:24 HAE (fr) or EDT (en) for 2023-04-19T19:24Z; '' for none. */
export function formatMoment(lang: Lang, value: Date | string | null | undefined): string {
  const d = asDate(value);
  if (!d) return '';
  const zone = zoneNames[lang].formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? TIME_ZONE;
  return `${localTime(d)} ${zone}`;
}

/** A billing date (YYYY-MM-DD text) or a moment's day in Montréal. */
export function formatDay(value: Date | string | null | undefined): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = asDate(value);
  return d ? localTime(d).slice(0, 10) : '';
}

const numberFormats: Record<Lang, Intl.NumberFormat> = {
  fr: new Intl.NumberFormat('fr-CA', { maximumFractionDigits: 3 }),
  en: new Intl.NumberFormat('en-CA', { maximumFractionDigits: 3 }),
};

/** A decimal from the store (text) or a count, with the language's separators. */
export function formatNumber(lang: Lang, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  return numberFormats[lang].format(n);
}
