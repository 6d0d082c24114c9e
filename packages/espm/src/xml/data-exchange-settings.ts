// <dataExchangeSettings>: the provider's terms of use and the meter types it supports (xs:all).
import type { DataExchangeSettings, TermsOfUse } from '../types.ts';
import type { XmlElement } from './codec.ts';
import { buildDocument, child, children, optText, parseDocument } from './codec.ts';

function parseTerms(node: XmlElement | undefined): TermsOfUse {
  if (!node) return { kind: 'none' };
  const url = optText(node, 'url');
  if (url) return { kind: 'url', url };
  const text = optText(node, 'text');
  if (text) return { kind: 'text', text };
  return { kind: 'none' };
}

export function parseDataExchangeSettings(xml: string): DataExchangeSettings {
  const root = parseDocument(xml, 'dataExchangeSettings');
  return {
    termsOfUse: parseTerms(child(root, 'termsOfUse')),
    supportedMeterTypes: children(child(root, 'supportedMeterTypes'), 'meterType').map(
      (m) => optText(m) ?? '',
    ),
  };
}

function buildTerms(terms: TermsOfUse): XmlElement {
  switch (terms.kind) {
    case 'text':
      return { text: terms.text };
    case 'url':
      return { url: terms.url };
    case 'none':
      return { none: '' };
  }
}

export function buildDataExchangeSettings(s: DataExchangeSettings): string {
  return buildDocument('dataExchangeSettings', {
    termsOfUse: buildTerms(s.termsOfUse),
    supportedMeterTypes: { meterType: s.supportedMeterTypes },
  });
}
