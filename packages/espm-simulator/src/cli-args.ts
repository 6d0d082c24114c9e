// Turns the command line into SimulatorOptions (kept apart from cli.ts so it can be tested).
import { parseArgs } from 'node:util';
import type { FaultSettings } from './http/faults.ts';
import type { RuleOutcome, SimulatorOptions } from './options.ts';

export const USAGE = `Usage: npm run simulator -- [options]

  --host <host>                     default 127.0.0.1
  --port <port>                     default 0 (any free port)
  --provider-username <name>        default gaz_provider
  --provider-password <password>    default provider-password
  --provider-organization <name>
  --snapshot <file>                 load the state from this JSON file and save it there on change
  --seed <n>                        PRNG seed for faults (default 1)
  --empty                           start without the demo terms and custom fields
  --friendly                        ids on every link and a Retry-After on 429 and during maintenance, instead of
                                    answering as EPA's examples do
  --no-validate                     skip the XSD check of request bodies (faster benchmarks)
  --pending-page-size <n>           default 20
  --consumption-page-size <n>       default 120
  --log                             log every request
 Faults (provider calls on /ws/ and /wstest/ only):
  --latency-ms <ms>  --latency-jitter-ms <ms>
  --rate-limit <requests per second>  --rate-limit-burst <n>
  --error-rate <0..1>  --error-statuses 500,502,503
  --timeout-rate <0..1>  --timeout-after-processing
  --malformed-rate <0..1>
  --maintenance-until <ISO date-time>
  --forbidden-as-404-rate <0..1>
  --empty-lists-404                 an empty consumption, pending or notification list answered 404
                                    (no EPA document says whether ESPM answers 200 or 404)
  --fault-routes "POST /meter/:meterId/consumptionData,GET /notification/list"
 Rules where ESPM's behaviour is unknown:
  --start-before-first-bill error|warning|accept   default accept
  --future-period error|warning|accept             default accept
  --no-meter-accept-accepts-property
  --no-property-reject-closes-meters
  --disconnect-keep-shares-default true|false      default false
`;

const OUTCOMES: readonly RuleOutcome[] = ['error', 'warning', 'accept'];

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} needs a number, not "${v}"`);
  return n;
}

function outcome(name: string, v: string | undefined): RuleOutcome | undefined {
  if (v === undefined) return undefined;
  if (!(OUTCOMES as readonly string[]).includes(v))
    throw new Error(`--${name} is one of ${OUTCOMES.join(', ')}`);
  return v as RuleOutcome;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function parseCliArgs(argv: string[]): SimulatorOptions & { help?: boolean } {
  const s = (type: 'string') => ({ type });
  const b = { type: 'boolean' } as const;
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      host: s('string'),
      port: s('string'),
      'provider-username': s('string'),
      'provider-password': s('string'),
      'provider-organization': s('string'),
      snapshot: s('string'),
      seed: s('string'),
      empty: b,
      friendly: b,
      'empty-lists-404': b,
      'no-validate': b,
      'pending-page-size': s('string'),
      'consumption-page-size': s('string'),
      log: b,
      'latency-ms': s('string'),
      'latency-jitter-ms': s('string'),
      'rate-limit': s('string'),
      'rate-limit-burst': s('string'),
      'error-rate': s('string'),
      'error-statuses': s('string'),
      'timeout-rate': s('string'),
      'timeout-after-processing': b,
      'malformed-rate': s('string'),
      'maintenance-until': s('string'),
      'forbidden-as-404-rate': s('string'),
      'fault-routes': s('string'),
      'start-before-first-bill': s('string'),
      'future-period': s('string'),
      'no-meter-accept-accepts-property': b,
      'no-property-reject-closes-meters': b,
      'disconnect-keep-shares-default': s('string'),
    },
  });
  const keep = v['disconnect-keep-shares-default'];
  if (keep !== undefined && keep !== 'true' && keep !== 'false') {
    throw new Error('--disconnect-keep-shares-default is true or false');
  }
  const faults: Partial<FaultSettings> = defined({
    latencyMs: num('latency-ms', v['latency-ms']),
    latencyJitterMs: num('latency-jitter-ms', v['latency-jitter-ms']),
    rateLimitPerSecond: num('rate-limit', v['rate-limit']),
    rateLimitBurst: num('rate-limit-burst', v['rate-limit-burst']),
    errorRate: num('error-rate', v['error-rate']),
    errorStatuses: v['error-statuses']?.split(',').map((x) => num('error-statuses', x)!),
    timeoutRate: num('timeout-rate', v['timeout-rate']),
    timeoutAfterProcessing: v['timeout-after-processing'],
    malformedRate: num('malformed-rate', v['malformed-rate']),
    maintenanceUntil: v['maintenance-until'],
    forbiddenAs404Rate: num('forbidden-as-404-rate', v['forbidden-as-404-rate']),
    emptyListsAs404: v['empty-lists-404'],
    routes: v['fault-routes']
      ?.split(',')
      .map((r) => r.trim())
      .filter(Boolean),
  });
  return defined({
    help: v.help,
    host: v.host,
    port: num('port', v.port),
    provider: defined({
      username: v['provider-username'],
      password: v['provider-password'],
      organization: v['provider-organization'],
    }),
    snapshotFile: v.snapshot,
    seed: num('seed', v.seed),
    initialSettings: v.empty ? ('empty' as const) : undefined,
    shape: v.friendly ? ('friendly' as const) : undefined,
    validateRequests: v['no-validate'] ? false : undefined,
    pendingPageSize: num('pending-page-size', v['pending-page-size']),
    consumptionPageSize: num('consumption-page-size', v['consumption-page-size']),
    logger: v.log,
    faults,
    rules: defined({
      startBeforeFirstBillDate: outcome('start-before-first-bill', v['start-before-first-bill']),
      futurePeriod: outcome('future-period', v['future-period']),
      acceptMeterShareAcceptsPropertyShare: v['no-meter-accept-accepts-property'] ? false : undefined,
      rejectPropertyShareClosesMeterShares: v['no-property-reject-closes-meters'] ? false : undefined,
      disconnectKeepSharesByDefault: keep === undefined ? undefined : keep === 'true',
    }),
  });
}
