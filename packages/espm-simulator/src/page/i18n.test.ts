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
});
