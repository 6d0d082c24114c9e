// What the gateway's services did, as typed values: the journal's events (log/gateway-event.ts stores
// them, the console words them with one exhaustive function per language), with the codes they carry:
// the links' (exchange/link-state.ts, exchange/share-rules.ts), the buildings' (buildings/privacy-rule.ts,
// month-release.ts), the scheduler's queues, the journal's statuses, operator roles and ESPM's errors.

export const SERVICES = [
  'ConnectionManager',
  'PropertyShareManager',
  'MeterConnectionManager',
  'ConsumptionUpdater',
  'NotificationWatcher',
  'BillingImport',
  'Operator',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The running counts of one billing import: each row read lands in exactly one of these. */
export interface ImportRowCounts {
  /** Rows that billed a period for the first time. */
  inserted: number;
  /** Rows that corrected a billed period. */
  updated: number;
  /** Rows that cancelled a period. */
  cancelled: number;
  /** Rows whose period already held these values. */
  unchanged: number;
  /** Rows replaced by a later row of the same import for the same period. */
  replaced: number;
}

export interface BillingImportCounts extends ImportRowCounts {
  importId: number;
  read: number;
  rejected: number;
  /** Meters whose billed consumption changed. */
  meters: number;
}

export interface EntryCounts {
  created: number;
  updated: number;
  deleted: number;
  adopted: number;
}

export type GatewayEvent =
  /** A connection, a property share or a meter share accepted. */
  | { kind: 'accepted' }
  /** A meter share rejected for the first rule it failed. */
  | { kind: 'rejected'; rule: RejectionRule }
  /** A link ended: nothing more is sent to its ESPM meter. `detail`: e.g. the HTTP status that showed it. */
  | { kind: 'revoked'; reason: RevocationReason; detail?: string }
  /** Nothing more is sent to the ESPM meter until the customer gives Read Write back. */
  | { kind: 'paused'; cause: PauseCause; detail?: string }
  /** Read Write is back: sending resumes with what was billed meanwhile. */
  | { kind: 'resumed' }
  /** An operator renewed a link fed by an aggregation code (a paused one sends again). */
  | { kind: 'renewed' }
  /** Consumption entries written to (or found in) one ESPM meter by one run. */
  | ({ kind: 'sent' } & EntryCounts)
  /** Periods held back because the customer's own entries overlap them (listed in the link's decision). */
  | { kind: 'conflict'; periods: number }
  /** `type`: ESPM's notification type code, one of NOTIFICATION_TYPES or any other ESPM may add. */
  | { kind: 'notification'; type: string; linksRevoked: number; linksPaused?: number; linksResumed?: number }
  /** ESPM answered with an error of this kind. */
  | { kind: 'espm-error'; error: EspmErrorKind; message: string }
  /** Anything else that went wrong. */
  | { kind: 'failed'; message: string }
  | { kind: 'settings-pushed'; created: number; updated: number; unchanged: number }
  | { kind: 'resync-requested' }
  | { kind: 'conflict-resolved'; choice: ConflictChoice }
  | { kind: 'account-unlocked' }
  /**
   * An agent looked up a billing account in the console (subject: the account number): whether the
   * ownership proof was shown, and what the caller's read-out numbers matched when the agent checked them.
   */
  | { kind: 'account-looked-up'; proofShown: boolean; invoiceMatched?: boolean; meterMatched?: boolean }
  /** An operator downloaded one of the console's lists as CSV (personal information leaves the console). */
  | { kind: 'list-exported'; list: ExportedList }
  | { kind: 'run-requested'; queue: QueueName }
  | { kind: 'run-done'; queue: QueueName; failures: Array<{ service: ServiceName; error: string }> }
  /** Whole-building data (docs/buildings.md): a building defined, premises added to it (subject: the building). */
  | { kind: 'building-created' }
  | { kind: 'premises-added'; premises: number }
  | { kind: 'premise-removed'; premise: string }
  | { kind: 'building-closed'; premises: number }
  /** An aggregation code issued or revoked for the building (never the code itself). */
  | { kind: 'code-issued'; codeId: number }
  | { kind: 'code-revoked'; codeId: number }
  /**
   * A change to a month already written in the building's aggregate meter may not be seen (privacy
   * rule): ESPM keeps the value written; or such a change, alone or with others, now may (released).
   */
  | { kind: 'revision-withheld'; month: string; reason: RevisionWithheldReason }
  | { kind: 'revision-released'; month: string }
  /** An administrator managed an operator in the console (subject: the operator's username). */
  | { kind: 'operator-added'; role: OperatorRole }
  | { kind: 'operator-role-changed'; role: OperatorRole; from: OperatorRole }
  | { kind: 'operator-password-reset' }
  | { kind: 'operator-disabled' }
  /** A billing import finished (`problem`: the file was unusable, nothing of it stored). */
  | ({ kind: 'billing-import'; problem?: string } & BillingImportCounts);

export type GatewayEventKind = GatewayEvent['kind'];

/** The first rule a meter share failed. */
export type RejectionRule =
  | 'locked-out'
  | 'missing-field'
  | 'invalid-account-number'
  | 'invalid-invoice-number'
  | 'invalid-meter-number'
  | 'invalid-initial-load'
  | 'unknown-account'
  | 'meter-not-on-account'
  | 'invoice-not-latest'
  | 'not-natural-gas'
  | 'unsupported-unit'
  | 'read-only-access'
  // Whole-building data (docs/buildings.md):
  | 'numbers-and-code'
  | 'invalid-aggregation-code'
  | 'not-aggregate-meter'
  | 'building-below-threshold';

/**
 * Why a link is paused. Access: the meter is Read Only for the provider, learnt from ESPM's SHAREUPDATE
 * notification or a reading of the meter's access level, or from ESPM refusing a write (403); these
 * resume when ESPM gives Read Write again. Billing: after the property's transfer, the billing system
 * shows another account on the link's meter; only an operator resumes it (transfers.ts).
 */
export type PauseCause =
  | AccessPauseCause
  | 'billing-account-changed'
  /** A link fed by an aggregation code that no operator renewed in time (building-links.ts). */
  | 'renewal-due';
export type AccessPauseCause = 'access-read-only' | 'write-refused';

/** Why a link stopped: each removal of access, and the operator's own revocation. */
export type RevocationReason =
  | 'meter-unshared'
  | 'property-unshared'
  | 'customer-disconnected'
  /** Links a transfer ended before transfers keep sending (kept for their history). */
  | 'property-transferred'
  /** Links revoked before Read Only paused them instead (kept for their history). */
  | 'access-downgraded'
  | 'access-lost'
  | 'share-withdrawn'
  | 'superseded'
  /** Accepted on an aggregation code, then GET /meter showed it is not an aggregate meter. */
  | 'not-aggregate-meter'
  | 'operator'
  /** The building's aggregation code that the link was accepted with was revoked (building-links.ts). */
  | 'code-revoked';

/**
 * How an operator ends a conflict: keep the customer's entries (those periods are never sent), or
 * replace them (deleted in ESPM, the gateway's periods sent instead).
 */
export type ConflictChoice = 'keep-customer' | 'replace';

/** Why a link holds periods back for an operator: the customer's own entries in ESPM overlap them. */
export type ConflictRule = 'customer-data-overlap';

/** What a link's reason (meter_link.reason_code) or an entry of its history (link_decision.rule) holds. */
export type LinkReason = RejectionRule | RevocationReason | PauseCause | ConflictRule | ConflictChoice;

/** Why the privacy rule keeps a building's month from ESPM. */
export type PrivacyFailure = 'too-few-customers' | 'dominant-customer';

/** Why a change to a month already written in ESPM is not sent. */
export type RevisionWithheldReason = PrivacyFailure | 'revision-limit';

/** The console's lists an operator may download as CSV. */
export type ExportedList =
  'meters' | 'rejections' | 'lockouts' | 'contacts' | 'journal' | 'buildings' | 'billing-imports';

/** The notification types ESPM documents (a notification of another type is journaled as it came). */
export const NOTIFICATION_TYPES = ['UNSHARE', 'SHAREUPDATE', 'DISCONNECT', 'TRANSFERPROPERTY'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** The scheduler's queues (jobs/queues.ts says which services each runs). */
export type QueueName = 'espm-requests' | 'espm-notifications' | 'espm-consumption';

export type LogStatus = 'done' | 'error';

export type OperatorRole = 'admin' | 'operator' | 'viewer';

/**
 * The kinds of ESPM's errors as the journal records them; the ESPM client's own EspmErrorKind must
 * stay assignable to it (log/gateway-event.ts errorEvent fails the type check otherwise).
 */
export type EspmErrorKind =
  | 'rejected'
  | 'unauthorized'
  | 'access-lost'
  | 'rate-limited'
  | 'unavailable'
  | 'timeout'
  | 'network'
  | 'malformed';
