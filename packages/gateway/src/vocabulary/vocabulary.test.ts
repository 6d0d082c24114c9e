// The vocabulary is a leaf: what the gateway says (events, reasons, notices) is declared here and depends on
// nothing, so any module may use it without an import loop, and a second destination reads the same words.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';

const DIR = new URL('./', import.meta.url);
const SOURCES = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('the vocabulary', () => {
  it('has its files', () => {
    for (const file of ['alerts.ts', 'billing-reasons.ts', 'gateway-events.ts', 'link-notices.ts'])
      assert.ok(SOURCES.includes(file), String(SOURCES));
  });

  it('imports nothing, not even types', () => {
    for (const file of SOURCES) {
      const text = readFileSync(new URL(file, DIR), 'utf8');
      assert.doesNotMatch(
        text,
        /^\s*import\b|^\s*export\b[^;]*\bfrom\s*['"]|\bimport\s*\(|\brequire\s*\(/m,
        file,
      );
    }
  });
});
