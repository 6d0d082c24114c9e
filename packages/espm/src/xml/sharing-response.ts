// <sharingResponse> answers a pending request; <terminateSharingResponse> ends a connection or share.
import type { SharingAction } from '../types.ts';
import { buildDocument, compact, oneOf, optText, parseDocument } from './codec.ts';

export interface SharingResponse {
  action: SharingAction;
  note?: string;
}

/** ESPM limits notes to 1 to 1000 characters. */
export const MAX_NOTE_LENGTH = 1000;

function checkedNote(note: string | undefined): string | undefined {
  if (note === undefined || note === '') return undefined;
  if (note.length > MAX_NOTE_LENGTH) throw new RangeError(`a note has at most ${MAX_NOTE_LENGTH} characters`);
  return note;
}

export function buildSharingResponse(r: SharingResponse): string {
  return buildDocument('sharingResponse', compact({ action: r.action, note: checkedNote(r.note) }));
}

export function parseSharingResponse(xml: string): SharingResponse {
  const root = parseDocument(xml, 'sharingResponse');
  const r: SharingResponse = {
    action: oneOf(optText(root, 'action'), ['Accept', 'Reject'] as const, '<action>'),
  };
  const note = optText(root, 'note');
  if (note) r.note = note;
  return r;
}

export function buildTerminateSharingResponse(note?: string): string {
  return buildDocument('terminateSharingResponse', compact({ note: checkedNote(note) }));
}

export function parseTerminateSharingResponse(xml: string): { note?: string } {
  const note = optText(parseDocument(xml, 'terminateSharingResponse'), 'note');
  return note ? { note } : {};
}
