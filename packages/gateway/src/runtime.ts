// Assembles the gateway from its configuration: the store, the ESPM client, the exchange context.
import { EspmClient } from '@gaz-espm/espm';
import type { EspmConfig, GatewayConfig } from './config/config.ts';
import type { ExchangeContext } from './exchange/context.ts';
import { Leases } from './exchange/leases.ts';
import { espmAttempts } from './observability/events.ts';
import type { Store } from './store/database.ts';
import { openStore } from './store/database.ts';

export interface Gateway {
  store: Store;
  espm: EspmClient;
  ctx: ExchangeContext;
  close(): Promise<void>;
}

export function espmClientFor(config: EspmConfig): EspmClient {
  return new EspmClient({
    baseUrl: config.baseUrl,
    username: config.username,
    password: config.password,
    maxRps: config.maxRps,
    maxConcurrency: config.maxConcurrency,
    timeoutMs: config.timeoutMs,
    onAttempt: (a) => espmAttempts.emit(a),
  });
}

export async function openGateway(
  config: GatewayConfig,
  options: { store?: Store; leases?: { seconds?: number; waitForServiceMs?: number } } = {},
): Promise<Gateway> {
  const store =
    options.store ?? (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const espm = espmClientFor(config.espm);
  const leases = new Leases(store.db, options.leases);
  const ctx: ExchangeContext = {
    db: store.db,
    espm,
    providerUsername: config.espm.username,
    sendCost: config.sendCost,
    now: () => new Date(),
    leases,
    privacy: config.privacy,
    renewalMonths: config.renewalMonths,
    customerContact: config.customerContact,
  };
  return {
    store,
    espm,
    ctx,
    close: async () => {
      // This process's leases on links and service steps (ctx.leases) go back at once.
      await leases.releaseAll().catch(() => undefined);
      await espm.close();
      if (!options.store) await store.close();
    },
  };
}
