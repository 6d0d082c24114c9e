// Aggregation codes: 80 random bits written as 16 characters of Crockford's base32 (digits and
// letters but I, L, O, U), so that a code read aloud or retyped is not mistaken. Only the SHA-256 of
// a code's canonical form is stored; the code itself is shown once, when issued.
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 16;

export function newAggregationCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) {
    code = ALPHABET[Number(bits & 31n)]! + code;
    bits >>= 5n;
  }
  return code;
}

/**
 * The code as typed, in its canonical form: case ignored, spaces and hyphens dropped, and the letters
 * Crockford reads as digits (I and L as 1, O as 0) read so. Undefined when it cannot be a code.
 */
export function canonicalCode(typed: string): string | undefined {
  const code = typed
    .normalize('NFC')
    .replace(/[\s\u00a0\u2007\u202f\-\u2010-\u2015\u2212]/g, '')
    .toUpperCase()
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (code.length !== CODE_LENGTH) return undefined;
  for (const c of code) if (!ALPHABET.includes(c)) return undefined;
  return code;
}

export function codeHash(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex');
}
