// <customField> definitions (the provider's questions) and <customFieldList> values (the customer's answers).
import type { CustomFieldDefinition, CustomFieldValue } from '../types.ts';
import type { XmlElement } from './codec.ts';
import {
  XmlDocumentError,
  attr,
  bool,
  buildDocument,
  compact,
  oneOf,
  optText,
  parseDocument,
  requiredAttr,
} from './codec.ts';
import { buildCustomFieldValues, parseCustomFieldValues } from './common.ts';

function optInt(node: XmlElement, name: string): number | undefined {
  const v = optText(node, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw new XmlDocumentError(`<customField/${name}> is "${v}", not an integer`);
  return Number(v);
}

export function parseCustomFieldDefinition(xml: string): CustomFieldDefinition {
  const root = parseDocument(xml, 'customField');
  const def: CustomFieldDefinition = {
    name: requiredAttr(root, 'name', 'customField').normalize('NFC'),
    required: bool(attr(root, 'required'), '<customField@required>'),
    validCharacters: oneOf(
      attr(root, 'validCharacters'),
      ['Any', 'Alphanumeric', 'Numeric'] as const,
      '<customField@validCharacters>',
    ),
    whenToPrompt: oneOf(
      attr(root, 'whenToPrompt'),
      ['Once', 'Property', 'Meter'] as const,
      '<customField@whenToPrompt>',
    ),
  };
  for (const key of ['description', 'example', 'url'] as const) {
    const v = optText(root, key);
    if (v) def[key] = v;
  }
  for (const key of ['minChars', 'maxChars', 'displayOrder'] as const) {
    const v = optInt(root, key);
    if (v !== undefined) def[key] = v;
  }
  return def;
}

export function buildCustomFieldDefinition(def: CustomFieldDefinition): string {
  return buildDocument(
    'customField',
    compact({
      '@_name': def.name,
      '@_required': def.required,
      '@_validCharacters': def.validCharacters,
      '@_whenToPrompt': def.whenToPrompt,
      description: def.description,
      example: def.example,
      url: def.url,
      minChars: def.minChars,
      maxChars: def.maxChars,
      displayOrder: def.displayOrder,
    }),
  );
}

export function parseCustomFieldList(xml: string): CustomFieldValue[] {
  return parseCustomFieldValues(parseDocument(xml, 'customFieldList'));
}

export function buildCustomFieldList(values: CustomFieldValue[]): string {
  return buildDocument('customFieldList', buildCustomFieldValues(values));
}
