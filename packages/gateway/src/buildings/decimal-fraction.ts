// Exact fractions of a cubic metre for prorating: a billed volume has at most 3 decimals, so volumes
// are counted in litres (integers) and a prorated share is a fraction of them. Nothing is rounded
// before a month's total is complete (buildings/monthly-totals.ts).

/** num/den litres, den > 0, reduced. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

export const ZERO: Fraction = { num: 0n, den: 1n };

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

export function fraction(num: bigint, den: bigint): Fraction {
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

export function add(a: Fraction, b: Fraction): Fraction {
  return a.den === b.den
    ? fraction(a.num + b.num, a.den)
    : fraction(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** a > b */
export function greater(a: Fraction, b: Fraction): boolean {
  return a.num * b.den > b.num * a.den;
}

export function isPositive(a: Fraction): boolean {
  return a.num > 0n;
}

/** Decimal text of m³ (at most 3 decimals, validated by the billing import) as litres. */
export function litresOf(volumeM3: string): bigint {
  const m = /^(\d+)(?:\.(\d{0,3}))?$/.exec(volumeM3.trim());
  if (!m) throw new RangeError(`"${volumeM3}" is not a volume in m³ with at most 3 decimals`);
  return BigInt(m[1]!) * 1000n + BigInt((m[2] ?? '').padEnd(3, '0'));
}

/** The fraction of litres as m³ with 3 decimals, rounded half up (volumes are never negative). */
export function roundedCubicMetres(litres: Fraction): string {
  const rounded = (litres.num * 2n + litres.den) / (2n * litres.den);
  const text = rounded.toString().padStart(4, '0');
  return `${text.slice(0, -3)}.${text.slice(-3)}`;
}

export function subtract(a: Fraction, b: Fraction): Fraction {
  return add(a, { num: -b.num, den: b.den });
}

export function sameFraction(a: Fraction, b: Fraction): boolean {
  return a.num === b.num && a.den === b.den;
}

/** "num/den", as a release records it (building-releases.ts). */
export function fractionText(a: Fraction): string {
  return `${a.num}/${a.den}`;
}

export function parseFraction(text: string): Fraction {
  const m = /^(-?\d+)\/(\d+)$/.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a fraction`);
  return fraction(BigInt(m[1]!), BigInt(m[2]!));
}
