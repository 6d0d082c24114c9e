// The ESPM package's types, enums, codecs and XSD check, imported by path rather than through the
// package's root export: that root also loads the HTTP client, which the simulator never needs.
export type * from '../../espm/src/types.ts';
export { ACCESS_LEVELS } from '../../espm/src/types.ts';
export * from '../../espm/src/enums.ts';
export * from '../../espm/src/xml/index.ts';
export { validateAgainstXsd, SCHEMA_OF_ROOT } from '../../espm/src/xsd/validate.ts';

import type { ConsumptionEntry as Entry } from '../../espm/src/types.ts';
import type { XmlElement as Element } from '../../espm/src/xml/index.ts';
import { parseConsumptionEntry as parseEntry, parseDocument as parseDoc } from '../../espm/src/xml/index.ts';

/**
 * The ESPM codec lists <meterConsumption> among always-repeated elements, so as a document root it
 * parses to an array and parseMeterConsumption finds no children (reported to the espm package's
 * owner). Until that is fixed, the root is unwrapped here.
 */
export function rootElement(xml: string, root: string): Element {
  const node = parseDoc(xml, root) as Element | Element[];
  return Array.isArray(node) ? (node[0] ?? {}) : node;
}

export function decodeMeterConsumption(xml: string): Entry {
  return parseEntry(rootElement(xml, 'meterConsumption'));
}
