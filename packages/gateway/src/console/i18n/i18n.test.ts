// Both languages have every message, every code of the store has words, and placeholders match.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDENTITY_RULES } from '../../exchange/share-rules.ts';
import { REJECTION_NOTES } from '../../exchange/notes.ts';
import type { PauseCause, RevocationReason } from '../../exchange/link-state.ts';
import type { RefusalCode } from '../../exchange/operator-actions.ts';
import { REFUSALS } from '../../exchange/operator-actions.ts';
import type { GatewayEvent } from '../../log/gateway-event.ts';
import type { RejectionRule } from '../../vocabulary/gateway-events.ts';
import { formatDay, formatMoment, formatNumber } from '../format.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';
import { DICTIONARIES, eventText, noticeText, refusalText, linkReasonText, translator } from './index.ts';

const IMPORT_COUNTS = {
  importId: 1,
  read: 10,
  inserted: 8,
  updated: 0,
  cancelled: 0,
  unchanged: 0,
  replaced: 0,
  rejected: 0,
  meters: 8,
};

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)(?:\}|, plural)/g)].map((m) => m[1]).sort();

describe('console i18n', () => {
  it('has the same keys in French and English, none empty, with the same placeholders', () => {
    const frKeys = Object.keys(fr).sort();
    const enKeys = Object.keys(en).sort();
    assert.deepEqual(
      frKeys.filter((k) => !enKeys.includes(k)),
      [],
      'keys missing in English',
    );
    assert.deepEqual(
      enKeys.filter((k) => !frKeys.includes(k)),
      [],
      'keys missing in French',
    );
    for (const key of frKeys) {
      const f = fr[key as keyof typeof fr];
      const e = en[key as keyof typeof en];
      assert.ok(f.trim() && e.trim(), `${key} is empty`);
      assert.deepEqual(placeholders(f), placeholders(e), `${key} placeholders`);
    }
  });

  it('words every rejection rule, revocation reason, status and log outcome in both languages', () => {
    const reasons: RevocationReason[] = [
      'meter-unshared',
      'property-unshared',
      'customer-disconnected',
      'property-transferred',
      'access-downgraded',
      'access-lost',
      'share-withdrawn',
      'superseded',
      'not-aggregate-meter',
      'operator',
      'code-revoked',
    ];
    const causes: PauseCause[] = ['access-read-only', 'write-refused', 'renewal-due'];
    for (const lang of ['fr', 'en'] as const) {
      const rules = Object.keys(REJECTION_NOTES) as RejectionRule[];
      for (const code of [...rules, ...IDENTITY_RULES, ...reasons, ...causes]) {
        assert.notEqual(linkReasonText(lang, code), code, `${lang} ${code}`);
      }
      for (const s of ['pending', 'accepted', 'rejected', 'conflict', 'revoked']) {
        assert.ok(`status.${s}` in DICTIONARIES[lang], s);
      }
    }
    const t = translator('fr');
    assert.equal(t('logStatus.done'), 'Terminé');
    assert.equal(t('logStatus.error'), 'Erreur');
    assert.equal(translator('en')('logStatus.done'), 'Done');
    const events: Array<['fr' | 'en', GatewayEvent, string]> = [
      ['fr', { kind: 'accepted' }, 'Accepté'],
      ['en', { kind: 'accepted' }, 'Accepted'],
      ['fr', { kind: 'rejected', rule: 'invoice-not-latest' }, 'Refusé : Facture autre que la dernière'],
      ['en', { kind: 'revoked', reason: 'meter-unshared' }, 'Revoked: Meter unshared by the customer'],
      ['fr', { kind: 'notification', type: 'UNSHARE', linksRevoked: 1 }, 'Notification : partage retiré'],
      ['en', { kind: 'notification', type: 'SOMETHINGNEW', linksRevoked: 0 }, 'Notification: SOMETHINGNEW'],
      ['en', { kind: 'espm-error', error: 'rate-limited', message: '429' }, 'ESPM error: too many requests'],
      [
        'fr',
        { kind: 'conflict-resolved', choice: 'keep-customer' },
        'Conflit résolu : données du client conservées',
      ],
      [
        'en',
        { kind: 'run-requested', queue: 'espm-requests' },
        'Run requested: ESPM requests (connections, properties, meters)',
      ],
      [
        'fr',
        { kind: 'billing-import', ...IMPORT_COUNTS, rejected: 2 },
        'Facturation importée avec des lignes rejetées',
      ],
    ];
    for (const [lang, event, text] of events) assert.equal(eventText(lang, event), text, event.kind);
    assert.equal(eventText('en', { kind: 'brand-new-code' } as unknown as GatewayEvent), 'brand-new-code');
    assert.match(noticeText('fr', { code: 'periods-before-first-bill-date', periods: 3 }), /^3 période/);
    assert.match(
      noticeText('en', { code: 'periods-before-first-bill-date', periods: 1 }),
      /^1 period before/,
    );
    assert.equal(refusalText('en', 'not-in-conflict'), 'this meter is not in conflict.');
    for (const code of Object.keys(REFUSALS) as RefusalCode[]) {
      assert.notEqual(refusalText('fr', code), refusalText('en', code), code);
    }
  });

  it('shows moments in Montréal time as YYYY-MM-DD HH:mm with the zone in the language, billing dates as they are', () => {
    assert.equal(formatMoment('fr', new Date('2023-04-19T19:24:00Z')), '2023-04-19 15:24 HAE');
    assert.equal(formatMoment('en', new Date('2023-04-19T19:24:00Z')), '2023-04-19 15:24 EDT');
    assert.equal(formatMoment('fr', new Date('2023-01-15T05:07:00Z')), '2023-01-15 00:07 HNE');
    assert.equal(formatMoment('en', new Date('2023-01-15T05:07:00Z')), '2023-01-15 00:07 EST');
    assert.equal(formatMoment('fr', null), '');
    assert.equal(formatDay('2023-04-08'), '2023-04-08');
    assert.equal(formatDay(new Date('2023-04-20T02:00:00Z')), '2023-04-19');
    assert.equal(formatNumber('en', '1234.5'), '1,234.5');
    assert.equal(formatNumber('fr', '1234.5').replace(/\s/g, ' '), '1 234,5');
  });

  it('agrees words with their number, in each language’s way (French: 0 and 1 singular)', () => {
    const fr = translator('fr');
    const en = translator('en');
    const sent = (created: number) => ({ created, updated: 1, deleted: 0, adopted: 2 });
    assert.equal(fr('details.sent', sent(1)), '1 entrée créée, 1 modifiée, 0 supprimée, 2 déjà dans ESPM');
    assert.equal(
      fr('details.sent', sent(23)),
      '23 entrées créées, 1 modifiée, 0 supprimée, 2 déjà dans ESPM',
    );
    assert.equal(en('details.sent', sent(1)), '1 entry created, 1 updated, 0 deleted, 2 already in ESPM');
    assert.equal(en('details.sent', sent(0)), '0 entries created, 1 updated, 0 deleted, 2 already in ESPM');
    assert.match(fr('billing.details', { ...IMPORT_COUNTS, meters: 1 }), /1 compteur touché\.$/);
    assert.match(en('billing.details', IMPORT_COUNTS), /8 meters touched\.$/);
    for (const lang of ['fr', 'en'] as const)
      for (const key of Object.keys(lang === 'fr' ? fr : en))
        assert.doesNotMatch(translator(lang)(key as never), /\((s|es|ies)\)/, `${lang}.${key}`);
  });

  it('keeps French punctuation off the line’s start: no-break spaces before “;” and inside « »', () => {
    const fr = translator('fr');
    assert.equal(fr('flash.revoked'), 'Partage révoqué\u202f; ESPM en a été informé.');
    assert.match(fr('code.howTo'), /«\u00a0compteur agrégé\u00a0»/);
    assert.equal(fr('common.first'), '«\u00a0Début');
    for (const key of Object.keys(fr) as Array<keyof typeof fr>)
      assert.doesNotMatch(translator('fr')(key), /[^\u202f];|« | »/, key);
  });
});
