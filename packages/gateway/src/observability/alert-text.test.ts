import assert from 'node:assert/strict';
import { formatMoment } from '../console/format.ts';
import { describe, it } from 'node:test';
import type { Lang } from '../console/i18n/index.ts';
import { LANGS } from '../console/i18n/index.ts';
import type { AlertCause, AlertName, AlertStatus } from '../vocabulary/alerts.ts';
import { alertMessages } from './alert-text.ts';

type Cause<A extends AlertName, S extends AlertStatus> = Extract<AlertCause, { alert: A; status: S }>;

// Every alert, firing and resolved (a new one fails the type check here until it has its examples).
const CAUSES: { [A in AlertName]: { firing: Cause<A, 'firing'>[]; resolved: Cause<A, 'resolved'>[] } } = {
  'service-failing': {
    firing: [
      {
        alert: 'service-failing',
        status: 'firing',
        service: 'ConsumptionUpdater',
        failures: 3,
        error: 'connect ECONNREFUSED 10.0.0.7:443',
      },
      { alert: 'service-failing', status: 'firing', service: 'BillingImport', failures: 5, error: null },
      // GATEWAY_ALERT_AFTER_FAILURES=1: a single failure
      {
        alert: 'service-failing',
        status: 'firing',
        service: 'ConsumptionUpdater',
        failures: 1,
        error: 'boom',
      },
    ],
    resolved: [{ alert: 'service-failing', status: 'resolved', service: 'NotificationWatcher' }],
  },
  'espm-unauthorized': {
    firing: [{ alert: 'espm-unauthorized', status: 'firing', route: '/customer/list' }],
    resolved: [{ alert: 'espm-unauthorized', status: 'resolved', route: '/meter/42/consumptionData' }],
  },
  'espm-unavailable': {
    firing: [
      {
        alert: 'espm-unavailable',
        status: 'firing',
        answers: 4,
        httpStatus: 503,
        route: '/connect/account/pending/list',
      },
      // GATEWAY_ALERT_AFTER_FAILURES=1: a single answer
      { alert: 'espm-unavailable', status: 'firing', answers: 1, httpStatus: 502, route: '/customer/list' },
    ],
    resolved: [{ alert: 'espm-unavailable', status: 'resolved', httpStatus: 200, route: '/customer/list' }],
  },
  'billing-stale': {
    firing: [
      {
        alert: 'billing-stale',
        status: 'firing',
        lastImport: '2026-01-08T06:30:00.000Z',
        since: '2026-01-08T06:30:00.000Z',
        ageHours: 50,
        maxHours: 48,
      },
      {
        alert: 'billing-stale',
        status: 'firing',
        lastImport: null,
        since: '2026-01-10T00:00:00.000Z',
        ageHours: 73,
        maxHours: 72,
      },
    ],
    resolved: [{ alert: 'billing-stale', status: 'resolved', lastImport: '2026-01-12T01:00:00.000Z' }],
  },
};

/** The console's words for the services above (console/i18n/fr.ts, en.ts). */
const SERVICE_WORDS: Record<string, Record<Lang, string>> = {
  ConsumptionUpdater: { fr: 'Envoi des consommations', en: 'Consumption sending' },
  BillingImport: { fr: 'Import de facturation', en: 'Billing import' },
  NotificationWatcher: { fr: 'Notifications ESPM', en: 'ESPM notifications' },
};

const ALL: AlertCause[] = Object.values(CAUSES).flatMap((c) => [...c.firing, ...c.resolved]);

describe('the alerts’ words', () => {
  it('word every alert, firing and resolved, in French and in English, with its parameters', () => {
    for (const cause of ALL) {
      const messages = alertMessages(cause);
      const label = JSON.stringify(cause);
      assert.notEqual(messages.fr.trim(), '', label);
      assert.notEqual(messages.en.trim(), '', label);
      assert.notEqual(messages.fr, messages.en, label);
      for (const lang of LANGS) {
        for (const [name, value] of Object.entries(cause)) {
          if (name === 'alert' || name === 'status' || value === null) continue;
          // A service is named by the console's words for it, a moment as the console shows it; the rest
          // is quoted as the cause holds it.
          const expected =
            name === 'service'
              ? SERVICE_WORDS[String(value)]![lang]
              : name === 'since' || name === 'lastImport'
                ? formatMoment(lang, String(value))
                : String(value);
          assert.ok(messages[lang].includes(expected), `${lang} ${name}=${expected}: ${messages[lang]}`);
        }
      }
    }
  });

  it('words each cause differently from the others', () => {
    const texts = ALL.map((c) => alertMessages(c));
    assert.equal(new Set(texts.map((m) => m.fr)).size, ALL.length);
    assert.equal(new Set(texts.map((m) => m.en)).size, ALL.length);
  });

  it('counts one failure or one answer in the singular', () => {
    const failed = alertMessages(CAUSES['service-failing'].firing.find((c) => c.failures === 1)!);
    assert.match(failed.fr, /: 1 échec\u202f; /);
    assert.match(failed.en, /: failed 1 time; /);
    const down = alertMessages(CAUSES['espm-unavailable'].firing.find((c) => c.answers === 1)!);
    assert.match(down.fr, /^ESPM a répondu 1 fois qu’il/);
    assert.match(down.en, /^ESPM answered 1 time that/);
  });

  it('names a known service by its words, an unknown one as it came', () => {
    const known = alertMessages({
      alert: 'service-failing',
      status: 'resolved',
      service: 'ConsumptionUpdater',
    });
    assert.match(known.fr, /^Envoi des consommations : /);
    assert.match(known.en, /^Consumption sending: /);
    const unknown = alertMessages({ alert: 'service-failing', status: 'resolved', service: 'NightlyAudit' });
    assert.match(unknown.fr, /^NightlyAudit : /);
    assert.match(unknown.en, /^NightlyAudit: /);
  });

  it('quotes the error as it came, and spaces the French as French', () => {
    const { fr, en } = alertMessages({
      alert: 'service-failing',
      status: 'firing',
      service: 'ConsumptionUpdater',
      failures: 3,
      error: 'ESPM said "no"\nthen closed',
    });
    assert.ok(en.endsWith('last error: "ESPM said \\"no\\"\\nthen closed"'), en);
    assert.ok(fr.includes('3 échecs de suite\u202f; dernière erreur : "ESPM said'), fr);
  });
});
