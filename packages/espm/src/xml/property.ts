import type { PropertyInfo } from '../types.ts';
import type { XmlElement } from './codec.ts';
import {
  attr,
  bool,
  buildDocument,
  child,
  compact,
  oneOf,
  optText,
  parseDocument,
  present,
  text,
} from './codec.ts';
import { buildAddress, buildAudit, parseAccessAndAudit, parseAddress } from './common.ts';

export function parsePropertyInfo(node: XmlElement, where: string): PropertyInfo {
  const info: PropertyInfo = {
    isFederalProperty: bool(optText(node, 'isFederalProperty'), `<${where}/isFederalProperty>`),
    occupancyPercentage: text(node, 'occupancyPercentage', where),
  };
  for (const key of [
    'name',
    'primaryFunction',
    'constructionStatus',
    'yearBuilt',
    'numberOfBuildings',
    'notes',
  ] as const) {
    const v = optText(node, key);
    if (v !== undefined) info[key] = v;
  }
  const gfa = child(node, 'grossFloorArea');
  if (gfa) {
    info.grossFloorArea = {
      units: oneOf(
        attr(gfa, 'units'),
        ['Square Feet', 'Square Meters'] as const,
        `<${where}/grossFloorArea@units>`,
      ),
      value: optText(gfa, 'value') ?? '',
    };
  }
  const address = parseAddress(child(node, 'address'), `${where}/address`);
  return Object.assign(info, present({ address }), parseAccessAndAudit(node, where));
}

export function buildPropertyInfo(p: PropertyInfo): XmlElement {
  return compact({
    name: p.name,
    constructionStatus: p.constructionStatus,
    primaryFunction: p.primaryFunction,
    grossFloorArea: p.grossFloorArea
      ? { '@_units': p.grossFloorArea.units, '@_temporary': 'false', value: p.grossFloorArea.value }
      : undefined,
    yearBuilt: p.yearBuilt,
    address: p.address ? buildAddress(p.address) : undefined,
    numberOfBuildings: p.numberOfBuildings,
    isFederalProperty: p.isFederalProperty,
    occupancyPercentage: p.occupancyPercentage,
    notes: p.notes,
    accessLevel: p.accessLevel,
    audit: buildAudit(p.audit),
  });
}

export function parseProperty(xml: string): PropertyInfo {
  return parsePropertyInfo(parseDocument(xml, 'property'), 'property');
}

export function buildProperty(p: PropertyInfo): string {
  return buildDocument('property', buildPropertyInfo(p));
}
