// A meter link's standing: the only writer of meter_link (but its lease columns, which leases.ts owns)
// and of link_decision. Each transition changes the link, records the decision the console shows, and
// writes the journal line, in one transaction, so that no reader ever sees a link revoked without its
// reason or in conflict without the periods held back.
//
// The statuses (store/schema.ts LinkStatus):
//   pending ──decide──▶ accepted ──conflict──▶ conflict ──resolve──▶ accepted
//            └────────▶ rejected
//   accepted, conflict ──pause──▶ paused ──resume──▶ accepted, or conflict if periods are held back
//   pending, accepted, conflict, paused ──revoke──▶ revoked (final: a new share is a new link)
// A link gets consumption work while it is current for sending (SENDING_STATUSES); in conflict, only
// the periods the customer's own entries overlap are held back (consumption/plan.ts). A paused link
// (the customer left the provider Read Only) gets nothing, but billing still marks it due, and resuming
// marks it due too: its first run after sends everything billed meanwhile, each period once.
import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ServiceName } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import type { ConflictDetail, Database, MeterLink, MeterLinkTable } from '../store/schema.ts';
import { inTransaction } from '../store/transaction.ts';
import type { LinkNotice } from '../vocabulary/link-notices.ts';
import type { LinkDecision, LinkStatus } from '../vocabulary/link-statuses.ts';
import type {
  AccessPauseCause,
  ConflictChoice,
  ConflictRule,
  GatewayEvent,
  LinkReason,
  PauseCause,
  RejectionRule,
  RevocationReason,
} from '../vocabulary/gateway-events.ts';
export type {
  AccessPauseCause,
  ConflictChoice,
  PauseCause,
  RevocationReason,
} from '../vocabulary/gateway-events.ts';
import { storedNotice } from './stored-notice.ts';

/** Statuses in which a link receives new periods, corrections and cancellations. */
export const SENDING_STATUSES = ['accepted', 'conflict'] as const satisfies readonly LinkStatus[];
/** Statuses a removal of access ends (the meter's one current link, store index meter_link_current). */
export const CURRENT_STATUSES = [
  'pending',
  'accepted',
  'conflict',
  'paused',
] as const satisfies readonly LinkStatus[];
/** Statuses whose link a billing change concerns: the sending ones, and paused ones for their resume. */
export const BILLED_STATUSES = [...SENDING_STATUSES, 'paused'] as const satisfies readonly LinkStatus[];

/**
 * The state machine above as data: the statuses each change starts from. The writers below change a
 * link only from these, and an operator is offered only the actions whose change the link's status
 * allows (operator-actions.ts).
 */
export const LINK_TRANSITIONS = {
  conflict: SENDING_STATUSES,
  resolve: ['conflict'],
  pause: SENDING_STATUSES,
  /** A lapsed renewal also takes over a Read Only pause, since only renewing ends it. */
  'pause-for-renewal': BILLED_STATUSES,
  resume: ['paused'],
  renew: BILLED_STATUSES,
  revoke: CURRENT_STATUSES,
} as const satisfies Record<string, readonly LinkStatus[]>;
export type LinkTransition = keyof typeof LINK_TRANSITIONS;

export const ACCESS_PAUSE_CAUSES = [
  'access-read-only',
  'write-refused',
] as const satisfies readonly AccessPauseCause[];

export type NewLink = Omit<
  Insertable<MeterLinkTable>,
  'status' | 'reason_code' | 'decided_at' | 'decision_note' | 'sync_due'
>;

/**
 * The link's history entry for a change, and its journal line when the change is one an operator or a
 * customer would look for; in the transaction that made the change.
 */
async function recordDecision(
  tx: Kysely<Database>,
  link: Pick<MeterLink, 'id' | 'espm_meter_id'>,
  entry: {
    decision: LinkDecision;
    at: Date;
    rule?: LinkReason | null;
    note?: string | null;
    operator?: string | null;
  },
  journal?: { service: ServiceName; event: GatewayEvent },
): Promise<void> {
  await tx
    .insertInto('link_decision')
    .values({
      link_id: link.id,
      decided_at: entry.at,
      decision: entry.decision,
      rule: entry.rule ?? null,
      note: entry.note ?? null,
      operator: entry.operator ?? null,
    })
    .execute();
  if (journal) {
    await writeLog(tx, {
      service: journal.service,
      subject: link.espm_meter_id,
      event: journal.event,
      operator: entry.operator ?? null,
    });
  }
}

/**
 * Records the decision on a new share: the link, accepted (and due for its history) or rejected for
 * `rule`, with the note the customer is sent. The answer to ESPM goes out after, see markAnswered.
 */
export async function recordShareDecision(
  db: Kysely<Database>,
  link: NewLink,
  decision: { rule?: RejectionRule; note: string; at: Date },
): Promise<MeterLink> {
  const accepted = decision.rule === undefined;
  return inTransaction(db, async (tx) => {
    const stored = await tx
      .insertInto('meter_link')
      .values({
        ...link,
        status: accepted ? 'accepted' : 'rejected',
        reason_code: decision.rule ?? null,
        decided_at: decision.at,
        decision_note: decision.note,
        sync_due: accepted,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordDecision(tx, stored, {
      decision: accepted ? 'accepted' : 'rejected',
      at: decision.at,
      rule: decision.rule,
      note: decision.note,
    });
    return stored;
  });
}

/** ESPM took the decision's answer (or no longer waits for it). Logged when `logAs` is given. */
export async function markAnswered(
  db: Kysely<Database>,
  link: Pick<MeterLink, 'id' | 'espm_meter_id' | 'status' | 'reason_code'>,
  at: Date,
  logAs?: ServiceName,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.updateTable('meter_link').set({ answered_at: at }).where('id', '=', link.id).execute();
    if (!logAs) return;
    await writeLog(tx, {
      service: logAs,
      subject: link.espm_meter_id,
      event:
        link.status === 'rejected'
          ? { kind: 'rejected', rule: link.reason_code as RejectionRule }
          : { kind: 'accepted' },
    });
  });
}

/**
 * Stops all sending to the link's ESPM meter; a later share of the meter is validated from scratch.
 * `by` is the service that learnt of it (or Operator, with the operator's name, and the note the
 * customer is sent with the unsharing). False when the link was not current any more.
 */
export async function revokeLink(
  db: Kysely<Database>,
  linkId: number,
  reason: RevocationReason,
  by: { service: ServiceName; at: Date; detail?: string; operator?: string; customerNote?: string },
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const revoked = await tx
      .updateTable('meter_link')
      .set({ status: 'revoked', reason_code: reason, revoked_at: by.at, sync_due: false })
      .where('id', '=', linkId)
      .where('status', 'in', LINK_TRANSITIONS.revoke)
      .returning(['id', 'espm_meter_id'])
      .executeTakeFirst();
    if (!revoked) return false;
    await recordDecision(
      tx,
      revoked,
      {
        decision: 'revoked',
        at: by.at,
        rule: reason,
        note: by.customerNote ?? by.detail,
        operator: by.operator,
      },
      {
        service: by.service,
        event: { kind: 'revoked', reason, ...(by.detail ? { detail: by.detail } : {}) },
      },
    );
    return true;
  });
}

/**
 * Holds back the periods the customer's own entries overlap, for an operator to resolve; the link keeps
 * receiving every other period. A link already in conflict only has its list of periods replaced.
 */
export async function markConflict(
  db: Kysely<Database>,
  link: Pick<MeterLink, 'id' | 'espm_meter_id' | 'status'>,
  detail: ConflictDetail,
  at: Date,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const marked = await tx
      .updateTable('meter_link')
      .set({ status: 'conflict', conflict: JSON.stringify(detail) })
      .where('id', '=', link.id)
      .where('status', 'in', LINK_TRANSITIONS.conflict)
      .executeTakeFirst();
    if (marked.numUpdatedRows === 0n || link.status === 'conflict') return;
    await recordDecision(
      tx,
      link,
      {
        decision: 'conflict',
        at,
        rule: 'customer-data-overlap' satisfies ConflictRule,
        note: detail.periods.map((p) => `${p.periodStart}..${p.periodEnd}`).join(', '),
      },
      { service: 'ConsumptionUpdater', event: { kind: 'conflict', periods: detail.periods.length } },
    );
  });
}

/** Ends a conflict by the operator's choice: the link is accepted again and due for what was held back. */
export async function resolveConflict(
  db: Kysely<Database>,
  link: Pick<MeterLink, 'id' | 'espm_meter_id'>,
  choice: ConflictChoice,
  by: { operator: string; at: Date },
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const resolved = await tx
      .updateTable('meter_link')
      .set({ status: 'accepted', conflict: null, sync_due: true })
      .where('id', '=', link.id)
      .where('status', 'in', LINK_TRANSITIONS.resolve)
      .executeTakeFirst();
    if (resolved.numUpdatedRows === 0n) return;
    await recordDecision(
      tx,
      link,
      { decision: 'resolved', at: by.at, rule: choice, operator: by.operator },
      { service: 'Operator', event: { kind: 'conflict-resolved', choice } },
    );
  });
}

/**
 * Stops sending to a link whose meter the customer left Read Only, or whose renewal ran out, keeping
 * everything else as it is (a conflict's held-back periods included). `note` tells the customer what to
 * do; it is kept with the decision for the console. False when the link was not sending (already
 * paused, or ended); a lapsed renewal also takes over a Read Only pause, since only renewing ends it.
 */
export async function pauseLink(
  db: Kysely<Database>,
  link: Pick<MeterLink, 'id' | 'espm_meter_id'>,
  cause: PauseCause,
  by: { service: ServiceName; at: Date; note: string; detail?: string; operator?: string },
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const paused = await tx
      .updateTable('meter_link')
      .set({ status: 'paused', reason_code: cause, access_checked_at: by.at })
      .where('id', '=', link.id)
      .where((eb) =>
        cause === 'renewal-due'
          ? eb.and([
              eb('status', 'in', LINK_TRANSITIONS['pause-for-renewal']),
              eb('reason_code', 'is distinct from', cause),
            ])
          : eb('status', 'in', LINK_TRANSITIONS.pause),
      )
      .executeTakeFirst();
    if (paused.numUpdatedRows === 0n) return false;
    await recordDecision(
      tx,
      link,
      { decision: 'paused', at: by.at, rule: cause, note: by.note, operator: by.operator },
      { service: by.service, event: { kind: 'paused', cause, ...(by.detail ? { detail: by.detail } : {}) } },
    );
    return true;
  });
}

/**
 * The cause of the pause is gone (by default: Read Write is back): the link sends again, starting with
 * what was billed while it was paused. It returns to conflict when periods were held back before the
 * pause. False when it was not paused for one of `causes`. An operator letting another billing account
 * pass gives it as `billingAccountAck`. A lapsed renewal is never among the causes: only renewLink ends it.
 */
export async function resumeLink(
  db: Kysely<Database>,
  link: Pick<MeterLink, 'id' | 'espm_meter_id'>,
  by: { service: ServiceName; at: Date; operator?: string; billingAccountAck?: string },
  causes: readonly PauseCause[] = ACCESS_PAUSE_CAUSES,
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const resumed = await tx
      .updateTable('meter_link')
      .set({
        status: sql<LinkStatus>`case when conflict is null then 'accepted' else 'conflict' end`,
        reason_code: null,
        sync_due: true,
        access_checked_at: by.at,
        ...(by.billingAccountAck ? { billing_account_ack: by.billingAccountAck } : {}),
      })
      .where('id', '=', link.id)
      .where('status', 'in', LINK_TRANSITIONS.resume)
      .where('reason_code', 'in', causes)
      .executeTakeFirst();
    if (resumed.numUpdatedRows === 0n) return false;
    await recordDecision(
      tx,
      link,
      { decision: 'resumed', at: by.at, operator: by.operator },
      { service: by.service, event: { kind: 'resumed' } },
    );
    return true;
  });
}

/**
 * An operator renewed a link fed by an aggregation code: its next renewal is counted from `at`, and a
 * link paused because the renewal ran out sends again, starting with what was billed meanwhile. False
 * when the link is not current.
 */
export async function renewLink(
  db: Kysely<Database>,
  link: Pick<MeterLink, 'id' | 'espm_meter_id'>,
  by: { at: Date; operator: string | null },
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const renewed = await tx
      .updateTable('meter_link')
      .set((eb) => ({
        renewed_at: by.at,
        status: sql<LinkStatus>`case when status = 'paused' and reason_code = ${'renewal-due' satisfies PauseCause}
          then (case when conflict is null then 'accepted' else 'conflict' end) else status end`,
        sync_due: sql<boolean>`sync_due or status = 'paused'`,
        reason_code: eb
          .case()
          .when('reason_code', '=', 'renewal-due' satisfies PauseCause)
          .then(null)
          .else(eb.ref('reason_code'))
          .end(),
      }))
      .where('id', '=', link.id)
      .where('status', 'in', LINK_TRANSITIONS.renew)
      .executeTakeFirst();
    if (renewed.numUpdatedRows === 0n) return false;
    await recordDecision(
      tx,
      link,
      { decision: 'renewed', at: by.at, operator: by.operator },
      { service: 'Operator', event: { kind: 'renewed' } },
    );
    return true;
  });
}

/** A paused link's meter was read and is still Read Only: the next check waits (access-level.ts). */
export async function recordAccessChecked(db: Kysely<Database>, linkId: number, at: Date): Promise<void> {
  await db
    .updateTable('meter_link')
    .set({ access_checked_at: at })
    .where('id', '=', linkId)
    .where('status', '=', 'paused')
    .execute();
}

/**
 * Flags the sending and paused links of these billing meters: their billed consumption changed. Even a link
 * already due is written: its row lock orders the import with a sync taking the flag down before it
 * reads the periods (takeDueFlag), so a period imported during a sync is never missed.
 */
export async function markLinksDueForMeters(db: Kysely<Database>, meterNumbers: string[]): Promise<void> {
  if (meterNumbers.length === 0) return;
  // One comma-separated parameter: validated meter numbers hold no comma, and the driver's escaping of
  // each array item would cost more than the statement.
  const meters = sql`string_to_array(${meterNumbers.join(',')}, ',')`;
  // A building's link too, when one of the meters has a period at one of its premises: any tenant's
  // change may move the building's months (buildings/building-periods.ts).
  await sql`
    update meter_link set sync_due = true
    where status in (${sql.join(BILLED_STATUSES)})
      and (meter_number = any(${meters})
           or building_id in (select bp.building_id from building_premise bp
                              join billing_period p on p.premise_id = bp.premise_id
                              where p.meter_number = any(${meters})))
  `.execute(db);
}

/** The link has work waiting (an operator asked for a run, or a run failed and must try again). */
export async function markLinkDue(db: Kysely<Database>, linkId: number): Promise<void> {
  await db.updateTable('meter_link').set({ sync_due: true }).where('id', '=', linkId).execute();
}

/**
 * Taken down before a sync reads the periods, so that an import committed from then on raises it again
 * for the next run.
 */
export async function takeDueFlag(db: Kysely<Database>, linkId: number): Promise<void> {
  await db.updateTable('meter_link').set({ sync_due: false }).where('id', '=', linkId).execute();
}

/** What a finished sync leaves on the link for the console: when, and the last period ESPM holds. */
export async function recordSynced(
  db: Kysely<Database>,
  linkId: number,
  at: Date,
  lastPeriodEnd: string | null,
): Promise<void> {
  await db
    .updateTable('meter_link')
    .set({ last_synced_at: at, last_period_end: lastPeriodEnd })
    .where('id', '=', linkId)
    .execute();
}

/** Something the operator should know that is not an error (consumption/plan.ts beforeFirstBill). */
export async function setNotice(db: Kysely<Database>, linkId: number, notice: LinkNotice): Promise<void> {
  await db
    .updateTable('meter_link')
    .set({ notice: storedNotice(notice) })
    .where('id', '=', linkId)
    .execute();
}
