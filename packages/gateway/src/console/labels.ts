// Codes of the store shown as words in the view's language.
import type { Html } from './html.ts';
import { html } from './html.ts';
import type { GatewayEvent } from '../log/gateway-event.ts';
import { readNotice } from '../exchange/stored-notice.ts';
import { codeText, eventText, linkReasonText, noticeText } from './i18n/index.ts';
import type { CodeFamilies, CodeFamily } from './i18n/index.ts';
import type { LinkReason } from '../vocabulary/gateway-events.ts';
import type { View } from './layout.ts';

export function reasonText(v: View, code: LinkReason | null | undefined): string {
  return linkReasonText(v.lang, code);
}

/** The log's "Résultat" column: "157127890 (Accepté)". */
export function logResult(v: View, subject: string | null, event: GatewayEvent): Html {
  const text = eventText(v.lang, event);
  if (!subject) return html`${text}`;
  return html`<span class="mono">${subject}</span> (${text})`;
}

export function notice(v: View, stored: string | null | undefined): string {
  return stored ? noticeText(v.lang, readNotice(stored)) : '';
}

export function code<F extends CodeFamily>(
  v: View,
  family: F,
  value: CodeFamilies[F] | null | undefined,
): string {
  return value ? codeText(v.lang, family, value) : '';
}

export function customerName(c: { first_name: string; last_name: string } | undefined | null): string {
  return c ? `${c.first_name} ${c.last_name}`.trim() : '';
}

/**
 * A log line's details in words (the stored details column is English, for psql): the counts of a
 * sync, a conflict, a notification or a settings push, a billing import's counts with a link to it and
 * its problem translated; ESPM's answer and a failure's message are quoted as they came, labelled.
 * Empty when the event has nothing to add to its result.
 */
export function logDetails(v: View, event: GatewayEvent): Html | '' {
  switch (event.kind) {
    case 'sent':
      return html`${v.t('details.sent', { created: event.created, updated: event.updated, deleted: event.deleted, adopted: event.adopted })}`;
    case 'conflict':
      return html`${v.t('details.conflict', { n: event.periods })}`;
    case 'notification':
      return event.linksRevoked ? html`${v.t('details.notification', { n: event.linksRevoked })}` : '';
    case 'settings-pushed':
      return html`${v.t('details.settings-pushed', { created: event.created, updated: event.updated, unchanged: event.unchanged })}`;
    case 'revoked':
      return event.detail ? html`${v.t('details.revoked', { detail: event.detail })}` : '';
    case 'espm-error':
      return html`${v.t('details.espm', { message: event.message })}`;
    case 'failed':
      return html`${v.t('details.failed', { message: event.message })}`;
    case 'run-done':
      return event.failures.length
        ? html`${event.failures.map((f) => html`<span class="sub">${v.t('details.run-failure', { service: f.service, error: f.error })}</span>`)}`
        : '';
    case 'billing-import': {
      const text = v.t('billing.details', {
        importId: event.importId ?? 0,
        read: event.read ?? 0,
        inserted: event.inserted ?? 0,
        updated: event.updated ?? 0,
        cancelled: event.cancelled ?? 0,
        unchanged: event.unchanged ?? 0,
        replaced: event.replaced ?? 0,
        rejected: event.rejected ?? 0,
        meters: event.meters ?? 0,
      });
      const problem = event.problem ? ` ${v.t('billing.problem', { problem: event.problem })}` : '';
      return event.importId
        ? html`<a href="/facturation/${event.importId}">${text}</a>${problem}`
        : html`${text}${problem}`;
    }
    default:
      return '';
  }
}
