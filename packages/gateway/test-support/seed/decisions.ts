// The links' decisions, with the exact notes the customer was sent: link_decision.
import { ACCESS_READ_ONLY, REJECTION_NOTES, METER_ACCEPTED, noteText } from '../../src/exchange/notes.ts';
import type { RejectionRule } from '../../src/vocabulary/gateway-events.ts';
import type { SeedContext, SeedLinks } from './context.ts';
import { CONFLICT_PERIODS, hours } from './context.ts';

export async function seedDecisions(ctx: SeedContext, links: SeedLinks): Promise<void> {
  const { db, now } = ctx;
  await db
    .insertInto('link_decision')
    .values([
      {
        link_id: links.revokedLink,
        decided_at: hours(now, 2400),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
      {
        link_id: links.revokedLink,
        decided_at: hours(now, 1000),
        decision: 'revoked',
        rule: 'meter-unshared',
        note: null,
        operator: null,
      },
      {
        link_id: links.pausedLink,
        decided_at: hours(now, 300),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
      {
        link_id: links.pausedLink,
        decided_at: hours(now, 30),
        decision: 'paused',
        rule: 'access-read-only',
        note: noteText(ACCESS_READ_ONLY),
        operator: null,
      },
      {
        link_id: links.rejectedLink,
        decided_at: hours(now, 950),
        decision: 'rejected',
        rule: 'invoice-not-latest',
        note: noteText(REJECTION_NOTES['invoice-not-latest']),
        operator: null,
      },
      {
        link_id: links.guideLink,
        decided_at: new Date('2023-04-19T19:24:00Z'),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
      {
        link_id: links.conflictLink,
        decided_at: hours(now, 590),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
      {
        link_id: links.conflictLink,
        decided_at: hours(now, 20),
        decision: 'conflict',
        rule: 'customer-data-overlap',
        note: `${CONFLICT_PERIODS[6]![0]}..${CONFLICT_PERIODS[6]![1]}`,
        operator: null,
      },
      {
        link_id: links.conflict2Link,
        decided_at: hours(now, 580),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
      {
        link_id: links.conflict2Link,
        decided_at: hours(now, 20),
        decision: 'conflict',
        rule: 'customer-data-overlap',
        note: null,
        operator: null,
      },
      ...[
        [links.supersededLink, 300, 'meter-not-on-account'],
        [links.malformedLink, 6, 'invalid-account-number'],
        [links.lockedOutLink, 0.5, 'locked-out'],
      ].map(([id, h, rule]) => ({
        link_id: id as number,
        decided_at: hours(now, h as number),
        decision: 'rejected' as const,
        rule: rule as RejectionRule,
        note: noteText(REJECTION_NOTES[rule as keyof typeof REJECTION_NOTES]),
        operator: null,
      })),
      {
        link_id: links.freshLink,
        decided_at: hours(now, 290),
        decision: 'accepted',
        rule: null,
        note: noteText(METER_ACCEPTED),
        operator: null,
      },
    ])
    .execute();
}
