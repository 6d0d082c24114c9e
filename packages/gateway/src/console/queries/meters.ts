// The meter links' reads: the list (keyset pages, capped counts), one link's page, and the link an
// action or an export is about.
import { sql } from 'kysely';
import type { ConflictDetail } from '../../store/schema.ts';
import { isSuperseded } from '../../exchange/superseded.ts';
import { SHOWN_STATUSES } from '../../vocabulary/link-statuses.ts';
import type { ShownStatus } from '../../vocabulary/link-statuses.ts';
import { otherBillingAccount } from '../../exchange/transfers.ts';
import { ENTRY_HISTORY } from '../../observability/history-export.ts';
import { buildingNamed } from '../../buildings/buildings.ts';
import { allOf } from './all-of.ts';
import type { Db } from './paging.ts';
import { keysetPage, normaliseNumber, PAGE_SIZE, prefixPattern } from './paging.ts';
import { MIN_SUBSTRING, substringPattern, usernameText } from '../../store/search-text.ts';

/** Counting the matches of a search stops here: "1–50 of more than 10,000". */
export const COUNT_CAP = 10_000;

export type StatusCounts = Record<ShownStatus, number>;

/**
 * The number of links per status, kept for a few seconds: counting 100,000 links on every page load
 * costs more than the page itself on the embedded store. The console forgets it after each action.
 */
export class StatusCountCache {
  private value: { at: number; counts: Promise<StatusCounts> } | undefined;
  constructor(private readonly ttlMs = 10_000) {}

  get(db: Db): Promise<StatusCounts> {
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

export async function linkStatusCounts(db: Db): Promise<StatusCounts> {
  const [rows, superseded] = await Promise.all([
    db
      .selectFrom('meter_link')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute(),
    db
      .selectFrom('meter_link as l')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('l.status', '=', 'rejected')
      .where(isSuperseded('l'))
      .executeTakeFirstOrThrow(),
  ]);
  const counts = Object.fromEntries(SHOWN_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const r of rows) counts[r.status] = Number(r.n);
  counts.superseded = Number(superseded.n);
  counts.rejected -= counts.superseded;
  return counts;
}

export interface LinkFilter {
  status?: ShownStatus | undefined;
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
  if (status === 'superseded' || status === 'rejected') {
    query = query.where('status', '=', 'rejected');
    const superseded = isSuperseded('meter_link');
    query = query.where(status === 'superseded' ? superseded : sql<boolean>`not ${superseded}`);
  } else if (status) query = query.where('status', '=', status);
  if (account) query = query.where('espm_account_id', '=', account);
  const n = q ? normaliseNumber(q) : '';
  if (n) {
    const pattern = prefixPattern(n);
    const upper = prefixPattern(n.toUpperCase());
    const typed = q!.trim();
    query = query.where((eb) =>
      eb.or([
        eb('espm_meter_id', 'like', pattern),
        eb('account_number', 'like', pattern),
        eb('meter_number', 'like', upper),
        eb('invoice_number', 'like', pattern),
        eb('espm_account_id', '=', typed),
        // The customer's ESPM username, by part (its trigram index, store/search-text.ts).
        typed.length >= MIN_SUBSTRING
          ? eb(usernameText('meter_link'), 'like', substringPattern(typed))
          : eb(usernameText('meter_link'), '=', typed.toLowerCase()),
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
    'building_id',
    sql<string | null>`(select b.name from building b where b.building_id = meter_link.building_id)`.as(
      'building_name',
    ),
    isSuperseded('meter_link').as('superseded'),
  ]);
  if (backwards) page = page.where('id', '>', options.before!).orderBy('id', 'asc');
  else {
    if (options.after !== undefined) page = page.where('id', '<', options.after);
    page = page.orderBy('id', 'desc');
  }
  const fetched = await page.limit(limit + 1).execute();
  return keysetPage(fetched, { limit, backwards, after: options.after }, (l) => String(l.id));
}

/** How many links match: exact per status (index-only), capped for a search. */
export async function countLinks(
  db: Db,
  filter: LinkFilter,
  statusCounts?: StatusCounts,
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

/**
 * The count a page of the list shows, made to agree with its rows: the per-status counts are cached a
 * few seconds (StatusCountCache), so links shared meanwhile would be listed but not counted ("1–27 of
 * 26"). The last page knows the exact number; another page has at least one more link after it.
 */
export function countOfPage(
  count: { total: number; capped: boolean },
  page: { rows: unknown[]; next: string | undefined },
  offset: number,
): { total: number; capped: boolean } {
  if (count.capped) return count;
  const seen = offset + page.rows.length;
  if (page.next === undefined) return { total: seen, capped: false };
  return { total: Math.max(count.total, seen + 1), capped: false };
}

export async function meterPageData(db: Db, linkId: number) {
  const link = await db.selectFrom('meter_link').selectAll().where('id', '=', linkId).executeTakeFirst();
  if (!link) return undefined;
  const conflict = (link.conflict as ConflictDetail | null) ?? null;
  const conflictStarts = conflict?.periods.map((p) => p.periodStart) ?? [];
  const { superseding, ...reads } = await allOf({
    customer: db
      .selectFrom('espm_customer')
      .selectAll()
      .where('account_id', '=', link.espm_account_id)
      .executeTakeFirst(),
    property: db
      .selectFrom('espm_property')
      .selectAll()
      .where('property_id', '=', link.espm_property_id)
      .executeTakeFirst(),
    decisions: db
      .selectFrom('link_decision')
      .selectAll()
      .where('link_id', '=', linkId)
      .orderBy('id', 'desc')
      .execute(),
    entries: db
      .selectFrom('consumption_entry as e')
      .leftJoin('billing_period as b', (j) =>
        j.onRef('b.meter_number', '=', 'e.meter_number').onRef('b.period_start', '=', 'e.period_start'),
      )
      .select([
        'e.id',
        ...ENTRY_HISTORY,
        'e.billing_revision',
        'b.volume_m3 as billed_volume_m3',
        'b.status as billed_status',
        'b.revision as billed_revision',
      ])
      .where('e.link_id', '=', linkId)
      .orderBy('e.period_start', 'desc')
      .orderBy('e.id', 'desc')
      .execute(),
    sameEspmMeter: otherLinks(db, 'espm_meter_id', link.espm_meter_id, linkId),
    sameBillingMeter: link.meter_number ? otherLinks(db, 'meter_number', link.meter_number, linkId) : [],
    billedConflict:
      conflictStarts.length && link.meter_number
        ? db
            .selectFrom('billing_period')
            .selectAll()
            .where('meter_number', '=', link.meter_number)
            .where('period_start', 'in', conflictStarts)
            .execute()
        : [],
    superseding: link.status === 'rejected' ? supersedingLink(db, link) : undefined,
    // An aggregate meter stands for a building, not for an account's meter.
    building: link.building_id ? buildingNamed(db, link.building_id) : undefined,
  });
  const otherAccount =
    link.status === 'paused' && link.reason_code === 'billing-account-changed'
      ? await otherBillingAccount(db, link)
      : undefined;
  return {
    link,
    conflict,
    ...reads,
    /** The later accepted share of the same ESPM meter that superseded this rejection. */
    supersededBy: superseding?.id,
    /** After a transfer, the billing account that holds the link for an operator. */
    otherAccount,
  };
}

/** The first later share of the link's ESPM meter that was accepted. */
function supersedingLink(db: Db, link: { id: number; espm_meter_id: string }) {
  return db
    .selectFrom('meter_link as later')
    .innerJoin('link_decision as d', 'd.link_id', 'later.id')
    .select('later.id')
    .where('later.espm_meter_id', '=', link.espm_meter_id)
    .where('later.id', '>', link.id)
    .where('d.decision', '=', 'accepted')
    .orderBy('later.id')
    .limit(1)
    .executeTakeFirst();
}

/** What an action or the history export needs of a link. */
export async function linkOf(db: Db, linkId: number) {
  return db
    .selectFrom('meter_link')
    .select(['id', 'espm_meter_id', 'status'])
    .where('id', '=', linkId)
    .executeTakeFirst();
}

/** The other links (latest 50) sharing the ESPM meter, or the billing meter, of a link. */
function otherLinks(db: Db, column: 'espm_meter_id' | 'meter_number', value: string, linkId: number) {
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
      isSuperseded('meter_link').as('superseded'),
    ])
    .where(column, '=', value)
    .where('id', '!=', linkId)
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
}
