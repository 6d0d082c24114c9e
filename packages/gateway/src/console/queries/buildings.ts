// What the Buildings pages read: buildings with their counts, and one building's premises, meters,
// codes, linked ESPM meters and months (computed now, as the next sync would).
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { BILLED_STATUSES } from '../../exchange/link-state.ts';
import { codesOf } from '../../buildings/aggregation-codes.ts';
import { buildingMonths } from '../../buildings/building-months.ts';
import { buildingPeriods } from '../../buildings/building-periods.ts';
import { releasesOf } from '../../buildings/building-releases.ts';
import { decideRelease } from '../../buildings/month-release.ts';
import type { PrivacyRule } from '../../buildings/privacy-rule.ts';
import type { Database } from '../../store/schema.ts';

export async function listBuildings(db: Kysely<Database>, now: Date) {
  const { rows } = await sql<{
    building_id: string;
    name: string;
    premises: number;
    meters: number;
    links: number;
    active_codes: number;
  }>`
    select b.building_id, b.name,
      (select count(*) from building_premise bp where bp.building_id = b.building_id)::integer as premises,
      (select count(distinct p.meter_number) from billing_period p
         join building_premise bp on bp.premise_id = p.premise_id
         where bp.building_id = b.building_id)::integer as meters,
      (select count(*) from meter_link l where l.building_id = b.building_id
         and l.status in (${sql.join(BILLED_STATUSES)}))::integer as links,
      (select count(*) from aggregation_code c where c.building_id = b.building_id and c.revoked_at is null
         and c.used_at is null and c.expires_at > ${now})::integer as active_codes
    from building b order by b.building_id`.execute(db);
  return rows;
}

type Months = ReturnType<typeof buildingMonths>;

/** How many buildings' months are kept. */
const CACHED_BUILDINGS = 200;

/**
 * A building's months as last computed, reused while nothing that changes them has changed: the day
 * (a month becomes complete or old), the building's premises, and the billing (every billed period is
 * written by a billing import, so the latest import and whether it finished say whether periods
 * changed). Computing them reads every period of every premise and blocks Node meanwhile (2.2 s at
 * 1,499 premises), which no page view should cost.
 */
export class BuildingMonthsCache {
  private readonly entries = new Map<string, { key: string; months: Promise<Months> }>();

  async get(db: Kysely<Database>, buildingId: string, rule: PrivacyRule, now: Date): Promise<Months> {
    const key = `${now.toISOString().slice(0, 10)}|${JSON.stringify(rule)}|${await monthsVersion(db, buildingId)}`;
    const kept = this.entries.get(buildingId);
    if (kept?.key === key) return kept.months;
    const months = buildingPeriods(db, buildingId).then((periods) =>
      buildingMonths(periods, now.toISOString().slice(0, 10), rule),
    );
    months.catch(() => this.entries.delete(buildingId));
    this.entries.delete(buildingId);
    this.entries.set(buildingId, { key, months });
    if (this.entries.size > CACHED_BUILDINGS) this.entries.delete(this.entries.keys().next().value!);
    return months;
  }
}

/** What a building's months depend on besides the day: its premises and the billing imports. */
async function monthsVersion(db: Kysely<Database>, buildingId: string): Promise<string> {
  const { rows } = await sql<{
    premises: number;
    added: Date | null;
    removed: number;
    import_id: number | null;
    running: number;
  }>`
    select (select count(*) from building_premise where building_id = ${buildingId})::integer as premises,
      (select max(added_at) from building_premise where building_id = ${buildingId}) as added,
      (select count(*) from building_premise where building_id = ${buildingId} and until_month is not null)::integer as removed,
      (select max(id) from billing_import) as import_id,
      (select count(*) from billing_import where finished_at is null)::integer as running`.execute(db);
  const r = rows[0]!;
  return `${r.premises}|${r.removed}|${r.added?.toISOString() ?? ''}|${r.import_id ?? ''}|${r.running}`;
}

export async function buildingDetail(
  db: Kysely<Database>,
  buildingId: string,
  rule: PrivacyRule,
  now: Date,
  monthsCache: BuildingMonthsCache,
) {
  const building = await db
    .selectFrom('building')
    .selectAll()
    .where('building_id', '=', buildingId)
    .executeTakeFirst();
  if (!building) return undefined;
  const { rows: premises } = await sql<{
    premise_id: string;
    owner_held: boolean;
    from_month: string | null;
    service_address: string | null;
    meters: number;
  }>`
    select bp.premise_id, bp.owner_held, bp.from_month, max(p.service_address) as service_address,
      count(distinct p.meter_number)::integer as meters
    from building_premise bp left join billing_period p on p.premise_id = bp.premise_id
    where bp.building_id = ${buildingId} and bp.until_month is null
    group by bp.premise_id, bp.owner_held, bp.from_month order by bp.premise_id`.execute(db);
  const links = await db
    .selectFrom('meter_link')
    .select([
      'id',
      'espm_meter_id',
      'espm_username',
      'status',
      'reason_code',
      'history_from',
      'last_period_end',
      'aggregation_code_id',
      'decided_at',
      'renewed_at',
    ])
    .where('building_id', '=', buildingId)
    .where('status', '!=', 'rejected')
    .orderBy('id', 'desc')
    .execute();
  // The ESPM property of the share each code was accepted for, once bound.
  const { rows: bound } = await sql<{ code_id: number; espm_property_id: string }>`
    select distinct on (l.aggregation_code_id) l.aggregation_code_id as code_id, l.espm_property_id
    from meter_link l join aggregation_code c on c.id = l.aggregation_code_id
    where c.building_id = ${buildingId} and l.status <> 'rejected'
    order by l.aggregation_code_id, l.id desc`.execute(db);
  const propertyOf = new Map(bound.map((b) => [b.code_id, b.espm_property_id]));
  const codes = (await codesOf(db, buildingId)).map((c) => ({
    ...c,
    espmPropertyId: propertyOf.get(c.id) ?? null,
  }));
  const releases = await releasesOf(db, buildingId);
  // As the next sync would decide, without releasing anything.
  const months = (await monthsCache.get(db, buildingId, rule, now)).map((m) => {
    const written = releases.get(m.month) ?? [];
    return { ...m, written: written.at(-1)?.volumeM3 ?? null, release: decideRelease(m, written, rule) };
  });
  return {
    building,
    premises,
    links,
    codes,
    refused: await refusedShares(db, buildingId),
    months: months.reverse(),
  };
}

/**
 * The owner shares refused for this building (a code of it revoked, expired or used elsewhere, or the
 * building below the privacy rule), newest first.
 */
async function refusedShares(db: Kysely<Database>, buildingId: string) {
  return db
    .selectFrom('meter_link')
    .select(['id', 'espm_meter_id', 'espm_username', 'reason_code', 'received_at'])
    .where('building_id', '=', buildingId)
    .where('status', '=', 'rejected')
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
}

/** One of the building's aggregation codes, by its id. */
export async function codeOfBuilding(db: Kysely<Database>, buildingId: string, codeId: number) {
  return db
    .selectFrom('aggregation_code')
    .select(['id', 'building_id'])
    .where('id', '=', codeId)
    .where('building_id', '=', buildingId)
    .executeTakeFirst();
}
