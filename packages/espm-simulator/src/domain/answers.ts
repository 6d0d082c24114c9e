// The provider's side of a request: what is pending, and accepting or rejecting it with a note.
// A request answered once is gone: answering again is ESPM's "doesn't exist or has been fulfilled".
// The cascades of EPA's connection guide (Appendix A): a share may come from an account that is not
// connected; accepting it accepts the connection too (so that request never shows in the pending list);
// rejecting a connection rejects the account's pending shares; accepting a meter share accepts its
// property's pending share. Each consequence is recorded as an `automatic` decision.
import type { PendingConnection, PendingMeterShare, PendingPropertyShare, SharingAction } from '../espm.ts';
import { MESSAGES, SimError } from '../errors.ts';
import type { ConnectionRecord, DecisionRecord, ShareRecord } from '../state/model.ts';
import { isConnected } from './access.ts';
import { newAudit } from './audit.ts';
import type { DomainContext } from './context.ts';
import type { Page } from './pagination.ts';
import { paginate } from './pagination.ts';
import { pendingConnectionOf, pendingMeterShareOf, pendingPropertyShareOf } from './views.ts';

export interface Answer {
  action: SharingAction;
  note?: string;
}

const byRequestTime = (
  a: { audit: { createdDate?: string } },
  b: { audit: { createdDate?: string } },
): number => (a.audit.createdDate ?? '').localeCompare(b.audit.createdDate ?? '');

export function pendingConnections(ctx: DomainContext, page: number): Page<PendingConnection> {
  const pending = Object.values(ctx.store.data.connections)
    .filter((c) => c.status === 'pending')
    .sort((a, b) => byRequestTime(a, b) || Number(a.accountId) - Number(b.accountId));
  const p = paginate(pending, page, ctx.pendingPageSize);
  return { ...p, items: p.items.map((c) => pendingConnectionOf(ctx, c)) };
}

function pendingShares(shares: Record<string, ShareRecord>): ShareRecord[] {
  return Object.values(shares)
    .filter((s) => s.status === 'pending')
    .sort((a, b) => byRequestTime(a, b) || Number(a.resourceId) - Number(b.resourceId));
}

export function pendingPropertyShares(ctx: DomainContext, page: number): Page<PendingPropertyShare> {
  const p = paginate(pendingShares(ctx.store.data.propertyShares), page, ctx.pendingPageSize);
  return { ...p, items: p.items.map((s) => pendingPropertyShareOf(ctx, s)) };
}

/** Listed whether or not their sender is connected: accepting one connects it. */
export function pendingMeterShares(ctx: DomainContext, page: number): Page<PendingMeterShare> {
  const p = paginate(pendingShares(ctx.store.data.meterShares), page, ctx.pendingPageSize);
  return { ...p, items: p.items.map((s) => pendingMeterShareOf(ctx, s)) };
}

function decide(
  ctx: DomainContext,
  kind: DecisionRecord['kind'],
  id: string,
  accountId: string,
  answer: Answer,
  automatic = false,
): string {
  const date = ctx.store.timestamp();
  ctx.store.data.decisions.push({
    kind,
    id,
    accountId,
    action: answer.action,
    ...(answer.note ? { note: answer.note } : {}),
    date,
    ...(automatic ? { automatic } : {}),
  });
  return date;
}

function provider(ctx: DomainContext) {
  const p = ctx.store.provider;
  return { lastUpdatedBy: p.username, lastUpdatedByAccountId: p.id };
}

export function answerConnection(ctx: DomainContext, accountId: string, answer: Answer): void {
  const c = ctx.store.data.connections[accountId];
  if (c?.status !== 'pending') throw new SimError(400, MESSAGES.requestGone);
  applyConnectionAnswer(ctx, c, answer);
  if (answer.action === 'Reject') {
    for (const shares of [ctx.store.data.propertyShares, ctx.store.data.meterShares]) {
      for (const s of pendingShares(shares).filter((x) => x.accountId === accountId)) {
        applyAnswer(ctx, s, answer, true);
      }
    }
  }
  ctx.store.touch();
}

function applyConnectionAnswer(
  ctx: DomainContext,
  c: ConnectionRecord,
  answer: Answer,
  automatic = false,
): void {
  const date = decide(ctx, 'connection', c.accountId, c.accountId, answer, automatic);
  c.status = answer.action === 'Accept' ? 'accepted' : 'rejected';
  c.answeredDate = date;
  c.audit = { ...c.audit, ...provider(ctx), lastUpdatedDate: date };
  if (answer.note) c.note = answer.note;
  else delete c.note;
}

/**
 * An accepted share connects its sender: a pending connection request is accepted with the share's
 * note; without one (or after a rejection or a disconnection) the connection starts accepted, with no
 * request the provider could ever list.
 */
function connectThroughShare(ctx: DomainContext, accountId: string, answer: Answer): void {
  if (isConnected(ctx, accountId)) return;
  const customer = ctx.store.data.accounts[accountId]!;
  const existing = ctx.store.data.connections[accountId];
  const now = ctx.store.timestamp();
  const c: ConnectionRecord =
    existing?.status === 'pending'
      ? existing
      : {
          accountId,
          status: 'pending',
          audit: newAudit(customer, now),
          acceptedThroughShare: true,
        };
  ctx.store.data.connections[accountId] = c;
  applyConnectionAnswer(ctx, c, answer, true);
}

function applyAnswer(ctx: DomainContext, share: ShareRecord, answer: Answer, automatic = false): void {
  const kind = share.kind === 'property' ? 'propertyShare' : 'meterShare';
  const date = decide(ctx, kind, share.resourceId, share.accountId, answer, automatic);
  share.status = answer.action === 'Accept' ? 'accepted' : 'rejected';
  share.answeredDate = date;
  share.audit = { ...share.audit, ...provider(ctx), lastUpdatedDate: date };
  if (answer.note) share.note = answer.note;
  else delete share.note;
}

export function answerPropertyShare(ctx: DomainContext, propertyId: string, answer: Answer): void {
  const share = ctx.store.data.propertyShares[propertyId];
  if (share?.status !== 'pending') throw new SimError(400, MESSAGES.requestGone);
  applyAnswer(ctx, share, answer);
  if (answer.action === 'Accept') connectThroughShare(ctx, share.accountId, answer);
  if (answer.action === 'Reject' && ctx.rules.rejectPropertyShareClosesMeterShares) {
    for (const m of Object.values(ctx.store.data.meterShares)) {
      if (m.propertyId === propertyId && m.status === 'pending') {
        applyAnswer(ctx, m, answer, true);
        m.closedByPropertyShare = true;
      }
    }
  }
  ctx.store.touch();
}

export function answerMeterShare(ctx: DomainContext, meterId: string, answer: Answer): void {
  const share = ctx.store.data.meterShares[meterId];
  if (share?.status !== 'pending') throw new SimError(400, MESSAGES.requestGone);
  applyAnswer(ctx, share, answer);
  if (answer.action === 'Accept') connectThroughShare(ctx, share.accountId, answer);
  const propertyShare = ctx.store.data.propertyShares[share.propertyId];
  if (
    answer.action === 'Accept' &&
    ctx.rules.acceptMeterShareAcceptsPropertyShare &&
    propertyShare?.status === 'pending'
  ) {
    applyAnswer(ctx, propertyShare, answer, true);
  }
  ctx.store.touch();
}
