// <response>: ESPM's envelope for writes, link lists and errors (response.xsd, xs:sequence).
import type { EspmErrorDetail, EspmResponse, Link } from '../types.ts';
import { attr, buildDocument, child, children, compact, oneOf, optText, parseDocument } from './codec.ts';
import { buildLinks, parseLinks } from './common.ts';

export function parseResponse(xml: string): EspmResponse {
  const root = parseDocument(xml, 'response');
  const res: EspmResponse = {
    status: oneOf(attr(root, 'status'), ['Ok', 'Error'] as const, '<response@status>'),
    links: parseLinks(root),
    errors: children(child(root, 'errors'), 'error').map((e) => ({
      errorNumber: attr(e, 'errorNumber') ?? '',
      errorDescription: attr(e, 'errorDescription') ?? '',
    })),
    warnings: children(child(root, 'warnings'), 'warning').map((w) => ({
      warningNumber: attr(w, 'warningNumber') ?? '',
      warningDescription: attr(w, 'warningDescription') ?? '',
    })),
  };
  const id = optText(root, 'id');
  if (id) res.id = id;
  return res;
}

export function buildOkResponse(options: { id?: string; links?: Link[] } = {}): string {
  return buildDocument(
    'response',
    compact({ '@_status': 'Ok', id: options.id, links: buildLinks(options.links ?? []) }),
  );
}

export function buildErrorResponse(errors: EspmErrorDetail[]): string {
  return buildDocument('response', {
    '@_status': 'Error',
    errors: {
      error: errors.map((e) => ({
        '@_errorNumber': e.errorNumber,
        '@_errorDescription': e.errorDescription,
      })),
    },
  });
}
