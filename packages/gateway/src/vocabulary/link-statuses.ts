// A meter link's statuses and decisions (exchange/link-state.ts moves a link between them and records
// each decision), and the statuses the console lists links by.

/** In the console's order (lists, filters, counts). */
export const LINK_STATUSES = ['accepted', 'pending', 'conflict', 'paused', 'rejected', 'revoked'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

/**
 * A status as links are listed: the store's, with the rejections a later accepted share of the same
 * ESPM meter superseded set apart (the customer fixed the mistake; nothing is left to do). Derived, never
 * stored: exchange/superseded.ts decides it.
 */
export type ShownStatus = LinkStatus | 'superseded';
/** In the console's order: superseded rejections right after the others. */
export const SHOWN_STATUSES: readonly ShownStatus[] = LINK_STATUSES.flatMap((s): ShownStatus[] =>
  s === 'rejected' ? [s, 'superseded'] : [s],
);

/** What each entry of a link's history records (link_decision). */
export type LinkDecision =
  'accepted' | 'rejected' | 'revoked' | 'conflict' | 'resolved' | 'paused' | 'resumed' | 'renewed';
