// <meterData> (a page of consumption entries, or the ids of created ones) and <meterConsumption>.
import type { ConsumptionEntry, Link, MeterData } from '../types.ts';
import type { XmlElement } from './codec.ts';
import {
  XmlDocumentError,
  attr,
  buildDocument,
  child,
  children,
  compact,
  optBool,
  optText,
  parseDocument,
  text,
} from './codec.ts';
import { buildAudit, buildLinks, parseAudit, parseLinks } from './common.ts';

/** ESPM takes at most this many entries in one POST, and pages consumption by the same number. */
export const MAX_ENTRIES_PER_DOCUMENT = 120;

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;

function decimal(node: XmlElement, name: string, where: string): string {
  const v = text(node, name, where);
  if (!DECIMAL.test(v)) throw new XmlDocumentError(`<${where}/${name}> is "${v}", not a decimal`);
  return v;
}

export function parseConsumptionEntry(node: XmlElement, where = 'meterConsumption'): ConsumptionEntry {
  const entry: ConsumptionEntry = {
    startDate: text(node, 'startDate', where),
    endDate: text(node, 'endDate', where),
    usage: decimal(node, 'usage', where),
  };
  for (const key of ['id', 'cost', 'percentRenewableNaturalGas', 'energyExportedOffSite'] as const) {
    const v = optText(node, key);
    if (v) entry[key] = v;
  }
  const estimated = optBool(attr(node, 'estimatedValue'), `<${where}@estimatedValue>`);
  if (estimated !== undefined) entry.estimatedValue = estimated;
  const audit = parseAudit(child(node, 'audit'));
  if (audit) entry.audit = audit;
  return entry;
}

export function buildConsumptionEntry(e: ConsumptionEntry): XmlElement {
  return compact({
    '@_estimatedValue': e.estimatedValue,
    id: e.id,
    startDate: e.startDate,
    endDate: e.endDate,
    usage: e.usage,
    cost: e.cost,
    energyExportedOffSite: e.energyExportedOffSite,
    percentRenewableNaturalGas: e.percentRenewableNaturalGas,
    audit: buildAudit(e.audit),
  });
}

export function parseMeterData(xml: string): MeterData {
  const root = parseDocument(xml, 'meterData');
  return {
    entries: children(root, 'meterConsumption').map((n) =>
      parseConsumptionEntry(n, 'meterData/meterConsumption'),
    ),
    links: parseLinks(root),
  };
}

export function buildMeterData(entries: ConsumptionEntry[], links: Link[] = []): string {
  if (entries.length > MAX_ENTRIES_PER_DOCUMENT) {
    throw new RangeError(`a meterData document holds at most ${MAX_ENTRIES_PER_DOCUMENT} entries`);
  }
  return buildDocument(
    'meterData',
    compact({ meterConsumption: entries.map(buildConsumptionEntry), links: buildLinks(links) }),
  );
}

export function parseMeterConsumption(xml: string): ConsumptionEntry {
  return parseConsumptionEntry(parseDocument(xml, 'meterConsumption'));
}

export function buildMeterConsumption(e: ConsumptionEntry): string {
  return buildDocument('meterConsumption', buildConsumptionEntry(e));
}
