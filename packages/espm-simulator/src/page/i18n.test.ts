import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe("the customer page's dictionaries", () => {
  it('have the same keys in French and English, none empty', async () => {
    // A plain JS module served to the browser; imported by URL so TypeScript leaves it untyped.
    const { MESSAGES } = (await import(new URL('./i18n.js', import.meta.url).href)) as {
      MESSAGES: Record<'fr' | 'en', Record<string, string>>;
    };
    assert.deepEqual(Object.keys(MESSAGES.en).sort(), Object.keys(MESSAGES.fr).sort());
    for (const lang of ['fr', 'en'] as const) {
      for (const [key, text] of Object.entries(MESSAGES[lang]))
        assert.ok(text.trim(), `${lang}.${key} is empty`);
    }
  });

  it('say a field of one length as such, not "between 12 and 12"', async () => {
    const { MESSAGES, lengthHint } = (await import(new URL('./i18n.js', import.meta.url).href)) as {
      MESSAGES: Record<'fr' | 'en', Record<string, string>>;
      lengthHint: (def: { minChars?: number; maxChars?: number }) => [string, Record<string, number>];
    };
    const say = (lang: 'fr' | 'en', def: { minChars?: number; maxChars?: number }) => {
      const [key, params] = lengthHint(def);
      return MESSAGES[lang][key]!.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k]));
    };
    assert.equal(say('fr', { minChars: 12, maxChars: 12 }), 'Exactement 12 caractères');
    assert.equal(say('en', { minChars: 16, maxChars: 16 }), 'Exactly 16 characters');
    assert.equal(say('fr', { minChars: 10, maxChars: 11 }), 'Entre 10 et 11 caractères');
    assert.equal(say('en', { minChars: 7 }), 'At least 7 characters');
  });
});
