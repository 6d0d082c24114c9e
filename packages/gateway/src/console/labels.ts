// Codes of the store shown as words in the view's language.
import type { Html } from './html.ts';
import { html } from './html.ts';
import type { GatewayEvent } from '../log/gateway-event.ts';
import { eventText, noticeText, ruleOrReason, translateCode } from './i18n/index.ts';
import type { View } from './layout.ts';

export function reasonText(v: View, code: string | null | undefined): string {
  return ruleOrReason(v.lang, code);
}

/** The log's "Résultat" column: "157127890 (Accepté)". */
export function logResult(v: View, subject: string | null, event: GatewayEvent): Html {
  const text = eventText(v.lang, event);
  if (!subject) return html`${text}`;
  return html`<span class="mono">${subject}</span> (${text})`;
}

export function notice(v: View, code: string | null | undefined): string {
  return code ? noticeText(v.lang, code) : '';
}

export function code(v: View, prefix: string, value: string | null | undefined): string {
  return value ? translateCode(v.lang, prefix, value) : '';
}

export function customerName(c: { first_name: string; last_name: string } | undefined | null): string {
  return c ? `${c.first_name} ${c.last_name}`.trim() : '';
}

/** A log line's details: a billing import's counts in words (with a link to the import), else as stored. */
export function logDetails(v: View, event: GatewayEvent, details: string): Html {
  if (event.kind !== 'billing-import') return html`<span class="mono">${details}</span>`;
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
