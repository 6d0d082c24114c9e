// The gateway log's reads: newest first by keyset, filtered by service and status.
import { sql } from 'kysely';
import { SERVICES } from '../../log/gateway-event.ts';
import type { Db } from './paging.ts';
import { PAGE_SIZE } from './paging.ts';

export async function listLog(
  db: Db,
  options: {
    service?: string | undefined;
    status?: 'done' | 'error' | undefined;
    after?: number | undefined;
    before?: number | undefined;
  },
) {
  const backwards = options.before !== undefined && options.after === undefined;
  let q = db.selectFrom('gateway_log').selectAll();
  if (options.service) q = q.where('service', '=', options.service);
  if (options.status) q = q.where('status', '=', options.status);
  if (backwards) q = q.where('id', '>', options.before!).orderBy('id', 'asc');
  else {
    if (options.after !== undefined) q = q.where('id', '<', options.after);
    q = q.orderBy('id', 'desc');
  }
  const fetched = await q.limit(PAGE_SIZE + 1).execute();
  const more = fetched.length > PAGE_SIZE;
  const rows = fetched.slice(0, PAGE_SIZE);
  if (backwards) rows.reverse();
  const hasPrev = backwards ? more : options.after !== undefined;
  const hasNext = backwards ? true : more;
  return {
    rows,
    prev: hasPrev && rows[0] ? String(rows[0].id) : undefined,
    next: hasNext && rows.length ? String(rows[rows.length - 1]!.id) : undefined,
  };
}

/** Services that wrote to the log, for the filter: the known ones and any other found. */
export async function logServices(db: Db): Promise<string[]> {
  const rows = await sql<{ service: string }>`
    with recursive s(service) as (
      (select service from gateway_log order by service limit 1)
      union all
      select (select g.service from gateway_log g where g.service > s.service order by g.service limit 1)
      from s where s.service is not null
    )
    select service from s where service is not null`.execute(db);
  const found = rows.rows.map((r) => r.service);
  return [...new Set<string>([...SERVICES, ...found])];
}
