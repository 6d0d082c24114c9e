// "What ESPM settled": the facts no EPA document settles, as this run saw them in the recorded
// exchanges, each beside what the simulator does (packages/espm-simulator/README.md), so that a
// difference seen in ESPM's test environment is a simulator change to make.
import type { RecordedExchange } from './exchange-recorder.ts';

export const FACT_IDS = [
  'consumption-post-answer',
  'empty-list',
  'pending-meter-aggregate',
  'rate-limit',
  'read-only-write',
] as const;
export type FactId = (typeof FACT_IDS)[number];

export interface ObservedFact {
  id: FactId;
  /** The kind of answer seen, comparable with the simulator's; undefined when this run did not see one. */
  seen: string | undefined;
  /** The exchanges that show it (their numbers in the report). */
  exchanges: number[];
}

export type ObservedFacts = Record<FactId, ObservedFact>;

/** What the simulator answers, in the same words as `seen` (its README's "Choices where ESPM's behaviour is unknown"). */
export const SIMULATOR_ANSWERS: Record<FactId, string> = {
  'consumption-post-answer': 'links only, the ids in their paths',
  'empty-list': 'HTTP 200, an empty list',
  'pending-meter-aggregate': 'no <aggregateMeter> in <meterInfo>',
  'rate-limit': 'HTTP 429 without Retry-After',
  'read-only-write': 'HTTP 403',
};

const pathOf = (x: RecordedExchange): string => x.path.split('?')[0]!;
const LIST_PATHS = /\/(connect\/account|share\/property|share\/meter)\/pending\/list$|\/notification\/list$/;

function consumptionPostAnswer(xs: RecordedExchange[]): ObservedFact {
  const x = xs.find(
    (e) => e.method === 'POST' && /\/meter\/[^/]+\/consumptionData$/.test(pathOf(e)) && e.status === 200,
  );
  let seen: string | undefined;
  if (x) {
    const body = x.responseBody;
    if (/<meterConsumption/.test(body) && /<startDate>/.test(body)) seen = 'the entries, with their dates';
    else if (/<link\b[^>]*\bid="/.test(body)) seen = 'links with an id attribute';
    else if (/<link\b/.test(body)) seen = 'links only, the ids in their paths';
    else seen = 'no link and no entry';
  }
  return { id: 'consumption-post-answer', seen, exchanges: x ? [x.seq] : [] };
}

/** An empty list: 404, or 200 with nothing listed. */
function emptyList(xs: RecordedExchange[]): ObservedFact {
  const empties = xs.filter(
    (e) =>
      e.method === 'GET' &&
      LIST_PATHS.test(pathOf(e)) &&
      (e.status === 404 ||
        (e.status === 200 && !/<(account|property|meter|notification)\b/.test(e.responseBody))),
  );
  const kinds = [...new Set(empties.map((e) => (e.status === 404 ? 'HTTP 404' : 'HTTP 200, an empty list')))];
  return {
    id: 'empty-list',
    seen: kinds.length ? kinds.join(' and ') : undefined,
    exchanges: empties.map((e) => e.seq),
  };
}

function pendingMeterAggregate(xs: RecordedExchange[]): ObservedFact {
  const lists = xs.filter(
    (e) =>
      e.method === 'GET' &&
      /\/share\/meter\/pending\/list$/.test(pathOf(e)) &&
      /<meterInfo\b/.test(e.responseBody),
  );
  if (!lists.length) return { id: 'pending-meter-aggregate', seen: undefined, exchanges: [] };
  const carried = lists.some((e) => /<aggregateMeter>/.test(e.responseBody));
  return {
    id: 'pending-meter-aggregate',
    seen: carried ? '<aggregateMeter> in <meterInfo>' : 'no <aggregateMeter> in <meterInfo>',
    exchanges: lists.map((e) => e.seq),
  };
}

function rateLimit(xs: RecordedExchange[]): ObservedFact {
  const limited = xs.filter((e) => e.status === 429);
  if (!limited.length) return { id: 'rate-limit', seen: undefined, exchanges: [] };
  const kinds = [
    ...new Set(
      limited.map((e) =>
        e.responseHeaders['retry-after'] !== undefined
          ? 'HTTP 429 with Retry-After'
          : 'HTTP 429 without Retry-After',
      ),
    ),
  ];
  return { id: 'rate-limit', seen: kinds.join(' and '), exchanges: limited.map((e) => e.seq) };
}

function readOnlyWrite(xs: RecordedExchange[]): ObservedFact {
  const x = xs.find((e) => e.step === 'read-only write' && e.method === 'POST');
  return {
    id: 'read-only-write',
    seen: x ? (x.status === 'no answer' ? 'no answer' : `HTTP ${x.status}`) : undefined,
    exchanges: x ? [x.seq] : [],
  };
}

export function observeFacts(exchanges: RecordedExchange[]): ObservedFacts {
  return {
    'consumption-post-answer': consumptionPostAnswer(exchanges),
    'empty-list': emptyList(exchanges),
    'pending-meter-aggregate': pendingMeterAggregate(exchanges),
    'rate-limit': rateLimit(exchanges),
    'read-only-write': readOnlyWrite(exchanges),
  };
}
