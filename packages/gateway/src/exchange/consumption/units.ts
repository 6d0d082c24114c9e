// Billing volumes are m³; ESPM wants usage in the meter's own unit. Conversions are done on exact
// decimals (BigInt), never floats, so 251 m³ is sent as 251 and a conversion never drifts.
import type { NaturalGasUnit } from '@gaz-espm/espm';

// Each unit as a ratio to one m³: [numerator, denominator] of decimal strings.
// Volume units are exact (1 m³ = 35.3147 ft³; ESPM's "MCF" is a MILLION cubic feet). Energy units use
// ESPM's Canadian factor for natural gas, 36.42 kBtu per m³, so ESPM's own totals do not change.
const PER_M3: Record<NaturalGasUnit, [string, string]> = {
  'cm (Cubic meters)': ['1', '1'],
  'cf (cubic feet)': ['35.3147', '1'],
  'ccf (hundred cubic feet)': ['35.3147', '100'],
  'kcf (thousand cubic feet)': ['35.3147', '1000'],
  'MCF(million cubic feet)': ['35.3147', '1000000'],
  'kBtu (thousand Btu)': ['36.42', '1'],
  'MBtu (million Btu)': ['36.42', '1000'],
  therms: ['36.42', '100'],
  GJ: ['36.42', '947.817'],
};

/** Usage decimals sent to ESPM. */
export const USAGE_DECIMALS = 9;

interface Fixed {
  units: bigint;
  scale: number;
}

function toFixed(decimal: string): Fixed {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(decimal.trim());
  if (!m || (m[2] === '' && !m[3])) throw new RangeError(`"${decimal}" is not a decimal`);
  const frac = m[3] ?? '';
  return { units: BigInt(`${m[1]}${m[2] || '0'}${frac}`), scale: frac.length };
}

function render(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? '.' + frac : ''}`;
}

/** volume × num / den, rounded half up to USAGE_DECIMALS. */
export function convertFromCubicMeters(volumeM3: string, unit: NaturalGasUnit): string {
  const [num, den] = PER_M3[unit];
  const v = toFixed(volumeM3);
  const n = toFixed(num);
  const d = toFixed(den);
  // value = v.units·n.units / (d.units) × 10^(d.scale − v.scale − n.scale); scaled to USAGE_DECIMALS.
  const exponent = USAGE_DECIMALS + d.scale - v.scale - n.scale;
  let numerator = v.units * n.units;
  let denominator = d.units;
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator *= 10n ** BigInt(-exponent);
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const rounded = (abs * 2n + denominator) / (2n * denominator);
  return render(negative ? -rounded : rounded, USAGE_DECIMALS);
}

/** Whether two decimal texts are the same number ("251" and "251.000" are). */
export function sameDecimal(a: string, b: string): boolean {
  const x = toFixed(a);
  const y = toFixed(b);
  const scale = Math.max(x.scale, y.scale);
  return x.units * 10n ** BigInt(scale - x.scale) === y.units * 10n ** BigInt(scale - y.scale);
}
