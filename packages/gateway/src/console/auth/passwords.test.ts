import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts';
import { tokensMatch } from './sessions.ts';

describe('console passwords', () => {
  it('hashes with scrypt and a salt per hash, and verifies', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    assert.match(a, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('correct horse battery staple', a), true);
    assert.equal(await verifyPassword('correct horse battery stapl', a), false);
    assert.equal(await verifyPassword('x', 'plain-text'), false);
  });

  it('generates readable random passwords', () => {
    const p = generatePassword();
    assert.equal(p.length, 20);
    assert.match(p, /^[a-zA-Z2-9]+$/);
    assert.doesNotMatch(p, /[l1O0I]/);
    assert.notEqual(generatePassword(), p);
  });

  it('compares tokens in constant time and refuses anything but the same string', () => {
    assert.equal(tokensMatch('abc', 'abc'), true);
    assert.equal(tokensMatch('abc', 'abd'), false);
    assert.equal(tokensMatch('abc', 'abcd'), false);
    assert.equal(tokensMatch('abc', undefined), false);
    assert.equal(tokensMatch('abc', ['abc']), false);
  });
});
