// The trends page's reads, by day (the last 30) or by week (the last 26), in Montréal's time: each
// reads a bounded window through an index on time (gateway_log_by_time, consumption_entry_by_update)
// and counts in the database; nothing is kept.
import type { RejectionRule, ServiceName } from '../../vocabulary/gateway-events.ts';
import { sql } from 'kysely';
import { TIME_ZONE } from '../format.ts';
import type { Db } from './paging.ts';

export type TrendSpan = 'days' | 'weeks';

const WINDOW: Record<TrendSpan, { unit: 'day' | 'week'; count: number }> = {
  days: { unit: 'day', count: 30 },
  weeks: { unit: 'week', count: 26 },
};

interface Counted<K extends string = string> {
  bucket: string;
  key: K;
  n: number;
}

/** The buckets of the window ending today, oldest first, each as its first day. */
export function bucketsOf(span: TrendSpan, today: string): string[] {
  const { unit, count } = WINDOW[span];
  const end = new Date(`${today}T00:00:00Z`);
  if (unit === 'week') end.setUTCDate(end.getUTCDate() - ((end.getUTCDay() + 6) % 7)); // Monday
  const step = unit === 'week' ? 7 : 1;
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(end);
    d.setUTCDate(d.getUTCDate() - step * (count - 1 - i));
    return d.toISOString().slice(0, 10);
  });
}

/** Values by key and bucket, zero where nothing was counted. */
function byKey<K extends string>(rows: Counted<K>[], buckets: string[]): Map<K, number[]> {
  const index = new Map(buckets.map((b, i) => [b, i]));
  const out = new Map<K, number[]>();
  for (const r of rows) {
    const i = index.get(r.bucket);
    if (i === undefined) continue;
    const values = out.get(r.key) ?? buckets.map(() => 0);
    values[i]! += Number(r.n);
    out.set(r.key, values);
  }
  return out;
}

export async function trends(db: Db, span: TrendSpan, today: string) {
  const { unit } = WINDOW[span];
  const buckets = bucketsOf(span, today);
  const start = sql<Date>`(${buckets[0]}::date)::timestamp at time zone ${TIME_ZONE}`;
  const bucket = (column: string) =>
    sql<string>`to_char(date_trunc(${unit}, ${sql.ref(column)} at time zone ${TIME_ZONE}), 'YYYY-MM-DD')`;
  const [shares, sent, errors, delays, pending] = await Promise.all([
    // Keyed by the rejection's rule as its event holds it (log/gateway-event.ts).
    sql<Counted<'accepted' | RejectionRule>>`
      select ${bucket('at')} as bucket,
        case when outcome = 'accepted' then 'accepted' else event->>'rule' end as key,
        count(*)::integer as n from gateway_log
      where at >= ${start} and service = 'MeterConnectionManager'
        and (outcome = 'accepted' or outcome like 'rejected:%')
      group by 1, 2`.execute(db),
    sql<Counted>`
      select ${bucket('at')} as bucket, 'sent' as key,
        sum(coalesce((event->>'created')::integer, 0) + coalesce((event->>'updated')::integer, 0))::integer as n
      from gateway_log where at >= ${start} and service = 'ConsumptionUpdater' and outcome = 'sent'
      group by 1`.execute(db),
    sql<Counted<ServiceName>>`
      select ${bucket('at')} as bucket, service as key, count(*)::integer as n from gateway_log
      where at >= ${start} and status = 'error' group by 1, 2`.execute(db),
    // A period's time from its billing import (the row written) to its entry in ESPM (written or updated).
    sql<{ bucket: string; median: number; slowest: number }>`
      select ${bucket('e.updated_at')} as bucket,
        percentile_cont(0.5) within group (order by extract(epoch from e.updated_at - p.updated_at)) / 3600 as median,
        max(extract(epoch from e.updated_at - p.updated_at)) / 3600 as slowest
      from consumption_entry e
      join billing_period p on p.meter_number = e.meter_number and p.period_start = e.period_start
      where e.updated_at >= ${start} and e.state = 'sent' and e.updated_at >= p.updated_at
      group by 1`.execute(db),
    // The oldest request still waiting at the end of each bucket. A bucket ends where the next begins,
    // so only a request pending now or decided in a later bucket than it came in can be waiting at an
    // end: the few that crossed a boundary, not every request of the window.
    sql<{ bucket: string; hours: number | null }>`
      with candidates as materialized (
        select received_at, case when status = 'pending' then null else decided_at end as decided_at
        from meter_link
        where status = 'pending' or (decided_at >= ${start}
          and date_trunc(${unit}, decided_at at time zone ${TIME_ZONE})
            > date_trunc(${unit}, received_at at time zone ${TIME_ZONE}))
      ), ends as (
        select to_char(b, 'YYYY-MM-DD') as bucket,
          least((b + ${`1 ${unit}`}::interval)::timestamp at time zone ${TIME_ZONE}, now()) as at
        from generate_series(${buckets[0]}::date, ${buckets[buckets.length - 1]}::date, ${`1 ${unit}`}::interval) b
      )
      select ends.bucket,
        extract(epoch from ends.at - (select min(c.received_at) from candidates c
          where c.received_at < ends.at and (c.decided_at is null or c.decided_at > ends.at))) / 3600 as hours
      from ends`.execute(db),
  ]);
  const delayAt = new Map(delays.rows.map((r) => [r.bucket, r]));
  const pendingAt = new Map(pending.rows.map((r) => [r.bucket, r.hours]));
  return {
    span,
    buckets,
    shares: byKey(shares.rows, buckets),
    sent: byKey(sent.rows, buckets).get('sent') ?? buckets.map(() => 0),
    errors: byKey(errors.rows, buckets),
    delayMedianHours: buckets.map((b) => Number(delayAt.get(b)?.median ?? 0)),
    delaySlowestHours: buckets.map((b) => Number(delayAt.get(b)?.slowest ?? 0)),
    oldestPendingHours: buckets.map((b) => Math.max(0, Number(pendingAt.get(b) ?? 0))),
  };
}

export type Trends = Awaited<ReturnType<typeof trends>>;
