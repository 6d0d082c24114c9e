// What the gateway's services did, as typed values: the one vocabulary of the journal ("Journal de
// passerelle"), the metrics and the structured log. A service reports a GatewayEvent; writeLog stores
// it whole (gateway_log.event) beside its code (gateway_log.outcome, for filters and metric labels) and
// an English line (gateway_log.details, for whoever reads the table with psql). Readers switch on the
// event's kind; nobody parses a code back.
import { isEspmError } from '@gaz-espm/espm';
import type { EspmErrorKind } from '@gaz-espm/espm';
import type { ConflictChoice, PauseCause, RevocationReason } from '../exchange/link-state.ts';
import type { RejectionRule } from '../exchange/share-rules.ts';
import type { RevisionWithheldReason } from '../buildings/month-release.ts';
import type { QueueName } from '../jobs/queues.ts';
import type { LogStatus, OperatorRole } from '../store/schema.ts';

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

export interface BillingImportCounts {
  importId: number;
  read: number;
  inserted: number;
  updated: number;
  cancelled: number;
  unchanged: number;
  replaced: number;
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
  | { kind: 'run-requested'; queue: QueueName }
  | { kind: 'run-done'; queue: QueueName; failures: Array<{ service: ServiceName; error: string }> }
  /** Whole-building data (docs/buildings.md): a building defined, premises added to it (subject: the building). */
  | { kind: 'building-created' }
  | { kind: 'premises-added'; premises: number }
  | { kind: 'premise-removed'; premise: string }
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

/** One line of the journal: who did what about which subject (an ESPM meter, account, property, file). */
export interface LogLine {
  service: ServiceName;
  subject?: string | null;
  event: GatewayEvent;
  operator?: string | null;
}

/** The stored code of an event: stable, since filters, metric labels and older lines use it. */
export function outcomeCode(event: GatewayEvent): string {
  switch (event.kind) {
    case 'rejected':
      return `rejected:${event.rule}`;
    case 'revoked':
      return `revoked:${event.reason}`;
    case 'paused':
      return `paused:${event.cause}`;
    case 'notification':
      return `notification:${event.type}`;
    case 'espm-error':
      return `espm-${event.error}`;
    case 'conflict-resolved':
      return `conflict-resolved:${event.choice}`;
    case 'run-requested':
    case 'run-done':
      return `${event.kind}:${event.queue}`;
    case 'billing-import':
      return event.problem ? 'failed' : event.rejected > 0 ? 'imported-with-rejections' : 'imported';
    case 'revision-withheld':
      return `revision-withheld:${event.reason}`;
    default:
      return event.kind;
  }
}

/** Whether the line reports something that went wrong (the journal's status column). */
export function eventStatus(event: GatewayEvent): LogStatus {
  switch (event.kind) {
    case 'espm-error':
    case 'failed':
    case 'conflict':
      return 'error';
    case 'run-done':
      return event.failures.length > 0 ? 'error' : 'done';
    case 'billing-import':
      return event.problem ? 'error' : 'done';
    default:
      return 'done';
  }
}

/** The event in one English line, for the table's details column (the console words the event itself). */
export function eventDetails(event: GatewayEvent): string | null {
  switch (event.kind) {
    case 'revoked':
    case 'paused':
      return event.detail ?? null;
    case 'sent':
      return `created=${event.created} updated=${event.updated} deleted=${event.deleted} adopted=${event.adopted}`;
    case 'conflict':
      return `periods=${event.periods}`;
    case 'notification':
      return [
        `links-revoked=${event.linksRevoked}`,
        ...(event.linksPaused ? [`links-paused=${event.linksPaused}`] : []),
        ...(event.linksResumed ? [`links-resumed=${event.linksResumed}`] : []),
      ].join(' ');
    case 'espm-error':
    case 'failed':
      return event.message;
    case 'settings-pushed':
      return `created=${event.created} updated=${event.updated} unchanged=${event.unchanged}`;
    case 'premises-added':
      return `premises=${event.premises}`;
    case 'premise-removed':
      return `premise=${event.premise}`;
    case 'account-looked-up':
      return [
        `proof-shown=${event.proofShown}`,
        ...(event.invoiceMatched === undefined ? [] : [`invoice-matched=${event.invoiceMatched}`]),
        ...(event.meterMatched === undefined ? [] : [`meter-matched=${event.meterMatched}`]),
      ].join(' ');
    case 'code-issued':
    case 'code-revoked':
      return `code=${event.codeId}`;
    case 'revision-withheld':
    case 'revision-released':
      return `month=${event.month}`;
    case 'operator-added':
      return `role=${event.role}`;
    case 'operator-role-changed':
      return `role=${event.role} from=${event.from}`;
    case 'run-done':
      return event.failures.map((f) => `${f.service}: ${f.error}`).join('\n') || null;
    case 'billing-import': {
      const { kind: _kind, ...counts } = event;
      return JSON.stringify(counts);
    }
    default:
      return null;
  }
}

/** The event an error becomes in the journal: its kind when ESPM answered with an error, else a failure. */
export function errorEvent(e: unknown): GatewayEvent {
  const message = e instanceof Error ? e.message : String(e);
  return isEspmError(e) ? { kind: 'espm-error', error: e.kind, message } : { kind: 'failed', message };
}
