import type { Meter } from '../types.ts';
import type { XmlElement } from './codec.ts';
import { bool, buildDocument, compact, optBool, optText, parseDocument, present, text } from './codec.ts';
import { buildAudit, parseAccessAndAudit } from './common.ts';

export function parseMeterInfo(node: XmlElement, where: string): Meter {
  const meter: Meter = {
    type: text(node, 'type', where),
    name: optText(node, 'name') ?? '',
    unitOfMeasure: text(node, 'unitOfMeasure', where),
    firstBillDate: text(node, 'firstBillDate', where),
    inUse: bool(optText(node, 'inUse'), `<${where}/inUse>`),
  };
  for (const key of ['id', 'inactiveDate', 'otherDescription'] as const) {
    const v = optText(node, key);
    if (v) meter[key] = v;
  }
  return Object.assign(
    meter,
    present({
      metered: optBool(optText(node, 'metered'), `<${where}/metered>`),
      aggregateMeter: optBool(optText(node, 'aggregateMeter'), `<${where}/aggregateMeter>`),
    }),
    parseAccessAndAudit(node, where),
  );
}

// A meter's elements in the order of the XSD's sequence, before its audit.
const METER_ELEMENTS = [
  'id',
  'type',
  'name',
  'metered',
  'unitOfMeasure',
  'firstBillDate',
  'inUse',
  'inactiveDate',
  'otherDescription',
  'accessLevel',
  'aggregateMeter',
] as const;

export function buildMeterInfo(m: Meter): XmlElement {
  return compact({
    ...Object.fromEntries(METER_ELEMENTS.map((k) => [k, m[k]])),
    audit: buildAudit(m.audit),
  });
}

export function parseMeter(xml: string): Meter {
  return parseMeterInfo(parseDocument(xml, 'meter'), 'meter');
}

export function buildMeter(m: Meter): string {
  return buildDocument('meter', buildMeterInfo(m));
}
