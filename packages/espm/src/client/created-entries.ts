// Which id ESPM gave each consumption entry of a POST. EPA never published that answer: it may echo the
// created entries (with their ids and dates), or give only links whose paths end in the ids, in any
// order (ESPM lists a meter's entries newest first). Dates settle it: those of the answer when it says
// them, else those of the meter's entries read once after the POST (matchByMeter). The order of the
// answer never does, unless one entry was sent; anything else is left for the caller to settle.
import type { ConsumptionEntry, MeterData } from '../types.ts';
import { linkedId, isPagingLink } from '../xml/common.ts';

/** ids in the order sent; or ESPM's ids whose periods the answer does not say; or why neither. */
export type CreatedIds = PairedIds | { unpaired: string[] };
type PairedIds = { ids: string[] } | { unmatched: string };

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
  if (sent.length === 1) return { ids: [created[0]!.id!] };
  const datesSaid = created.every((c) => c.startDate && c.endDate);
  if (!datesSaid) return { unpaired: created.map((c) => c.id!) };
  return pairByPeriod(sent, created as Array<Created & { id: string }>, 'ESPM answered');
}

/** Pairs the ids of an answer without dates with the periods sent, by the meter's entries of those ids. */
export function matchByMeter(
  sent: ConsumptionEntry[],
  ids: string[],
  meterEntries: ConsumptionEntry[],
): PairedIds {
  const byId = new Map(meterEntries.filter((e) => e.id).map((e) => [e.id!, e]));
  const created = ids.map((id) => ({ id, ...pick(byId.get(id)) }));
  if (created.some((c) => !c.startDate)) {
    return { unmatched: 'the meter does not hold every entry ESPM said it created' };
  }
  return pairByPeriod(sent, created, 'the meter holds');
}

function pick(e: ConsumptionEntry | undefined): { startDate?: string; endDate?: string } {
  return e ? { startDate: e.startDate, endDate: e.endDate } : {};
}

function pairByPeriod(
  sent: ConsumptionEntry[],
  created: Array<Created & { id: string }>,
  source: string,
): PairedIds {
  const byPeriod = new Map(created.map((c) => [period(c), c.id]));
  const ids = sent.map((e) => byPeriod.get(period(e)));
  const distinct = new Set(sent.map(period)).size === sent.length;
  if (!distinct || ids.some((id) => id === undefined) || byPeriod.size !== sent.length) {
    return { unmatched: `the periods ${source} for the new entries are not the periods sent` };
  }
  return { ids: ids as string[] };
}
