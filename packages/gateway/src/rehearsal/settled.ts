// "What ESPM settled": the facts no EPA document settles, as this run saw them in the recorded
// exchanges, each beside what the simulator does (packages/espm-simulator/README.md), so that a
// difference seen in ESPM's test environment is a simulator change to make.
import { isDeepStrictEqual } from 'node:util';
import type { Words } from './customer-side.ts';
import type { RecordedExchange } from './exchange-recorder.ts';

export const FACT_IDS = [
  'consumption-post-answer',
  'empty-list',
  'pending-meter-aggregate',
  'rate-limit',
  'read-only-write',
] as const;
export type FactId = (typeof FACT_IDS)[number];

/** One kind of answer ESPM gave (or the simulator gives) to one of the questions. */
export type FactAnswer =
  | { kind: 'entries-with-dates' }
  | { kind: 'links-with-ids' }
  | { kind: 'links-ids-in-paths' }
  | { kind: 'no-link-no-entry' }
  | { kind: 'empty-list-200' }
  | { kind: 'empty-list-404' }
  | { kind: 'aggregate-meter-carried' }
  | { kind: 'aggregate-meter-absent' }
  | { kind: 'rate-limited'; retryAfter: boolean }
  | { kind: 'status'; status: number }
  | { kind: 'no-answer' };

export interface ObservedFact {
  id: FactId;
  /** The kinds of answer seen, in the order first seen; none when this run met no such answer. */
  seen: FactAnswer[];
  /** The exchanges that show it (their numbers in the report). */
  exchanges: number[];
}

export type ObservedFacts = Record<FactId, ObservedFact>;

/** What the simulator answers (its README's "Choices where ESPM's behaviour is unknown"). */
export const SIMULATOR_ANSWERS: Record<FactId, FactAnswer[]> = {
  'consumption-post-answer': [{ kind: 'links-ids-in-paths' }],
  'empty-list': [{ kind: 'empty-list-200' }],
  'pending-meter-aggregate': [{ kind: 'aggregate-meter-absent' }],
  'rate-limit': [{ kind: 'rate-limited', retryAfter: false }],
  'read-only-write': [{ kind: 'status', status: 403 }],
};

export function answerWords(a: FactAnswer): Words {
  switch (a.kind) {
    case 'entries-with-dates':
      return { fr: 'les entrées, avec leurs dates', en: 'the entries, with their dates' };
    case 'links-with-ids':
      return { fr: 'des liens portant un attribut id', en: 'links with an id attribute' };
    case 'links-ids-in-paths':
      return {
        fr: 'des liens seulement, les id dans leurs chemins',
        en: 'links only, the ids in their paths',
      };
    case 'no-link-no-entry':
      return { fr: 'ni lien ni entrée', en: 'no link and no entry' };
    case 'empty-list-200':
      return { fr: 'HTTP 200, une liste vide', en: 'HTTP 200, an empty list' };
    case 'empty-list-404':
      return { fr: 'HTTP 404', en: 'HTTP 404' };
    case 'aggregate-meter-carried':
      return { fr: '<aggregateMeter> dans <meterInfo>', en: '<aggregateMeter> in <meterInfo>' };
    case 'aggregate-meter-absent':
      return { fr: 'pas de <aggregateMeter> dans <meterInfo>', en: 'no <aggregateMeter> in <meterInfo>' };
    case 'rate-limited':
      return a.retryAfter
        ? { fr: 'HTTP 429 avec Retry-After', en: 'HTTP 429 with Retry-After' }
        : { fr: 'HTTP 429 sans Retry-After', en: 'HTTP 429 without Retry-After' };
    case 'status':
      return { fr: `HTTP ${a.status}`, en: `HTTP ${a.status}` };
    case 'no-answer':
      return { fr: 'aucune réponse', en: 'no answer' };
  }
}

/** Whether the run saw what the simulator does: undefined when it saw nothing to compare. */
export function sameAsSimulator(fact: ObservedFact): boolean | undefined {
  return fact.seen.length ? isDeepStrictEqual(fact.seen, SIMULATOR_ANSWERS[fact.id]) : undefined;
}

const pathOf = (x: RecordedExchange): string => x.path.split('?')[0]!;
const LIST_PATHS = /\/(connect\/account|share\/property|share\/meter)\/pending\/list$|\/notification\/list$/;

function distinct(answers: FactAnswer[]): FactAnswer[] {
  return answers.filter((a, i) => answers.findIndex((b) => isDeepStrictEqual(a, b)) === i);
}

function fact(id: FactId, shown: Array<[RecordedExchange, FactAnswer]>): ObservedFact {
  return { id, seen: distinct(shown.map(([, a]) => a)), exchanges: shown.map(([x]) => x.seq) };
}

function postAnswer(body: string): FactAnswer {
  if (/<meterConsumption/.test(body) && /<startDate>/.test(body)) return { kind: 'entries-with-dates' };
  if (/<link\b[^>]*\bid="/.test(body)) return { kind: 'links-with-ids' };
  if (/<link\b/.test(body)) return { kind: 'links-ids-in-paths' };
  return { kind: 'no-link-no-entry' };
}

export function observeFacts(xs: RecordedExchange[]): ObservedFacts {
  const post = xs.find(
    (e) => e.method === 'POST' && /\/meter\/[^/]+\/consumptionData$/.test(pathOf(e)) && e.status === 200,
  );
  const emptyLists = xs.filter(
    (e) =>
      e.method === 'GET' &&
      LIST_PATHS.test(pathOf(e)) &&
      (e.status === 404 ||
        (e.status === 200 && !/<(account|property|meter|notification)\b/.test(e.responseBody))),
  );
  const meterLists = xs.filter(
    (e) =>
      e.method === 'GET' &&
      /\/share\/meter\/pending\/list$/.test(pathOf(e)) &&
      /<meterInfo\b/.test(e.responseBody),
  );
  const readOnlyWrite = xs.find((e) => e.step === 'read-only write' && e.method === 'POST');
  return {
    'consumption-post-answer': fact(
      'consumption-post-answer',
      post ? [[post, postAnswer(post.responseBody)]] : [],
    ),
    'empty-list': fact(
      'empty-list',
      emptyLists.map((e) => [e, { kind: e.status === 404 ? 'empty-list-404' : 'empty-list-200' }]),
    ),
    'pending-meter-aggregate': fact(
      'pending-meter-aggregate',
      meterLists.map((e) => [
        e,
        {
          kind: /<aggregateMeter>/.test(e.responseBody)
            ? 'aggregate-meter-carried'
            : 'aggregate-meter-absent',
        },
      ]),
    ),
    'rate-limit': fact(
      'rate-limit',
      xs
        .filter((e) => e.status === 429)
        .map((e) => [
          e,
          { kind: 'rate-limited', retryAfter: e.responseHeaders['retry-after'] !== undefined },
        ]),
    ),
    'read-only-write': fact(
      'read-only-write',
      readOnlyWrite
        ? [
            [
              readOnlyWrite,
              readOnlyWrite.status === 'no answer'
                ? { kind: 'no-answer' }
                : { kind: 'status', status: readOnlyWrite.status },
            ],
          ]
        : [],
    ),
  };
}
