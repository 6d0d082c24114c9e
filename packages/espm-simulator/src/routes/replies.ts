// Small builders for the answers most ESPM routes give.
import { SimError } from '../errors.ts';
import type { Link } from '../espm.ts';
import { buildOkResponse, NEXT_PAGE } from '../espm.ts';
import type { XmlReply } from '../http/espm-route.ts';
import type { ResponseShape } from '../options.ts';

export const xml = (body: string): XmlReply => ({ status: 200, body });

export const ok = (options: { id?: string; links?: Link[] } = {}): XmlReply => xml(buildOkResponse(options));

/** ESPM's "This is the GET url for this X." link to a created or listed resource. */
export function getLink(id: string, path: string, what: string, hint?: string): Link {
  return {
    id,
    link: path,
    httpMethod: 'GET',
    linkDescription: `This is the GET url for this ${what}.`,
    ...(hint !== undefined ? { hint } : {}),
  };
}

/**
 * A link where EPA's examples show none of an id attribute (custom-field list, meter list, POST answers):
 * in the EPA shape the id is only in the path; the friendly shape keeps it.
 */
export function pathOnlyLink(shape: ResponseShape, link: Link): Link {
  if (shape === 'friendly') return link;
  const { id: _id, ...rest } = link;
  return rest;
}

/** The "next page" link, keeping the other query parameters so a filtered list stays filtered. */
export function nextPageLink(
  path: string,
  page: number | undefined,
  keep: Record<string, string | undefined> = {},
): Link[] {
  if (page === undefined) return [];
  const params = new URLSearchParams({ page: String(page) });
  for (const [k, v] of Object.entries(keep)) if (v !== undefined && v !== '') params.set(k, v);
  return [{ linkDescription: NEXT_PAGE, link: `${path}?${params.toString()}`, httpMethod: 'GET' }];
}

export function booleanQuery(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new SimError(400, `${name} must be true or false, not "${value}".`);
}
