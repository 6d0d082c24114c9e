// What the console reads from the store. Lists page by id (keyset), so a page costs the same at the
// start and at the end of 100,000 meter links; counts use indexes or are capped.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Lockout } from '../exchange/lockout.ts';
import { CURRENT_STATUSES } from '../exchange/link-state.ts';
import { lockedOutAccounts } from '../exchange/lockout.ts';
import { SERVICES } from '../log/gateway-event.ts';
import type { ConflictDetail, Database, LinkStatus } from '../store/schema.ts';
import { LINK_STATUSES } from '../store/schema.ts';

type Db = Kysely<Database>;

export const PAGE_SIZE = 50;
/** Counting the matches of a search stops here: "1–50 of more than 10,000". */
export const COUNT_CAP = 10_000;

export function isLinkStatus(v: unknown): v is LinkStatus {
  return typeof v === 'string' && (LINK_STATUSES as readonly string[]).includes(v);
}

/** A LIKE pattern matching text that starts with the value, wildcards in the value taken literally. */
export function prefixPattern(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A number typed with spaces or hyphens, as on an invoice, is searched without them. */
export function normaliseNumber(q: string): string {
  return q.replace(/[\s-]/g, '');
}

/** A positive integer id from a query parameter, else undefined. */
export function cursor(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 ? n : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Lockouts

export type { Lockout };

// ---------------------------------------------------------------------------------------------------
// Home

/**
 * The number of links per status, kept for a few seconds: counting 100,000 links on every page load
 * costs more than the page itself on the embedded store. The console forgets it after each action.
 */
export class StatusCountCache {
  private value: { at: number; counts: Promise<Record<LinkStatus, number>> } | undefined;
  constructor(private readonly ttlMs = 10_000) {}

  get(db: Db): Promise<Record<LinkStatus, number>> {
    const now = Date.now();
    if (!this.value || now - this.value.at >= this.ttlMs) {
      const counts = linkStatusCounts(db);
      this.value = { at: now, counts };
      counts.catch(() => (this.value = undefined));
    }
    return this.value.counts;
  }

  forget(): void {
    this.value = undefined;
  }
}

export async function linkStatusCounts(db: Db): Promise<Record<LinkStatus, number>> {
  const rows = await db
    .selectFrom('meter_link')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(LINK_STATUSES.map((s) => [s, 0])) as Record<LinkStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export interface ServiceActivity {
  service: string;
  at: Date | null;
  status: string | null;
  outcome: string | null;
  subject: string | null;
}

/** The latest log line of each service (one index lookup per service). */
export async function lastServiceActivity(db: Db): Promise<ServiceActivity[]> {
  return Promise.all(
    SERVICES.map(async (service) => {
      const row = await db
        .selectFrom('gateway_log')
        .select(['at', 'status', 'outcome', 'subject'])
        .where('service', '=', service)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return {
        service,
        at: row?.at ?? null,
        status: row?.status ?? null,
        outcome: row?.outcome ?? null,
        subject: row?.subject ?? null,
      };
    }),
  );
}

export async function homeData(db: Db, now: Date, cache: StatusCountCache) {
  const weekAgo = new Date(now.getTime() - 7 * 24 * 3600_000);
  const [connected, counts, lockouts, services, errors, conflicts, notices, lastImport, latest] =
    await Promise.all([
      db
        .selectFrom('espm_customer')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('connection_status', '=', 'connected')
        .executeTakeFirstOrThrow(),
      cache.get(db),
      lockedOutAccounts(db, now),
      lastServiceActivity(db),
      db
        .selectFrom('gateway_log')
        .selectAll()
        .where('status', '=', 'error')
        .where('at', '>', weekAgo)
        .orderBy('id', 'desc')
        .limit(8)
        .execute(),
      db
        .selectFrom('meter_link')
        .select(['id', 'espm_meter_id', 'espm_username', 'account_number', 'meter_number'])
        .where('status', '=', 'conflict')
        .orderBy('id', 'desc')
        .limit(8)
        .execute(),
      db
        .selectFrom('meter_link')
        .select(['id', 'espm_meter_id', 'espm_username', 'notice', 'status'])
        .where('notice', 'is not', null)
        .where('status', 'in', CURRENT_STATUSES)
        .orderBy('id', 'desc')
        .limit(8)
        .execute(),
      db.selectFrom('billing_import').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst(),
      db
        .selectFrom('billing_period')
        .select((eb) => eb.fn.max('period_end').as('end'))
        .where('status', '=', 'billed')
        .executeTakeFirst(),
    ]);
  return {
    connectedCustomers: Number(connected.n),
    statusCounts: counts,
    lockedOut: lockouts.length,
    services,
    recentErrors: errors,
    conflicts,
    notices,
    lastImport,
    latestPeriodEnd: (latest?.end as string | null | undefined) ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Contacts

/** What a contact search looks in: names, organization, e-mail and username, in lower case. */
const contactText = sql<string>`lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(c.organization, '') || ' ' || c.email || ' ' || c.username)`;

export async function listContacts(db: Db, options: { q: string; page: number }) {
  const q = options.q.trim();
  let base = db.selectFrom('espm_customer as c');
  if (q) {
    // lower() + like scans several times faster than ilike on each column.
    const like = containsPattern(q.toLowerCase());
    base = base.where((eb) => eb.or([eb(contactText, 'like', like), eb('c.account_id', '=', q)]));
  }
  const offset = (options.page - 1) * PAGE_SIZE;
  // One scan gives the page and the number of matches.
  const rows = await base
    .select([
      'c.account_id',
      'c.username',
      'c.first_name',
      'c.last_name',
      'c.email',
      'c.organization',
      'c.connection_status',
      'c.connected_at',
      'c.disconnected_at',
      sql<number>`count(*) over ()`.as('total'),
      (eb) =>
        eb
          .selectFrom('meter_link as l')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('l.espm_account_id', '=', 'c.account_id')
          .where('l.status', 'in', CURRENT_STATUSES)
          .as('meters'),
    ])
    .orderBy('c.connected_at', 'desc')
    .orderBy('c.account_id')
    .limit(PAGE_SIZE)
    .offset(offset)
    .execute();
  const total = rows.length
    ? Number(rows[0]!.total)
    : Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { rows, total, offset };
}

// ---------------------------------------------------------------------------------------------------
// Meter links

export interface LinkFilter {
  status?: LinkStatus | undefined;
  q?: string | undefined;
  /** An ESPM account id: that customer's links. */
  account?: string | undefined;
}

export interface LinkListOptions extends LinkFilter {
  after?: number | undefined;
  before?: number | undefined;
  limit?: number;
}

function linkFilter(db: Db, { status, q, account }: LinkFilter) {
  let query = db.selectFrom('meter_link');
  if (status) query = query.where('status', '=', status);
  if (account) query = query.where('espm_account_id', '=', account);
  const n = q ? normaliseNumber(q) : '';
  if (n) {
    const pattern = prefixPattern(n);
    const upper = prefixPattern(n.toUpperCase());
    query = query.where((eb) =>
      eb.or([
        eb('espm_meter_id', 'like', pattern),
        eb('account_number', 'like', pattern),
        eb('meter_number', 'like', upper),
        eb('invoice_number', 'like', pattern),
      ]),
    );
  }
  return query;
}

export async function listLinks(db: Db, options: LinkListOptions) {
  const limit = options.limit ?? PAGE_SIZE;
  const backwards = options.before !== undefined && options.after === undefined;
  let page = linkFilter(db, options).select([
    'id',
    'espm_meter_id',
    'espm_account_id',
    'espm_username',
    'account_number',
    'meter_number',
    'invoice_number',
    'status',
    'reason_code',
    'last_period_end',
    'notice',
  ]);
  if (backwards) page = page.where('id', '>', options.before!).orderBy('id', 'asc');
  else {
    if (options.after !== undefined) page = page.where('id', '<', options.after);
    page = page.orderBy('id', 'desc');
  }
  const fetched = await page.limit(limit + 1).execute();
  const more = fetched.length > limit;
  const rows = fetched.slice(0, limit);
  if (backwards) rows.reverse();
  const first = rows[0]?.id;
  const last = rows[rows.length - 1]?.id;
  // Going forward, a previous page exists when we came from one; going back, when more were found.
  const hasPrev = backwards ? more : options.after !== undefined;
  const hasNext = backwards ? true : more;
  return {
    rows,
    prev: hasPrev && first !== undefined ? String(first) : undefined,
    next: hasNext && last !== undefined ? String(last) : undefined,
  };
}

/** How many links match: exact per status (index-only), capped for a search. */
export async function countLinks(
  db: Db,
  filter: LinkFilter,
  statusCounts?: Record<LinkStatus, number>,
): Promise<{ total: number; capped: boolean }> {
  if ((!filter.q || !normaliseNumber(filter.q)) && !filter.account) {
    const counts = statusCounts ?? (await linkStatusCounts(db));
    const total = filter.status ? counts[filter.status] : Object.values(counts).reduce((a, b) => a + b, 0);
    return { total, capped: false };
  }
  const sub = linkFilter(db, filter)
    .select(sql<number>`1`.as('one'))
    .limit(COUNT_CAP + 1)
    .as('m');
  const r = await db
    .selectFrom(sub)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(r.n);
  return n > COUNT_CAP ? { total: COUNT_CAP, capped: true } : { total: n, capped: false };
}

export async function meterPageData(db: Db, linkId: number) {
  const link = await db.selectFrom('meter_link').selectAll().where('id', '=', linkId).executeTakeFirst();
  if (!link) return undefined;
  const conflict = (link.conflict as ConflictDetail | null) ?? null;
  const conflictStarts = conflict?.periods.map((p) => p.periodStart) ?? [];
  const [customer, property, decisions, entries, sameEspmMeter, sameBillingMeter, billedConflict] =
    await Promise.all([
      db
        .selectFrom('espm_customer')
        .selectAll()
        .where('account_id', '=', link.espm_account_id)
        .executeTakeFirst(),
      db
        .selectFrom('espm_property')
        .selectAll()
        .where('property_id', '=', link.espm_property_id)
        .executeTakeFirst(),
      db
        .selectFrom('link_decision')
        .selectAll()
        .where('link_id', '=', linkId)
        .orderBy('id', 'desc')
        .execute(),
      db
        .selectFrom('consumption_entry as e')
        .leftJoin('billing_period as b', (j) =>
          j.onRef('b.meter_number', '=', 'e.meter_number').onRef('b.period_start', '=', 'e.period_start'),
        )
        .select([
          'e.id',
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
          'e.billing_revision',
          'b.volume_m3 as billed_volume_m3',
          'b.status as billed_status',
          'b.revision as billed_revision',
        ])
        .where('e.link_id', '=', linkId)
        .orderBy('e.period_start', 'desc')
        .orderBy('e.id', 'desc')
        .execute(),
      otherLinks(db, 'espm_meter_id', link.espm_meter_id, linkId),
      link.meter_number ? otherLinks(db, 'meter_number', link.meter_number, linkId) : Promise.resolve([]),
      conflictStarts.length && link.meter_number
        ? db
            .selectFrom('billing_period')
            .selectAll()
            .where('meter_number', '=', link.meter_number)
            .where('period_start', 'in', conflictStarts)
            .execute()
        : Promise.resolve([]),
    ]);
  return {
    link,
    conflict,
    customer,
    property,
    decisions,
    entries,
    sameEspmMeter,
    sameBillingMeter,
    billedConflict,
  };
}

// ---------------------------------------------------------------------------------------------------
// Gateway log

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

// ---------------------------------------------------------------------------------------------------
// Rejections and lockouts

export async function recentRejections(db: Db, limit = 50) {
  return db
    .selectFrom('meter_link as l')
    .leftJoin('espm_customer as c', 'c.account_id', 'l.espm_account_id')
    .select([
      'l.id',
      'l.espm_meter_id',
      'l.espm_username',
      'l.espm_account_id',
      'l.account_number',
      'l.meter_number',
      'l.invoice_number',
      'l.reason_code',
      'l.decided_at',
      'l.received_at',
      'l.decision_note',
      'c.organization',
      (eb) =>
        eb
          .selectFrom('link_decision as d')
          .select('d.note')
          .whereRef('d.link_id', '=', 'l.id')
          .where('d.decision', '=', 'rejected')
          .orderBy('d.id', 'desc')
          .limit(1)
          .as('note'),
    ])
    .where('l.status', '=', 'rejected')
    .orderBy('l.id', 'desc')
    .limit(limit)
    .execute();
}

export async function lockoutsWithCustomers(db: Db, now: Date) {
  const lockouts = await lockedOutAccounts(db, now);
  if (lockouts.length === 0) return [];
  const customers = await db
    .selectFrom('espm_customer')
    .selectAll()
    .where(
      'account_id',
      'in',
      lockouts.map((l) => l.accountId),
    )
    .execute();
  const byId = new Map(customers.map((c) => [c.account_id, c]));
  return lockouts.map((l) => ({ ...l, customer: byId.get(l.accountId) }));
}

// ---------------------------------------------------------------------------------------------------
// Billing imports

export async function recentImports(db: Db, limit = 15, rejectionsPerImport = 100) {
  const imports = await db
    .selectFrom('billing_import')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  // The first lines of each import only: a bad file can reject thousands (its own page shows more).
  return Promise.all(
    imports.map(async (i) => ({
      ...i,
      rejections:
        i.rows_rejected > 0
          ? await db
              .selectFrom('billing_import_rejection')
              .selectAll()
              .where('import_id', '=', i.id)
              .orderBy('line')
              .limit(rejectionsPerImport)
              .execute()
          : [],
    })),
  );
}

export async function importDetail(db: Db, id: number, limit = 1000) {
  const row = await db.selectFrom('billing_import').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const rejections = await db
    .selectFrom('billing_import_rejection')
    .selectAll()
    .where('import_id', '=', id)
    .orderBy('line')
    .limit(limit)
    .execute();
  return { ...row, rejections };
}

/** The other links (latest 50) sharing the ESPM meter, or the billing meter, of a link. */
function otherLinks(
  db: Kysely<Database>,
  column: 'espm_meter_id' | 'meter_number',
  value: string,
  linkId: number,
) {
  return db
    .selectFrom('meter_link')
    .select([
      'id',
      'espm_meter_id',
      'espm_username',
      'account_number',
      'meter_number',
      'status',
      'reason_code',
      'received_at',
    ])
    .where(column, '=', value)
    .where('id', '!=', linkId)
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
}
