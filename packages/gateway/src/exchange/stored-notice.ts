// A link's notice as the store keeps it (meter_link.notice): JSON of its value. A text that is not JSON
// was stored by an earlier version and is read back as it is.
import type { LinkNotice } from '../vocabulary/link-notices.ts';

export function storedNotice(notice: LinkNotice): string {
  return JSON.stringify(notice);
}

export function readNotice(stored: string): LinkNotice {
  return stored.startsWith('{') ? (JSON.parse(stored) as LinkNotice) : { code: 'legacy-text', text: stored };
}
