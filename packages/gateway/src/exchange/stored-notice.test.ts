import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readNotice, storedNotice } from './stored-notice.ts';

describe('a link’s stored notice', () => {
  it('reads back the value stored, with its parameters', () => {
    const notice = { code: 'periods-before-first-bill-date', periods: 3 } as const;
    assert.deepEqual(readNotice(storedNotice(notice)), notice);
  });

  it('keeps a notice stored as text by an earlier version, as it was written', () => {
    assert.deepEqual(readNotice('periods-before-first-bill-date:2'), {
      code: 'legacy-text',
      text: 'periods-before-first-bill-date:2',
    });
  });
});
