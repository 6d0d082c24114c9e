// Escaping in the templates: values are text unless they are already Html.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, join, query, toString, trusted } from './html.ts';

// Under another name, so that the formatter leaves these exact strings alone.
const h = html;

describe('html templates', () => {
  it('escapes every interpolated value', () => {
    const org = '<script>alert(1)</script>';
    assert.equal(toString(h`<td>${org}</td>`), '<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    assert.equal(
      toString(h`<a title="${`" onmouseover="x`}" href='${"' x='y"}'>`),
      `<a title="&quot; onmouseover=&quot;x" href='&#39; x=&#39;y'>`,
    );
    assert.equal(escapeHtml('a & b ` c'), 'a &amp; b &#96; c');
  });

  it('keeps nested templates, joins arrays, and renders nothing for null, undefined and false', () => {
    const rows = ['<1>', '<2>'].map((x) => h`<li>${x}</li>`);
    assert.equal(toString(h`<ul>${rows}</ul>`), '<ul><li>&lt;1&gt;</li><li>&lt;2&gt;</li></ul>');
    assert.equal(toString(h`${null}${undefined}${false}${0}${'x'}`), '0x');
    assert.equal(toString(join(['<a>', h`<b>`], ', ')), '&lt;a&gt;, <b>');
    assert.equal(toString(trusted('<hr>')), '<hr>');
  });

  it('never treats a look-alike object as trusted markup', () => {
    const fake = { text: '<script>alert(1)</script>' } as unknown as string;
    assert.equal(toString(h`${fake}`), '[object Object]');
  });

  it('builds query strings with encoded values and without empty parameters', () => {
    assert.equal(query({ q: 'a b&c', status: undefined, page: 2, x: '' }), '?q=a+b%26c&page=2');
    assert.equal(query({}), '');
  });
});
