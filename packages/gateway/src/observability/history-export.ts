// A meter's history as sent to ESPM, as CSV: one line per consumption entry the gateway holds for the
// link (or for every link of an ESPM meter, from the CLI), oldest period first. Used by the console
// (GET /compteurs/:id/historique.csv) and by `npm run gateway -- export-history <espm-meter-id>`.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export const HISTORY_COLUMNS = [
  'espm_meter_id',
  'period_start',
  'period_end',
  'volume_m3',
  'usage',
  'unit_of_measure',
  'estimated',
  'rng_percent',
  'espm_entry_id',
  'state',
  'sent_at',
  'updated_at',
] as const;

/** What a consumption entry's history shows, here and on the console's meter page. */
export const ENTRY_HISTORY = [
  'e.period_start',
  'e.period_end',
  'e.volume_m3',
  'e.usage',
  'e.unit_of_measure',
  'e.estimated',
  'e.rng_percent',
  'e.espm_entry_id',
  'e.state',
  'e.sent_at',
  'e.updated_at',
] as const;

/** Whether a customer ever shared the ESPM meter with the gateway (a link in any status). */
export async function isLinkedEspmMeter(db: Kysely<Database>, espmMeterId: string): Promise<boolean> {
  const link = await db
    .selectFrom('meter_link')
    .select('id')
    .where('espm_meter_id', '=', espmMeterId)
    .limit(1)
    .executeTakeFirst();
  return link !== undefined;
}

export async function historyCsv(
  db: Kysely<Database>,
  which: { linkId: number } | { espmMeterId: string },
): Promise<{ csv: string; rows: number }> {
  let q = db
    .selectFrom('consumption_entry as e')
    .innerJoin('meter_link as l', 'l.id', 'e.link_id')
    .select(['l.espm_meter_id', ...ENTRY_HISTORY])
    .orderBy('l.id')
    .orderBy('e.period_start')
    .orderBy('e.id');
  q =
    'linkId' in which
      ? q.where('l.id', '=', which.linkId)
      : q.where('l.espm_meter_id', '=', which.espmMeterId);
  const rows = await q.execute();
  const lines = [HISTORY_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.espm_meter_id,
        r.period_start,
        r.period_end,
        r.volume_m3,
        r.usage,
        r.unit_of_measure,
        r.estimated ? 'true' : 'false',
        r.rng_percent ?? '',
        r.espm_entry_id ?? '',
        r.state,
        moment(r.sent_at),
        moment(r.updated_at),
      ]
        .map(cell)
        .join(','),
    );
  }
  return { csv: lines.join('\r\n') + '\r\n', rows: rows.length };
}

function moment(d: Date | string | null): string {
  return d === null ? '' : new Date(d).toISOString();
}

/**
 * RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with a quote. Only a
 * plain number keeps its minus: -2+3+cmd|' /C calc'!A0 starts with a digit too.
 */
function cell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
