// Everything a simulator run can be told, with the defaults it falls back to. The rule switches exist
// because API.md marks the matching ESPM behaviour [INF] or [UNKNOWN]; each default is in README.md.
import type { FaultSettings } from './http/faults.ts';

/** What the simulator does where ESPM's real behaviour is unknown: an error, a warning, or nothing. */
export type RuleOutcome = 'error' | 'warning' | 'accept';

export interface Rules {
  /** Accepting a meter share also accepts the pending share of its property (a client's plan says so). */
  acceptMeterShareAcceptsPropertyShare: boolean;
  /** Rejecting a property share closes its pending meter shares (seen once in wstest). */
  rejectPropertyShareClosesMeterShares: boolean;
  /** A consumption entry that starts before the meter's firstBillDate. */
  startBeforeFirstBillDate: RuleOutcome;
  /** A consumption entry that ends after today. */
  futurePeriod: RuleOutcome;
  /**
   * keepShares when POST /disconnect/account/{id} leaves the parameter out: EPA's connection guide
   * (Part 4) removes the shares only when the flag is set, so leaving it out keeps them.
   */
  disconnectKeepSharesByDefault: boolean;
}

export const DEFAULT_RULES: Rules = {
  acceptMeterShareAcceptsPropertyShare: true,
  rejectPropertyShareClosesMeterShares: true,
  startBeforeFirstBillDate: 'accept',
  futurePeriod: 'accept',
  disconnectKeepSharesByDefault: true,
};

/**
 * How the simulator writes the documents EPA published examples of. 'epa' (the default) answers as those
 * examples do: no id on the links of the custom-field list and of POST answers, where EPA shows none.
 * 'friendly' puts the id on every link, as the simulator first did, so a client can be tested against
 * both.
 */
export type ResponseShape = 'epa' | 'friendly';

export interface ProviderOptions {
  username: string;
  password: string;
  organization: string;
}

export const DEFAULT_PROVIDER: ProviderOptions = {
  username: 'gaz_provider',
  password: 'provider-password',
  organization: 'Gaz Démo (simulateur)',
};

export interface SimulatorOptions {
  host?: string;
  /** 0 picks any free port. */
  port?: number;
  provider?: Partial<ProviderOptions>;
  /** A JSON file the state is loaded from at start and saved to on change, so a demo survives a restart. */
  snapshotFile?: string;
  /** Seeds the fault injector's PRNG (and the 404-instead-of-403 draw) so runs are repeatable. */
  seed?: number;
  faults?: Partial<FaultSettings>;
  rules?: Partial<Rules>;
  /** 20 in ESPM. */
  pendingPageSize?: number;
  /** 120 in ESPM. */
  consumptionPageSize?: number;
  /** XSD-checks every request body (~150 ms each); a benchmark may turn it off. */
  validateRequests?: boolean;
  /** 'demo' starts with terms of use, Natural Gas and the four Québec custom fields; 'empty' with none. */
  initialSettings?: 'demo' | 'empty';
  /** The simulator's idea of now (audit dates, future periods). */
  now?: () => Date;
  /** Fastify request logging. */
  logger?: boolean;
  /** 'epa' unless said. */
  shape?: ResponseShape;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  provider: ProviderOptions;
  snapshotFile: string | undefined;
  seed: number;
  rules: Rules;
  pendingPageSize: number;
  consumptionPageSize: number;
  validateRequests: boolean;
  initialSettings: 'demo' | 'empty';
  now: () => Date;
  logger: boolean;
  shape: ResponseShape;
}

export function resolveOptions(o: SimulatorOptions = {}): ResolvedOptions {
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    provider: { ...DEFAULT_PROVIDER, ...o.provider },
    snapshotFile: o.snapshotFile,
    seed: o.seed ?? 1,
    rules: { ...DEFAULT_RULES, ...o.rules },
    pendingPageSize: o.pendingPageSize ?? 20,
    consumptionPageSize: o.consumptionPageSize ?? 120,
    validateRequests: o.validateRequests ?? true,
    initialSettings: o.initialSettings ?? 'demo',
    now: o.now ?? (() => new Date()),
    logger: o.logger ?? false,
    shape: o.shape ?? 'epa',
  };
}
