// The gateway log's reads: newest first by keyset, filtered by service, status, meter, account, text
// and dates.
import type { ServiceName } from '../../vocabulary/gateway-events.ts';
import { sql } from 'kysely';
import { SERVICES } from '../../log/gateway-event.ts';
import { logText, MIN_SUBSTRING, substringPattern } from '../../store/search-text.ts';
import { TIME_ZONE } from '../format.ts';
import type { Db } from './paging.ts';
import { keysetPage, normaliseNumber, PAGE_SIZE } from './paging.ts';

/** How many of a meter's or an account's shares the journal looks for (their ESPM meters). */
const SUBJECTS = 500;

export interface LogFilter {
  service?: ServiceName | undefined;
  status?: 'done' | 'error' | undefined;
  /** An ESPM meter id or a billing meter number: the lines about its ESPM meters. */
  meter?: string | undefined;
  /** An ESPM account id or a billing account number: the lines about it and its shares' ESPM meters. */
  account?: string | undefined;
  /** Part of a line's subject, result, details or operator. */
  text?: string | undefined;
  /** Days in Montréal's time (YYYY-MM-DD), both included. */
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * The subjects a meter or an account stands for in the journal, whose lines name ESPM meters, ESPM
 * accounts and billing accounts (a lookup): the typed value itself, and the ESPM meters of the shares
 * that named it (by indexes on meter_link).
 */
async function subjectsOf(db: Db, filter: LogFilter): Promise<string[] | undefined> {
  if (!filter.meter && !filter.account) return undefined;
  const subjects = new Set<string>();
  let links = db.selectFrom('meter_link').select('espm_meter_id').distinct();
  if (filter.meter) {
    const typed = filter.meter.trim();
    subjects.add(typed);
    links = links.where((eb) =>
      eb.or([eb('meter_number', '=', normaliseNumber(typed).toUpperCase()), eb('espm_meter_id', '=', typed)]),
    );
  }
  if (filter.account) {
    const typed = filter.account.trim();
    subjects.add(typed).add(normaliseNumber(typed));
    links = links.where((eb) =>
      eb.or([eb('account_number', '=', normaliseNumber(typed)), eb('espm_account_id', '=', typed)]),
    );
  }
  for (const l of await links.limit(SUBJECTS).execute()) subjects.add(l.espm_meter_id);
  // A meter and an account together: the account's lines about that meter only.
  if (filter.meter && filter.account) subjects.delete(filter.account.trim());
  return [...subjects];
}

export async function listLog(
  db: Db,
  options: LogFilter & {
    after?: number | undefined;
    before?: number | undefined;
    limit?: number;
  },
) {
  const backwards = options.before !== undefined && options.after === undefined;
  let q = db.selectFrom('gateway_log').selectAll();
  if (options.service) q = q.where('service', '=', options.service);
  if (options.status) q = q.where('status', '=', options.status);
  const subjects = await subjectsOf(db, options);
  if (subjects) q = q.where('subject', 'in', subjects);
  const text = options.text?.trim();
  if (text) {
    q = q.where(
      text.length >= MIN_SUBSTRING
        ? sql<boolean>`${logText('gateway_log')} like ${substringPattern(text)}`
        : sql<boolean>`${logText('gateway_log')} = ${text.toLowerCase()}`,
    );
  }
  if (options.from)
    q = q.where('at', '>=', sql<Date>`(${options.from}::date)::timestamp at time zone ${TIME_ZONE}`);
  if (options.to)
    q = q.where('at', '<', sql<Date>`(${options.to}::date + 1)::timestamp at time zone ${TIME_ZONE}`);
  if (backwards) q = q.where('id', '>', options.before!).orderBy('id', 'asc');
  else {
    if (options.after !== undefined) q = q.where('id', '<', options.after);
    q = q.orderBy('id', 'desc');
  }
  const limit = options.limit ?? PAGE_SIZE;
  const fetched = await q.limit(limit + 1).execute();
  return keysetPage(fetched, { limit, backwards, after: options.after }, (r) => String(r.id));
}

/** Services that wrote to the log, for the filter: the known ones and any other found. */
export async function logServices(db: Db): Promise<ServiceName[]> {
  const rows = await sql<{ service: ServiceName }>`
    with recursive s(service) as (
      (select service from gateway_log order by service limit 1)
      union all
      select (select g.service from gateway_log g where g.service > s.service order by g.service limit 1)
      from s where s.service is not null
    )
    select service from s where service is not null`.execute(db);
  const found = rows.rows.map((r) => r.service);
  return [...new Set<ServiceName>([...SERVICES, ...found])];
}
