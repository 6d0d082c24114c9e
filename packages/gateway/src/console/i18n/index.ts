// The console's two languages and the translation of the codes the store holds (statuses, rules,
// reasons, journal events, refusals) into words. French is the default.
import type { RefusalCode } from '../../exchange/operator-actions.ts';
import type { GatewayEvent } from '../../log/gateway-event.ts';
import { frenchSpacing } from '../../text/french-spacing.ts';
import type { EntryState, ImportSource, ImportStatus } from '../../store/schema.ts';
import { NOTIFICATION_TYPES } from '../../vocabulary/gateway-events.ts';
import type {
  EspmErrorKind,
  ExportedList,
  LinkReason,
  NotificationType,
  QueueName,
  RevisionWithheldReason,
  ServiceName,
} from '../../vocabulary/gateway-events.ts';
import type { LinkNotice } from '../../vocabulary/link-notices.ts';
import type { LinkDecision, ShownStatus } from '../../vocabulary/link-statuses.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];
export const DEFAULT_LANG: Lang = 'fr';

export type MessageKey = keyof typeof fr;
export type Params = Record<string, string | number>;

// Both dictionaries, typed with the same keys: a key missing in one of them fails the type check.
export const DICTIONARIES = { fr, en } satisfies Record<Lang, Record<MessageKey, string>>;

export function isLang(v: unknown): v is Lang {
  return v === 'fr' || v === 'en';
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(fr, key);
}

const TEXTS: Record<Lang, Record<MessageKey, string>> = {
  fr: Object.fromEntries(Object.entries(fr).map(([k, t]) => [k, frenchSpacing(t)])) as Record<
    MessageKey,
    string
  >,
  en,
};

const PLURALS: Record<Lang, Intl.PluralRules> = {
  fr: new Intl.PluralRules('fr-CA'),
  en: new Intl.PluralRules('en-CA'),
};

/**
 * A message with its values: {name}, and {name, plural, one {# entrée} other {# entrées}} for words
 * that agree with a number (by the language's rules: in French, 0 and 1 take the singular).
 */
function fill(lang: Lang, text: string, params?: Params): string {
  if (!params) return text;
  return text
    .replace(
      /\{(\w+), plural, one \{([^{}]*)\} other \{([^{}]*)\}\}/g,
      (m, name: string, one: string, other: string) => {
        if (!(name in params)) return m;
        const n = Number(params[name]);
        return (PLURALS[lang].select(n) === 'one' ? one : other).replace(/#/g, String(params[name]));
      },
    )
    .replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(lang: Lang): Translate {
  const dict = TEXTS[lang];
  return (key, params) => fill(lang, dict[key], params);
}

/**
 * The families of codes the console words, each typed by the vocabulary that declares it: a code without
 * its words in both languages fails the type check (codeText).
 */
export interface CodeFamilies {
  status: ShownStatus;
  decision: LinkDecision;
  entry: EntryState;
  source: ImportSource;
  importStatus: ImportStatus;
  notification: NotificationType;
  queue: QueueName;
  espm: EspmErrorKind;
  service: ServiceName;
  revisionWithheld: RevisionWithheldReason;
  exportedList: ExportedList;
}
export type CodeFamily = keyof CodeFamilies;
type CodeKey = { [F in CodeFamily]: `${F}.${CodeFamilies[F]}` }[CodeFamily];

/**
 * A code in words. A value the store holds that this version does not know (written by a newer one)
 * is shown as it is, so nothing is hidden from the operator.
 */
export function codeText<F extends CodeFamily>(lang: Lang, family: F, code: CodeFamilies[F]): string {
  const key: MessageKey = `${family}.${code}` as CodeKey;
  return isMessageKey(key) ? TEXTS[lang][key] : code;
}

/** The codes `prefix.code` has words for. */
type WordedCodes<P extends string> = MessageKey extends infer K
  ? K extends `${P}.${infer C}`
    ? C
    : never
  : never;
/** A link's reason without words as a rule or as a reason: `never` while every one has them. */
type UnwordedReason = Exclude<LinkReason, WordedCodes<'rule'> | WordedCodes<'reason'>>;

/** A link's reason (a rejection rule, a pause cause, a revocation reason, a conflict and its choice). */
export function linkReasonText(lang: Lang, code: LinkReason | null | undefined): string {
  if (!code) return '';
  const worded: [UnwordedReason] extends [never] ? LinkReason : never = code;
  for (const key of [`rule.${worded}`, `reason.${worded}`]) if (isMessageKey(key)) return TEXTS[lang][key];
  return code;
}

/**
 * A journal event (log/gateway-event.ts) in words, every kind by name. A kind this console does not know
 * (written by a newer version) is shown as it is, so nothing is hidden from the operator.
 */
export function eventText(lang: Lang, event: GatewayEvent): string {
  const t = (key: MessageKey, params?: Params): string => fill(lang, TEXTS[lang][key], params);
  switch (event.kind) {
    case 'rejected':
      return t('outcome.rejected', { rule: linkReasonText(lang, event.rule) });
    case 'revoked':
      return t('outcome.revoked', { reason: linkReasonText(lang, event.reason) });
    case 'paused':
      return t('outcome.paused', { reason: linkReasonText(lang, event.cause) });
    case 'notification':
      return t('outcome.notification', { type: notificationText(lang, event.type) });
    case 'conflict-resolved':
      return t('outcome.conflict-resolved', { choice: linkReasonText(lang, event.choice) });
    case 'run-requested':
    case 'run-done':
      return t(`outcome.${event.kind}`, { queue: codeText(lang, 'queue', event.queue) });
    case 'revision-withheld':
      return t('outcome.revision-withheld', {
        month: event.month.slice(0, 7),
        reason: codeText(lang, 'revisionWithheld', event.reason),
      });
    case 'revision-released':
      return t('outcome.revision-released', { month: event.month.slice(0, 7) });
    case 'espm-error':
      return t('outcome.espm', { kind: codeText(lang, 'espm', event.error) });
    case 'account-looked-up': {
      const said = (matched: boolean | undefined) =>
        t(matched === undefined ? 'check.notRead' : matched ? 'check.match' : 'check.noMatch');
      return event.invoiceMatched === undefined && event.meterMatched === undefined
        ? t('outcome.account-looked-up')
        : t('outcome.account-checked', {
            invoice: said(event.invoiceMatched),
            meter: said(event.meterMatched),
          });
    }
    case 'list-exported':
      return t('outcome.list-exported', { list: codeText(lang, 'exportedList', event.list) });
    case 'billing-import':
      return t(
        event.problem
          ? 'outcome.import-failed'
          : event.rejected > 0
            ? 'outcome.imported-with-rejections'
            : 'outcome.imported',
      );
    case 'accepted':
    case 'resumed':
    case 'renewed':
    case 'sent':
    case 'conflict':
    case 'failed':
    case 'settings-pushed':
    case 'resync-requested':
    case 'account-unlocked':
    case 'building-created':
    case 'premises-added':
    case 'premise-removed':
    case 'building-closed':
    case 'code-issued':
    case 'code-revoked':
    case 'operator-added':
    case 'operator-role-changed':
    case 'operator-password-reset':
    case 'operator-disabled':
      return t(`outcome.${event.kind}`);
    default: {
      // Every kind is translated above (a new one fails the type check); a line written by a newer
      // version may still hold one this console does not know.
      const unknown: never = event;
      return (unknown as { kind: string }).kind;
    }
  }
}

/** A service of the journal by its name in the language, not its class name. */
export function serviceName(lang: Lang, service: ServiceName): string {
  return codeText(lang, 'service', service);
}

/** ESPM's notification type: in words when ESPM documents it, as it came otherwise. */
function notificationText(lang: Lang, type: string): string {
  const known = NOTIFICATION_TYPES.find((t) => t === type);
  return known ? codeText(lang, 'notification', known) : type;
}

/** A link's notice in words. */
export function noticeText(lang: Lang, notice: LinkNotice): string {
  switch (notice.code) {
    case 'periods-before-first-bill-date':
      return fill(lang, TEXTS[lang]['notice.periods-before-first-bill-date'], { n: notice.periods });
    case 'legacy-text':
      return notice.text;
  }
}

/** Why an operator action was refused (exchange/operator-actions.ts), in words. */
export function refusalText(lang: Lang, code: RefusalCode): string {
  return translator(lang)(`refused.${code}`);
}
