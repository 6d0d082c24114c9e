// The simulator as the rehearsal's tests meet ESPM's test environment: a provider with no settings yet
// and an ordinary customer account that speaks French, as in the guide.
import type { Simulator, StartOptions } from '@gaz-espm/espm-simulator';
import { startSimulator } from '@gaz-espm/espm-simulator';
import { request } from 'undici';
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
  const res = await request(`${sim.origin}/sim/customer/api/account`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...TEST_CUSTOMER,
      firstName: 'Marc-Étienne',
      lastName: 'Charron',
      email: 'repetition@example.org',
      organization: 'Code',
      languagePreference: 'fr_CA',
      address: {
        address1: '1000 rue Sherbrooke Ouest',
        city: 'Montréal',
        state: 'QC',
        postalCode: 'H3A 3G4',
        country: 'CA',
      },
    }),
  });
  if (res.statusCode !== 200)
    throw new Error(`customer account: HTTP ${res.statusCode} ${await res.body.text()}`);
  await res.body.dump();
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
