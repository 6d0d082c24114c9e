// The README and docs/ link each other by heading (docs/operations.md#watch): every such link must
// land on a heading that exists, as GitHub names its anchors.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsIn(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));
}

describe('documentation links', () => {
  it('land on headings that exist', () => {
    const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
      f.endsWith('.md'),
    );
    let checked = 0;
    for (const from of files) {
      const text = readFileSync(join(ROOT, from), 'utf8');
      for (const [, target, anchor] of text.matchAll(/\]\(([^)#\s]*\.md)?#([^)\s]+)\)/g)) {
        const file = target ? resolve(dirname(join(ROOT, from)), target) : join(ROOT, from);
        assert.ok(
          anchorsIn(file).has(anchor!),
          `${from} links to ${target ?? ''}#${anchor}, no such heading`,
        );
        checked++;
      }
    }
    assert.ok(checked >= 3, `${checked} links checked`);
  });
});
