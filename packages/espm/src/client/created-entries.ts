// Which id ESPM gave each consumption entry of a POST. EPA never published that answer: it may echo the
// created entries (with their ids and dates), or give only links whose paths end in the ids, in any
// order. Dates settle it when the answer says them; order only when nothing else can; anything else is
// left for the caller to settle by reading the meter.
import type { ConsumptionEntry, MeterData } from '../types.ts';
import { linkedId, isPagingLink } from '../xml/common.ts';

export type CreatedIds = { ids: string[] } | { unmatched: string };

interface Created {
  id: string | undefined;
  startDate?: string;
  endDate?: string;
}

const period = (e: { startDate?: string; endDate?: string }): string => `${e.startDate}/${e.endDate}`;

export function matchCreatedIds(sent: ConsumptionEntry[], answer: MeterData): CreatedIds {
  const linkIds = answer.links.filter((l) => !isPagingLink(l)).map(linkedId);
  // Echoed entries and links describe the same entries in the same document order when both are given.
  const created: Created[] =
    answer.entries.length > 0
      ? answer.entries.map((e, i) => ({
          id: e.id ?? (linkIds.length === answer.entries.length ? linkIds[i] : undefined),
          startDate: e.startDate,
          endDate: e.endDate,
        }))
      : linkIds.map((id) => ({ id }));

  if (created.length !== sent.length) {
    return { unmatched: `ESPM answered ${created.length} entries for the ${sent.length} sent` };
  }
  if (created.some((c) => c.id === undefined)) {
    return { unmatched: 'ESPM answered an entry without an id' };
  }
  const periods = new Set(sent.map(period));
  const datesSaid = created.every((c) => c.startDate && c.endDate);
  if (datesSaid && periods.size === sent.length) {
    const byPeriod = new Map(created.map((c) => [period(c), c.id!]));
    const ids = sent.map((e) => byPeriod.get(period(e)));
    if (ids.some((id) => id === undefined) || byPeriod.size !== sent.length) {
      return { unmatched: 'the periods ESPM answered are not the periods sent' };
    }
    return { ids: ids as string[] };
  }
  return { ids: created.map((c) => c.id!) };
}
