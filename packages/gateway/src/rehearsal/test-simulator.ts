// The simulator as the rehearsal's tests meet ESPM's test environment: a provider with no settings yet
// and an ordinary customer account that speaks French, as in the guide.
import type { Simulator, StartOptions } from '@gaz-espm/espm-simulator';
import { SimulatedCustomer, startSimulator } from '@gaz-espm/espm-simulator';
import type { EspmConfig } from '../config/config.ts';

export const TEST_CUSTOMER = { username: 'repetition_client', password: 'client-password-42' } as const;

export async function simulatorWithCustomer(
  options: Pick<StartOptions, 'faults'> = {},
): Promise<{ sim: Simulator; username: string; password: string }> {
  const sim = await startSimulator({
    port: 0,
    validateRequests: false,
    initialSettings: 'empty',
    ...options,
  });
  // The simulator's customers speak French unless told otherwise, as the guide's do.
  await SimulatedCustomer.create(sim.origin, { ...TEST_CUSTOMER, email: 'repetition@example.org' });
  return { sim, ...TEST_CUSTOMER };
}

export function espmOf(sim: Simulator): EspmConfig {
  return {
    baseUrl: sim.testUrl,
    username: sim.provider.username,
    password: sim.provider.password,
    maxRps: 500,
    maxConcurrency: 4,
    timeoutMs: 5000,
  };
}
