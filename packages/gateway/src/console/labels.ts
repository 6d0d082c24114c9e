// Codes of the store shown as words in the view's language.
import type { Html } from './html.ts';
import { html } from './html.ts';
import { noticeText, outcomeText, ruleOrReason, translateCode } from './i18n/index.ts';
import type { View } from './layout.ts';

export const QUEUES = ['espm-requests', 'espm-notifications', 'espm-consumption'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Which services each scheduler queue runs (jobs/scheduler.ts). */
export const QUEUE_SERVICES: Record<QueueName, string[]> = {
  'espm-requests': ['ConnectionManager', 'PropertyShareManager', 'MeterConnectionManager'],
  'espm-notifications': ['NotificationWatcher'],
  'espm-consumption': ['ConsumptionUpdater'],
};

export function queueOfService(service: string): QueueName | undefined {
  return QUEUES.find((q) => QUEUE_SERVICES[q].includes(service));
}

export function isQueueName(v: unknown): v is QueueName {
  return typeof v === 'string' && (QUEUES as readonly string[]).includes(v);
}

export function reasonText(v: View, code: string | null | undefined): string {
  return ruleOrReason(v.lang, code);
}

export function outcome(v: View, code: string): string {
  return outcomeText(v.lang, code);
}

/** The log's "Résultat" column: "157127890 (Accepté)". */
export function logResult(v: View, subject: string | null, code: string): Html {
  const text = outcomeText(v.lang, code);
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

/** A log line's details: the billing import's JSON in words (with a link to the import), else as stored. */
export function logDetails(v: View, service: string, details: string): Html {
  if (service === 'BillingImport' && details.startsWith('{')) {
    try {
      const d = JSON.parse(details) as Record<string, string | number | undefined>;
      const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : 0);
      const text = v.t('billing.details', {
        importId: num('importId'),
        read: num('read'),
        inserted: num('inserted'),
        updated: num('updated'),
        cancelled: num('cancelled'),
        unchanged: num('unchanged'),
        replaced: num('replaced'),
        rejected: num('rejected'),
        meters: num('meters'),
      });
      const problem = d.problem ? ` ${v.t('billing.problem', { problem: String(d.problem) })}` : '';
      return d.importId
        ? html`<a href="/facturation/${num('importId')}">${text}</a>${problem}`
        : html`${text}${problem}`;
    } catch {
      // not JSON after all: shown as stored
    }
  }
  return html`<span class="mono">${details}</span>`;
}
