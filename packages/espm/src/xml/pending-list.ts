// <pendingList>: the pending connection, property share and meter share requests (authorization.xsd).
// Its children are xs:sequence, so the builder emits them in schema order.
import type {
  Link,
  PendingConnection,
  PendingList,
  PendingMeterShare,
  PendingPropertyShare,
} from '../types.ts';
import { ACCESS_LEVELS } from '../types.ts';
import type { XmlElement } from './codec.ts';
import {
  buildDocument,
  child,
  children,
  compact,
  oneOf,
  optText,
  parseDocument,
  XmlDocumentError,
} from './codec.ts';
import {
  buildAccountInfo,
  buildAudit,
  buildCustomFieldValues,
  buildLinks,
  nextPageOf,
  parseAccountInfo,
  parseAudit,
  parseCustomFieldValues,
  parseLinks,
  requiredId,
} from './common.ts';
import { buildMeterInfo, parseMeterInfo } from './meter.ts';
import { buildPropertyInfo, parsePropertyInfo } from './property.ts';

function parseConnection(node: XmlElement): PendingConnection {
  const where = 'pendingList/account';
  const c: PendingConnection = {
    accountId: requiredId(node, 'accountId', where),
    username: optText(node, 'username') ?? '',
    customFields: parseCustomFieldValues(child(node, 'customFieldList')),
    accountInfo: parseAccountInfo(child(node, 'accountInfo'), where),
  };
  const audit = parseAudit(child(node, 'connectionAudit'));
  if (audit) c.connectionAudit = audit;
  return c;
}

function required(node: XmlElement, name: string, where: string): XmlElement {
  const c = child(node, name);
  if (!c) throw new XmlDocumentError(`<${where}> lacks <${name}>`);
  return c;
}

function parsePropertyShare(node: XmlElement): PendingPropertyShare {
  const where = 'pendingList/property';
  const s: PendingPropertyShare = {
    propertyId: requiredId(node, 'propertyId', where),
    customFields: parseCustomFieldValues(child(node, 'customFieldList')),
    accessLevel: oneOf(optText(node, 'accessLevel'), ACCESS_LEVELS, `<${where}/accessLevel>`),
    accountId: requiredId(node, 'accountId', where),
    username: optText(node, 'username') ?? '',
    propertyInfo: parsePropertyInfo(required(node, 'propertyInfo', where), `${where}/propertyInfo`),
  };
  const audit = parseAudit(child(node, 'shareAudit'));
  if (audit) s.shareAudit = audit;
  return s;
}

function parseMeterShare(node: XmlElement): PendingMeterShare {
  const where = 'pendingList/meter';
  const s: PendingMeterShare = {
    meterId: requiredId(node, 'meterId', where),
    propertyId: requiredId(node, 'propertyId', where),
    accountId: requiredId(node, 'accountId', where),
    customFields: parseCustomFieldValues(child(node, 'customFieldList')),
    accessLevel: oneOf(optText(node, 'accessLevel'), ACCESS_LEVELS, `<${where}/accessLevel>`),
    propertyInfo: parsePropertyInfo(required(node, 'propertyInfo', where), `${where}/propertyInfo`),
  };
  const username = optText(node, 'username');
  if (username) s.username = username;
  const meterInfo = child(node, 'meterInfo');
  if (meterInfo) s.meterInfo = parseMeterInfo(meterInfo, `${where}/meterInfo`);
  const audit = parseAudit(child(node, 'shareAudit'));
  if (audit) s.shareAudit = audit;
  return s;
}

export function parsePendingList(xml: string): PendingList {
  const root = parseDocument(xml, 'pendingList');
  const links = parseLinks(root);
  const list: PendingList = {
    accounts: children(root, 'account').map(parseConnection),
    properties: children(root, 'property').map(parsePropertyShare),
    meters: children(root, 'meter').map(parseMeterShare),
  };
  const next = nextPageOf(links);
  if (next) list.nextPage = next;
  return list;
}

function customFieldList(values: PendingConnection['customFields']): XmlElement | undefined {
  return values.length ? buildCustomFieldValues(values) : undefined;
}

export function buildPendingList(list: PendingList, links: Link[] = []): string {
  return buildDocument(
    'pendingList',
    compact({
      account: list.accounts.map((a) =>
        compact({
          accountId: a.accountId,
          username: a.username,
          customFieldList: customFieldList(a.customFields),
          accountInfo: buildAccountInfo(a.accountInfo),
          connectionAudit: buildAudit(a.connectionAudit),
        }),
      ),
      property: list.properties.map((p) =>
        compact({
          propertyId: p.propertyId,
          customFieldList: customFieldList(p.customFields),
          accessLevel: p.accessLevel,
          accountId: p.accountId,
          username: p.username,
          propertyInfo: buildPropertyInfo(p.propertyInfo),
          shareAudit: buildAudit(p.shareAudit),
        }),
      ),
      meter: list.meters.map((m) =>
        compact({
          meterId: m.meterId,
          propertyId: m.propertyId,
          accountId: m.accountId,
          username: m.username,
          customFieldList: customFieldList(m.customFields),
          accessLevel: m.accessLevel,
          propertyInfo: buildPropertyInfo(m.propertyInfo),
          meterInfo: m.meterInfo ? buildMeterInfo(m.meterInfo) : undefined,
          shareAudit: buildAudit(m.shareAudit),
        }),
      ),
      links: buildLinks(links),
    }),
  );
}
