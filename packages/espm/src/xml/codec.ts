import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** A document that is not well-formed XML, not the expected document, or misses a required value. */
export class XmlDocumentError extends Error {
  override name = 'XmlDocumentError';
}

/** A parsed element: text, or an object of children and `@_`-prefixed attributes. */
export type XmlNode = string | { [key: string]: XmlNode | XmlNode[] | undefined };
export type XmlElement = { [key: string]: XmlNode | XmlNode[] | undefined };

// ESPM documents are small (a page holds 20 pending items or 120 consumption entries, well under 100 KB);
// a larger one is an error or an attack, and is refused before parsing.
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 64;

// Every element that may repeat is always an array, whether ESPM sent one or many. A root element is
// never repeated: <meterConsumption> alone is a document (GET and PUT /consumptionData/{id}).
const REPEATED = new Set(['link', 'error', 'warning', 'notification', 'meterType']);
const REPEATED_PATHS = new Set([
  'pendingList.account',
  'pendingList.property',
  'pendingList.meter',
  'meterData.meterConsumption',
  'meterData.meterDelivery',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // "0012" must stay "0012": every value is kept as text and typed by the document's own parser.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name, jpath) =>
    REPEATED.has(name) ||
    REPEATED_PATHS.has(String(jpath)) ||
    String(jpath).endsWith('customFieldList.customField'),
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  // The builder would otherwise write required="true" as a bare attribute, which is not XML.
  suppressBooleanAttributes: false,
});

// As EPA's examples of today write it (request bodies and answers alike).
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

function checkDepth(xml: string): void {
  let depth = 0;
  const tags = /<(\/?)[A-Za-z_][^>]*?(\/?)>/g;
  for (let m = tags.exec(xml); m; m = tags.exec(xml)) {
    if (m[1]) depth--;
    else if (!m[2]) depth++;
    if (depth > MAX_DEPTH) throw new XmlDocumentError(`XML nested deeper than ${MAX_DEPTH} levels`);
  }
}

/** Parses an ESPM document and returns its root element, refusing DTDs so no entity is ever expanded. */
export function parseDocument(xml: string, root: string): XmlElement {
  // Bytes, as the transport counts them: a string's length counts UTF-16 units, half of some UTF-8 texts.
  if (Buffer.byteLength(xml) > MAX_DOCUMENT_BYTES)
    throw new XmlDocumentError(`XML document larger than ${MAX_DOCUMENT_BYTES} bytes`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new XmlDocumentError('XML with a DOCTYPE or entity declaration is refused');
  checkDepth(xml);
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(xml, true) as Record<string, unknown>;
  } catch (e) {
    throw new XmlDocumentError(`malformed XML: ${(e as Error).message}`);
  }
  const roots = Object.keys(parsed);
  if (!roots.includes(root)) {
    throw new XmlDocumentError(`expected a <${root}> document, got <${roots.join('>, <') || 'nothing'}>`);
  }
  const node = parsed[root];
  return typeof node === 'object' && node !== null ? (node as XmlElement) : {};
}

/** The name of the document's root element, for dispatching on documents of several kinds. */
export function rootName(xml: string): string | undefined {
  return /<([A-Za-z_][\w.-]*)[\s/>]/.exec(xml.replace(/<\?[^>]*\?>/g, ''))?.[1];
}

/** Builds a document; children must be given in schema order where the schema says xs:sequence. */
export function buildDocument(root: string, content: XmlElement): string {
  return DECLARATION + builder.build({ [root]: content });
}

// --- Reading helpers: every parsed value arrives as text, an element object, or an array of them.

export function child(node: XmlElement, name: string): XmlElement | undefined {
  const v = node[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return asElement(v[0]);
  return asElement(v);
}

function asElement(v: XmlNode | undefined): XmlElement | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? { '#text': v } : v;
}

export function children(node: XmlElement | undefined, name: string): XmlElement[] {
  if (!node) return [];
  const v = node[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => asElement(x) ?? {});
}

/** Text content of a child element (or of an element given directly when name is omitted). */
export function optText(node: XmlElement | undefined, name?: string): string | undefined {
  if (!node) return undefined;
  const v = name === undefined ? node : node[name];
  if (v === undefined) return undefined;
  const one = Array.isArray(v) ? v[0] : v;
  if (one === undefined) return undefined;
  if (typeof one === 'string') return xmlCharacters(one);
  const t = one['#text'];
  return typeof t === 'string' ? xmlCharacters(t) : '';
}

// XML 1.0 cannot carry these characters (U+0000 most of all, which PostgreSQL also refuses in text):
// a document that does anyway, from a simulator or a faulty proxy, shows them as U+FFFD, so that no
// value read from ESPM can make storing it fail on every run.
const NOT_XML_CHARACTER =
  // eslint-disable-next-line no-control-regex -- these control characters are what is looked for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function xmlCharacters(value: string): string {
  return value.replace(NOT_XML_CHARACTER, '\uFFFD');
}

export function text(node: XmlElement, name: string, where: string): string {
  const v = optText(node, name);
  if (v === undefined || v === '') throw new XmlDocumentError(`<${where}> lacks <${name}>`);
  return v;
}

export function attr(node: XmlElement, name: string): string | undefined {
  const v = node[`@_${name}`];
  return typeof v === 'string' ? xmlCharacters(v) : undefined;
}

export function requiredAttr(node: XmlElement, name: string, where: string): string {
  const v = attr(node, name);
  if (v === undefined) throw new XmlDocumentError(`<${where}> lacks the ${name} attribute`);
  return v;
}

export function optBool(value: string | undefined, where: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new XmlDocumentError(`${where} is "${value}", not a boolean`);
}

export function bool(value: string | undefined, where: string): boolean {
  const b = optBool(value, where);
  if (b === undefined) throw new XmlDocumentError(`${where} is missing`);
  return b;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], where: string): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new XmlDocumentError(`${where} is "${value ?? ''}", expected one of: ${allowed.join(', ')}`);
}

/** The members a document gave: a parsed type leaves out what is absent rather than holding undefined. */
export function present<T extends object>(members: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(members).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** Drops undefined members so the builder emits nothing for them. */
export function compact(obj: Record<string, XmlNode | XmlNode[] | number | boolean | undefined>): XmlElement {
  const out: XmlElement = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
  }
  return out;
}
