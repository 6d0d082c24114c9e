// Pieces shared by several ESPM documents: links, audit, address, account info, custom field values.
import type { AccessLevel, AccountInfo, Address, Audit, CustomFieldValue, Link } from '../types.ts';
import { ACCESS_LEVELS } from '../types.ts';
import type { XmlElement } from './codec.ts';
import {
  XmlDocumentError,
  attr,
  children,
  compact,
  child,
  oneOf,
  optText,
  present,
  requiredAttr,
  text,
} from './codec.ts';

export function parseLinks(node: XmlElement | undefined): Link[] {
  return children(child(node ?? {}, 'links'), 'link').map((l) => {
    const link: Link = { link: requiredAttr(l, 'link', 'link') };
    for (const key of ['id', 'httpMethod', 'linkDescription', 'hint'] as const) {
      const v = attr(l, key);
      if (v !== undefined) link[key] = v;
    }
    return link;
  });
}

export function buildLinks(links: Link[]): XmlElement | undefined {
  if (links.length === 0) return undefined;
  return {
    link: links.map((l) =>
      compact({
        '@_id': l.id,
        '@_link': l.link,
        '@_httpMethod': l.httpMethod,
        '@_linkDescription': l.linkDescription,
        '@_hint': l.hint,
      }),
    ),
  };
}

export const NEXT_PAGE = 'next page';

const PAGING = new Set([NEXT_PAGE, 'previous page']);

/** A "next page" or "previous page" link points at more of the list, not at one of its resources. */
export function isPagingLink(l: Link): boolean {
  return PAGING.has(l.linkDescription?.trim().toLowerCase() ?? '');
}

const ESPM_ID = /^\d{1,19}$/;

/**
 * The id of the resource a link points at. EPA's lists are not uniform: the customer and property lists
 * carry it in `id`, the custom-field and meter lists and the POST answers only as the last segment of the
 * path (`/dataExchangeSettings/customField/46`).
 */
export function linkedId(l: Link): string | undefined {
  if (l.id !== undefined && ESPM_ID.test(l.id)) return l.id;
  const path = l.link.split(/[?#]/)[0]!.replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  return ESPM_ID.test(last) ? last : undefined;
}

/** The links to resources in a list or answer, each with its id; a link without one is an error naming `document`. */
export function resourceLinks(links: Link[], document: string): Array<Link & { id: string }> {
  return links
    .filter((l) => !isPagingLink(l))
    .map((l) => {
      const id = linkedId(l);
      if (id === undefined) {
        throw new XmlDocumentError(
          `${document}: the link "${l.link}" carries no id, neither as id nor in its path`,
        );
      }
      return { ...l, id };
    });
}

export function nextPageOf(links: Link[]): string | undefined {
  return links.find((l) => l.linkDescription?.trim().toLowerCase() === NEXT_PAGE)?.link;
}

const AUDIT_FIELDS = [
  'createdBy',
  'createdByAccountId',
  'createdDate',
  'lastUpdatedBy',
  'lastUpdatedByAccountId',
  'lastUpdatedDate',
] as const;

export function parseAudit(node: XmlElement | undefined): Audit | undefined {
  if (!node) return undefined;
  const audit: Audit = {};
  for (const f of AUDIT_FIELDS) {
    const v = optText(node, f);
    if (v) audit[f] = v;
  }
  return audit;
}

/** What ESPM adds to a property or a meter it answers with: the caller's access level and the audit. */
export function parseAccessAndAudit(
  node: XmlElement,
  where: string,
): { accessLevel?: AccessLevel; audit?: Audit } {
  const level = optText(node, 'accessLevel');
  return present({
    accessLevel: level ? oneOf(level, ACCESS_LEVELS, `<${where}/accessLevel>`) : undefined,
    audit: parseAudit(child(node, 'audit')),
  });
}

export function buildAudit(audit: Audit | undefined): XmlElement | undefined {
  if (!audit) return undefined;
  return compact(Object.fromEntries(AUDIT_FIELDS.map((f) => [f, audit[f]])));
}

const ADDRESS_ATTRS = [
  'address1',
  'address2',
  'city',
  'county',
  'postalCode',
  'state',
  'otherState',
  'country',
] as const;

export function parseAddress(node: XmlElement | undefined, where: string): Address | undefined {
  if (!node) return undefined;
  const address: Address = {
    address1: requiredAttr(node, 'address1', where),
    city: requiredAttr(node, 'city', where),
    postalCode: requiredAttr(node, 'postalCode', where),
    country: requiredAttr(node, 'country', where),
  };
  for (const key of ['address2', 'county', 'state', 'otherState'] as const) {
    const v = attr(node, key);
    if (v !== undefined) address[key] = v;
  }
  return address;
}

export function buildAddress(a: Address): XmlElement {
  return compact(Object.fromEntries(ADDRESS_ATTRS.map((k) => [`@_${k}`, a[k]])));
}

export function parseAccountInfo(node: XmlElement | undefined, where: string): AccountInfo {
  if (!node) throw new XmlDocumentError(`<${where}> lacks <accountInfo>`);
  const address = parseAddress(child(node, 'address'), `${where}/accountInfo/address`);
  if (!address) throw new XmlDocumentError(`<${where}/accountInfo> lacks <address>`);
  const info: AccountInfo = {
    firstName: optText(node, 'firstName') ?? '',
    lastName: optText(node, 'lastName') ?? '',
    email: optText(node, 'email') ?? '',
    address,
    jobTitle: optText(node, 'jobTitle') ?? '',
    phone: optText(node, 'phone') ?? '',
  };
  return { ...info, ...present({ organization: optText(node, 'organization') }) };
}

export function buildAccountInfo(info: AccountInfo): XmlElement {
  return compact({
    firstName: info.firstName,
    lastName: info.lastName,
    email: info.email,
    address: buildAddress(info.address),
    jobTitle: info.jobTitle,
    phone: info.phone,
    organization: info.organization,
  });
}

/** Values are keyed by display name only, so names are NFC-normalised to match however they were typed. */
export function parseCustomFieldValues(list: XmlElement | undefined): CustomFieldValue[] {
  return children(list, 'customField').map((f) => ({
    name: requiredAttr(f, 'name', 'customFieldList/customField').normalize('NFC'),
    value: optText(f) ?? '',
  }));
}

export function buildCustomFieldValues(values: CustomFieldValue[]): XmlElement {
  return { customField: values.map((v) => compact({ '@_name': v.name, '#text': v.value })) };
}

export function requiredId(node: XmlElement, name: string, where: string): string {
  const v = text(node, name, where);
  if (!/^-?\d+$/.test(v)) throw new XmlDocumentError(`<${where}/${name}> is "${v}", not an id`);
  return v;
}
