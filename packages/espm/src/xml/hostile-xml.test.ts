// Hostile documents from ESPM's side (or something in between): each is refused or bounded with an
// XmlDocumentError, quickly, and nothing in it is ever resolved.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DOCUMENT_BYTES, XmlDocumentError } from './codec.ts';
import { parsePendingList } from './pending-list.ts';
import { parseResponse } from './response.ts';

const LIMIT_MS = 1000;

function timed<T>(f: () => T): { ms: number; result?: T; error?: unknown } {
  const t0 = performance.now();
  try {
    const result = f();
    return { ms: performance.now() - t0, result };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

function refused(f: () => unknown, message: RegExp): void {
  const r = timed(f);
  assert.ok(
    r.error instanceof XmlDocumentError,
    `expected an XmlDocumentError, got ${String(r.error ?? 'a result')}`,
  );
  assert.match(r.error.message, message);
  assert.ok(r.ms < LIMIT_MS, `took ${r.ms.toFixed(0)} ms`);
}

function meter(i: number): string {
  return (
    `<meter><meterId>${i}</meterId><propertyId>2</propertyId><accountId>3</accountId>` +
    '<accessLevel>Read Write</accessLevel><propertyInfo><isFederalProperty>false</isFederalProperty>' +
    '<occupancyPercentage>100</occupancyPercentage></propertyInfo></meter>'
  );
}

describe('hostile XML', () => {
  it('refuses the billion laughs without expanding anything', () => {
    let dtd = '<!ENTITY lol0 "lol">';
    for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
    refused(
      () =>
        parsePendingList(`<?xml version="1.0"?><!DOCTYPE lolz [${dtd}]><pendingList>&lol9;</pendingList>`),
      /DOCTYPE/,
    );
    // Lower case, and with the DOCTYPE after a comment: the same refusal.
    refused(
      () => parsePendingList(`<!--x--><!doctype lolz [${dtd}]><pendingList>&lol9;</pendingList>`),
      /DOCTYPE/,
    );
  });

  it('refuses external entities (file:///etc/passwd, parameter entities) and resolves none', () => {
    const external = [
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><response status="Ok"><id>&x;</id></response>',
      '<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd"><response status="Ok"/>',
      '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><response status="Ok"/>',
      '<!ENTITY x SYSTEM "file:///etc/passwd"><response status="Ok"/>',
    ];
    for (const xml of external) {
      const r = timed(() => parseResponse(xml));
      assert.ok(r.error instanceof XmlDocumentError, xml);
      assert.doesNotMatch(r.error.message, /root:/);
    }
    // Without a DTD, an entity reference is text at most: never the file.
    const r = timed(() => parseResponse('<response status="Ok"><id>&x;</id></response>'));
    assert.doesNotMatch(JSON.stringify(r.result ?? String(r.error)), /root:/);
  });

  it('refuses a 20 MB document before parsing it', () => {
    const filler = '<meterId>1</meterId>'.repeat(Math.ceil((20 * 1024 * 1024) / 20));
    const xml = `<pendingList><meter>${filler}</meter></pendingList>`;
    assert.ok(xml.length > MAX_DOCUMENT_BYTES);
    refused(() => parsePendingList(xml), /larger than/);
  });

  it('reads characters XML 1.0 cannot carry (U+0000, other C0 controls, lone surrogates) as U+FFFD', () => {
    const xml =
      '<pendingList><meter><meterId>1</meterId><propertyId>2</propertyId><accountId>3</accountId>' +
      '<username>a\u0000b\u000bc\ud800d</username><accessLevel>Read Write</accessLevel>' +
      '<propertyInfo><isFederalProperty>false</isFederalProperty><occupancyPercentage>100</occupancyPercentage>' +
      '</propertyInfo></meter></pendingList>';
    const page = parsePendingList(xml);
    assert.equal(page.meters[0]?.username, 'a\ufffdb\ufffdc\ufffdd');
  });

  it('counts the bound in bytes, not characters', () => {
    const name = 'é'.repeat(Math.ceil(MAX_DOCUMENT_BYTES / 2) + 10);
    const xml = `<pendingList><meter><meterId>1</meterId><name>${name}</name></meter></pendingList>`;
    assert.ok(xml.length < MAX_DOCUMENT_BYTES);
    refused(() => parsePendingList(xml), /larger than/);
  });

  it('refuses 10,000-deep nesting', () => {
    const xml = '<pendingList>' + '<a>'.repeat(10_000) + '</a>'.repeat(10_000) + '</pendingList>';
    refused(() => parsePendingList(xml), /nested deeper/);
    const selfClosing =
      '<pendingList>' + '<a x="1">'.repeat(10_000) + '</a>'.repeat(10_000) + '</pendingList>';
    refused(() => parsePendingList(selfClosing), /nested deeper/);
  });

  it('bounds a pending list of 100,000 meters: refused by size, as one page must never be that large', () => {
    const xml = `<pendingList>${Array.from({ length: 100_000 }, (_, i) => meter(i)).join('')}</pendingList>`;
    refused(() => parsePendingList(xml), /larger than/);
  });

  it('parses a large page under the size bound within the time limit', () => {
    const n = Math.floor(MAX_DOCUMENT_BYTES / meter(99_999).length / 16);
    const xml = `<pendingList>${Array.from({ length: n }, (_, i) => meter(i)).join('')}</pendingList>`;
    const r = timed(() => parsePendingList(xml));
    assert.equal(r.error, undefined);
    assert.equal(r.result?.meters.length, n);
    assert.ok(r.ms < 3 * LIMIT_MS, `${n} meters took ${r.ms.toFixed(0)} ms`);
    console.log(
      `# hostile-xml: ${n} pending meters (${(xml.length / 1e6).toFixed(1)} MB) parsed in ${r.ms.toFixed(0)} ms`,
    );
  });
});
