import type { Meter } from '../types.ts';
import { ACCESS_LEVELS } from '../types.ts';
import type { XmlElement } from './codec.ts';
import {
  bool,
  buildDocument,
  child,
  compact,
  oneOf,
  optBool,
  optText,
  parseDocument,
  text,
} from './codec.ts';
import { buildAudit, parseAudit } from './common.ts';

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
  const metered = optBool(optText(node, 'metered'), `<${where}/metered>`);
  if (metered !== undefined) meter.metered = metered;
  const aggregate = optBool(optText(node, 'aggregateMeter'), `<${where}/aggregateMeter>`);
  if (aggregate !== undefined) meter.aggregateMeter = aggregate;
  const level = optText(node, 'accessLevel');
  if (level) meter.accessLevel = oneOf(level, ACCESS_LEVELS, `<${where}/accessLevel>`);
  const audit = parseAudit(child(node, 'audit'));
  if (audit) meter.audit = audit;
  return meter;
}

export function buildMeterInfo(m: Meter): XmlElement {
  return compact({
    id: m.id,
    type: m.type,
    name: m.name,
    metered: m.metered,
    unitOfMeasure: m.unitOfMeasure,
    firstBillDate: m.firstBillDate,
    inUse: m.inUse,
    inactiveDate: m.inactiveDate,
    otherDescription: m.otherDescription,
    accessLevel: m.accessLevel,
    aggregateMeter: m.aggregateMeter,
    audit: buildAudit(m.audit),
  });
}

export function parseMeter(xml: string): Meter {
  return parseMeterInfo(parseDocument(xml, 'meter'), 'meter');
}

export function buildMeter(m: Meter): string {
  return buildDocument('meter', buildMeterInfo(m));
}
