// Both languages have every message, every code of the store has words, and placeholders match.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDENTITY_RULES } from '../../exchange/share-rules.ts';
import { REJECTION_NOTES } from '../../exchange/notes.ts';
import type { RevocationReason } from '../../exchange/link-state.ts';
import { formatDay, formatMoment, formatNumber } from '../format.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';
import { DICTIONARIES, noticeText, outcomeText, refusalText, ruleOrReason, translator } from './index.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

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
      'operator',
    ];
    for (const lang of ['fr', 'en'] as const) {
      for (const code of [...Object.keys(REJECTION_NOTES), ...IDENTITY_RULES, ...reasons]) {
        assert.notEqual(ruleOrReason(lang, code), code, `${lang} ${code}`);
      }
      for (const s of ['pending', 'accepted', 'rejected', 'conflict', 'revoked']) {
        assert.ok(`status.${s}` in DICTIONARIES[lang], s);
      }
    }
    const t = translator('fr');
    assert.equal(t('logStatus.done'), 'Terminé');
    assert.equal(t('logStatus.error'), 'Erreur');
    assert.equal(translator('en')('logStatus.done'), 'Done');
    assert.equal(outcomeText('fr', 'accepted'), 'Accepté');
    assert.equal(outcomeText('en', 'accepted'), 'Accepted');
    assert.equal(outcomeText('fr', 'rejected:invoice-not-latest'), 'Refusé : Facture autre que la dernière');
    assert.equal(outcomeText('en', 'revoked:meter-unshared'), 'Revoked: Meter unshared by the customer');
    assert.equal(outcomeText('fr', 'notification:UNSHARE'), 'Notification : partage retiré');
    assert.equal(outcomeText('en', 'notification:SOMETHINGNEW'), 'Notification: SOMETHINGNEW');
    assert.equal(outcomeText('en', 'espm-rate-limited'), 'ESPM error: too many requests');
    assert.equal(
      outcomeText('fr', 'conflict-resolved:keep-customer'),
      'Conflit résolu : données du client conservées',
    );
    assert.equal(
      outcomeText('en', 'run-requested:espm-requests'),
      'Run requested: ESPM requests (connections, properties, meters)',
    );
    assert.equal(
      outcomeText('fr', 'imported-with-rejections'),
      'Facturation importée avec des lignes rejetées',
    );
    assert.equal(outcomeText('en', 'brand-new-code'), 'brand-new-code');
    assert.match(noticeText('fr', 'periods-before-first-bill-date:3'), /^3 période/);
    assert.equal(refusalText('en', 'this link is not in conflict'), 'this meter is not in conflict.');
    assert.equal(refusalText('fr', 'an unknown refusal'), 'an unknown refusal');
  });

  it('shows moments in Montréal time as YYYY-MM-DD HH:mm, billing dates as they are', () => {
    assert.equal(formatMoment(new Date('2023-04-19T19:24:00Z')), '2023-04-19 15:24');
    assert.equal(formatMoment(new Date('2023-01-15T05:07:00Z')), '2023-01-15 00:07');
    assert.equal(formatMoment(null), '');
    assert.equal(formatDay('2023-04-08'), '2023-04-08');
    assert.equal(formatDay(new Date('2023-04-20T02:00:00Z')), '2023-04-19');
    assert.equal(formatNumber('en', '1234.5'), '1,234.5');
    assert.equal(formatNumber('fr', '1234.5').replace(/\s/g, ' '), '1 234,5');
  });
});
