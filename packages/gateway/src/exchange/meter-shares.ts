// MeterConnectionManager: decides every pending meter share. The decision is recorded before it is
// sent to ESPM, so a run that dies in between sends the same answer next time instead of deciding again.
import type { PendingMeterShare } from '@gaz-espm/espm';
import { isEspmError } from '@gaz-espm/espm';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { errorEvent } from '../log/gateway-event.ts';
import { writeLog } from '../log/gateway-log.ts';
import type { Database, MeterLink } from '../store/schema.ts';
import { bindCode, codeState, findCode } from '../buildings/aggregation-codes.ts';
import { buildingPassesPrivacy } from './building-entries.ts';
import { confirmAggregateMeters } from './aggregate-meters.ts';
import { billingFactsFor } from './billing-facts.ts';
import { monthsBefore } from './consumption/plan.ts';
import type { ExchangeContext } from './context.ts';
import { isoDate } from './context.ts';
import { FIELD, answersOf } from './custom-fields.ts';
import { CURRENT_STATUSES, markAnswered, recordShareDecision, revokeLink } from './link-state.ts';
import { recordPropertyShare } from './property-shares.ts';
import type { RevocationReason } from './link-state.ts';
import { accountLockout, recordIdentityFailure } from './lockout.ts';
import { METER_ACCEPTED, REJECTION_NOTES, lockedOutNote, noteText } from './notes.ts';
import { requestGone } from './request-gone.ts';
import type { BuildingShareAnswers, RejectionRule, ShareAnswers } from './share-rules.ts';
import {
  IDENTITY_RULES,
  checkAggregateMeter,
  checkBilling,
  checkCode,
  checkMeter,
  checkShareFields,
  namedNumbers,
} from './share-rules.ts';
import { workByAccount } from './work-by-account.ts';

export interface MeterShareSummary {
  accepted: number;
  rejected: number;
  failed: number;
}

export async function decidePendingMeterShares(
  ctx: ExchangeContext,
  options: { concurrency?: number } = {},
): Promise<MeterShareSummary> {
  // Every page is read before answering: answering shrinks the list and would shift the pages.
  const pending = await ctx.espm.pendingMeterShares();
  const summary: MeterShareSummary = { accepted: 0, rejected: 0, failed: 0 };
  await settleUnansweredNotPending(ctx, new Set(pending.map((s) => s.meterId)));

  // One account's shares are decided one at a time, in ESPM's order (the lockout counts them in turn);
  // different accounts go side by side.
  await workByAccount(
    ctx,
    pending,
    (s) => s.accountId,
    (s) => decideShare(ctx, s),
    summary,
    options,
  );
  // Buildings' meters accepted on their code: ESPM says only now whether they are aggregate meters.
  await confirmAggregateMeters(ctx);
  return summary;
}

async function decideShare(ctx: ExchangeContext, share: PendingMeterShare): Promise<keyof MeterShareSummary> {
  try {
    const { link, decidedElsewhere } = await currentDecision(ctx, share);
    // Another caller decided this share while we judged it: its answer is on its way.
    if (!decidedElsewhere && (await sendAnswer(ctx, link)) && link.status !== 'rejected') {
      // Accepting a meter share accepts its property's pending share (EPA's connection guide, Appendix
      // A), which the PropertyShareManager, running beside, may then never see listed.
      await recordPropertyShare(ctx.db, share, ctx.now());
    }
    return link.status === 'rejected' ? 'rejected' : 'accepted';
  } catch (e) {
    await writeLog(ctx.db, {
      service: 'MeterConnectionManager',
      subject: share.meterId,
      event: errorEvent(e),
    });
    return 'failed';
  }
}

/** The link holding this share's decision: an unanswered one from an earlier run, or a new decision. */
async function currentDecision(
  ctx: ExchangeContext,
  share: PendingMeterShare,
): Promise<{ link: MeterLink; decidedElsewhere: boolean }> {
  const unanswered = await ctx.db
    .selectFrom('meter_link')
    .selectAll()
    .where('espm_meter_id', '=', share.meterId)
    .where('answered_at', 'is', null)
    .where('decided_at', 'is not', null)
    .where('status', 'in', ['accepted', 'rejected'])
    .executeTakeFirst();
  if (unanswered) return { link: unanswered, decidedElsewhere: false };
  const lastLinkId = await lastLinkIdOf(ctx.db, share.meterId);
  const current = await ctx.db
    .selectFrom('meter_link')
    .selectAll()
    .where('espm_meter_id', '=', share.meterId)
    .where('status', 'in', CURRENT_STATUSES)
    .executeTakeFirst();
  // The customer shared the meter anew: the earlier link ends and the new share is checked from scratch.
  if (current) await revoke(ctx, current.id, current.answered_at ? 'superseded' : 'share-withdrawn');

  const now = ctx.now();
  const judged = await judge(ctx, share, now);
  const meter = share.meterInfo;
  return ctx.db.transaction().execute(async (tx) => {
    // One ESPM account's decisions are stored one at a time, whoever makes them, so that two callers
    // judging its shares at once cannot both slip under the lockout's count.
    await sql`select pg_advisory_xact_lock(${SHARE_DECISION_LOCK}, hashtext(${share.accountId}))`.execute(tx);
    if ((await lastLinkIdOf(tx, share.meterId)) !== lastLinkId) {
      const link = await tx
        .selectFrom('meter_link')
        .selectAll()
        .where('espm_meter_id', '=', share.meterId)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      return { link, decidedElsewhere: true };
    }
    const lockout = judged.rule !== 'locked-out' ? await accountLockout(tx, share.accountId, now) : undefined;
    let verdict: Verdict = lockout ? { rule: 'locked-out', lockedUntil: lockout.lockedUntil } : judged;
    // The code is taken in the decision's transaction: of two meters shared with one code at once,
    // one gets it and the other is told the code is not valid.
    const b = verdict.building;
    if (!verdict.rule && b && !(await bindCode(tx, b.codeId, share.meterId, now))) {
      verdict = { rule: 'invalid-aggregation-code', building: b };
    }
    const accepted = verdict.rule === undefined;
    const note = noteText(
      accepted
        ? METER_ACCEPTED
        : verdict.lockedUntil
          ? lockedOutNote(verdict.lockedUntil, ctx.customerContact)
          : REJECTION_NOTES[verdict.rule!],
    );
    // Malformed or locked out, the answers were never checked: what they name is recorded all the same.
    const a = verdict.answers ?? namedNumbers(answersOf(share.customFields));
    const initialLoad = a.initialLoad ?? verdict.building?.initialLoad ?? null;
    const link = await recordShareDecision(
      tx,
      {
        espm_meter_id: share.meterId,
        espm_property_id: share.propertyId,
        espm_account_id: share.accountId,
        espm_username: share.username ?? null,
        meter_name: meter?.name ?? null,
        meter_type: meter?.type ?? null,
        unit_of_measure: meter?.unitOfMeasure ?? null,
        first_bill_date: meter?.firstBillDate || null,
        access_level: share.accessLevel,
        custom_fields: JSON.stringify(keptAnswers(share.customFields)),
        account_number: a.accountNumber,
        invoice_number: a.invoiceNumber,
        meter_number: a.meterNumber,
        initial_load: initialLoad,
        building_id: verdict.building?.buildingId ?? null,
        aggregation_code_id: verdict.building?.codeId ?? null,
        received_at: now,
        shared_at: sharedAt(share),
        history_from: accepted ? monthsBefore(isoDate(now), initialLoad!) : null,
      },
      { ...(verdict.rule ? { rule: verdict.rule } : {}), note, at: now },
    );
    if (verdict.rule && IDENTITY_RULES.has(verdict.rule)) {
      await recordIdentityFailure(tx, {
        accountId: share.accountId,
        linkId: link.id,
        rule: verdict.rule,
        at: now,
      });
    }
    return { link, decidedElsewhere: false };
  });
}

/** When the customer last sent the share, by ESPM's clock; null when ESPM's audit does not say. */
function sharedAt(share: PendingMeterShare): Date | null {
  const text = share.shareAudit?.lastUpdatedDate ?? share.shareAudit?.createdDate;
  const date = text ? new Date(text) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/**
 * The customer's answers as kept on the link, but an aggregation code: only its hash is ever stored
 * (buildings/aggregation-codes.ts), so the link keeps that a code was typed, not the code.
 */
function keptAnswers(fields: PendingMeterShare['customFields']): Record<string, string> {
  return Object.fromEntries(
    fields.map((f) => [
      f.name,
      f.name.normalize('NFC').trim() === FIELD.aggregationCode ? CODE_WITHHELD : f.value,
    ]),
  );
}

const CODE_WITHHELD = '(code)';

/** Advisory lock class of the per-account decision lock (the key is the account's hash). */
const SHARE_DECISION_LOCK = 0x4d43_4d00;

async function lastLinkIdOf(db: Kysely<Database>, meterId: string): Promise<number | null> {
  const row = await db
    .selectFrom('meter_link')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('espm_meter_id', '=', meterId)
    .executeTakeFirst();
  return row?.id ?? null;
}

interface Verdict {
  rule?: RejectionRule;
  /** Locked out: until when (the note tells the customer). */
  lockedUntil?: Date;
  answers?: ShareAnswers;
  /**
   * A building owner's share: the building, the code that names it, and the history asked for; kept
   * on a refusal too when the code is one of the building's (revoked, expired, used elsewhere).
   */
  building?: { buildingId: string; codeId: number; initialLoad: number };
}

async function judge(ctx: ExchangeContext, share: PendingMeterShare, now: Date): Promise<Verdict> {
  const lockout = await accountLockout(ctx.db, share.accountId, now);
  if (lockout) return { rule: 'locked-out', lockedUntil: lockout.lockedUntil };
  const fields = checkShareFields(answersOf(share.customFields));
  if (!fields.ok) return { rule: fields.rule };
  if (fields.kind === 'building') return judgeBuildingShare(ctx, share, fields.answers, now);
  const billing = checkBilling(fields.answers, await billingFactsFor(ctx.db, fields.answers), isoDate(now));
  if (billing) return { rule: billing, answers: fields.answers };
  const meter = checkMeter(share.meterInfo, share.accessLevel);
  if (meter) return { rule: meter, answers: fields.answers };
  return { answers: fields.answers };
}

/** Code, meter, then privacy: a building below the threshold is refused without saying why. */
async function judgeBuildingShare(
  ctx: ExchangeContext,
  share: PendingMeterShare,
  answers: BuildingShareAnswers,
  now: Date,
): Promise<Verdict> {
  const code = await findCode(ctx.db, answers.code);
  const facts = code
    ? { state: codeState(code, now), boundTo: code.espm_meter_id }
    : { state: 'unknown' as const, boundTo: null };
  const rule =
    checkCode(facts, share.meterId) ??
    checkAggregateMeter(share.meterInfo, share.accessLevel) ??
    ((await buildingPassesPrivacy(ctx, code!.building_id)) ? undefined : 'building-below-threshold');
  // Refused with a code of the building, the share is the building's all the same: its page lists it.
  const building = code && {
    buildingId: code.building_id,
    codeId: code.id,
    initialLoad: answers.initialLoad,
  };
  if (rule) return building ? { rule, building } : { rule };
  return { building: building! };
}

/** False when the customer withdrew the share before the answer reached ESPM. */
async function sendAnswer(ctx: ExchangeContext, link: MeterLink): Promise<boolean> {
  const accepted = link.status !== 'rejected';
  try {
    await ctx.espm.answerMeterShare(
      link.espm_meter_id,
      accepted ? 'Accept' : 'Reject',
      link.decision_note ?? undefined,
    );
  } catch (e) {
    if (!(await requestGone(ctx, e, { kind: 'meter-share', meterId: link.espm_meter_id }))) throw e;
    // The customer withdrew the share before our answer reached ESPM.
    await revoke(ctx, link.id, 'share-withdrawn');
    return false;
  }
  // Accepting a share of an account not connected connected it (its request is never listed): the
  // ConnectionManager records the contact once the cycle's shares are answered.
  await markAnswered(ctx.db, link, ctx.now(), 'MeterConnectionManager');
  return true;
}

function revoke(ctx: ExchangeContext, linkId: number, reason: RevocationReason): Promise<boolean> {
  return revokeLink(ctx.db, linkId, reason, { service: 'MeterConnectionManager', at: ctx.now() });
}

/**
 * Decisions recorded by a run that died before ESPM confirmed them, whose share is no longer pending:
 * ESPM took the answer (or the customer withdrew). An accepted one is confirmed by reading the meter.
 */
async function settleUnansweredNotPending(ctx: ExchangeContext, pendingMeterIds: Set<string>): Promise<void> {
  const unanswered = await ctx.db
    .selectFrom('meter_link')
    .selectAll()
    .where('answered_at', 'is', null)
    .where('decided_at', 'is not', null)
    .where('status', 'in', ['accepted', 'rejected'])
    .execute();
  for (const link of unanswered) {
    if (pendingMeterIds.has(link.espm_meter_id)) continue;
    if (link.status === 'rejected') {
      await markAnswered(ctx.db, link, ctx.now());
      continue;
    }
    try {
      await ctx.espm.getMeter(link.espm_meter_id);
      await markAnswered(ctx.db, link, ctx.now());
    } catch (e) {
      if (isEspmError(e, 'access-lost')) await revoke(ctx, link.id, 'share-withdrawn');
    }
  }
}
