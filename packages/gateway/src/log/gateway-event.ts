// What the gateway's services did, as typed values: the one vocabulary of the journal ("Journal de
// passerelle"), the metrics and the structured log. A service reports a GatewayEvent; writeLog stores
// it whole (gateway_log.event) beside its code (gateway_log.outcome, for filters and metric labels) and
// an English line (gateway_log.details, for whoever reads the table with psql). Readers switch on the
// event's kind; nobody parses a code back. The events themselves are declared in the vocabulary.
import { isEspmError } from '@gaz-espm/espm';
import type { GatewayEvent, LogStatus, ServiceName } from '../vocabulary/gateway-events.ts';
export { SERVICES } from '../vocabulary/gateway-events.ts';
export type {
  BillingImportCounts,
  EntryCounts,
  GatewayEvent,
  GatewayEventKind,
  ServiceName,
} from '../vocabulary/gateway-events.ts';

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
    case 'list-exported':
      return `list-exported:${event.list}`;
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
    case 'building-closed':
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
