// The simulator as the rehearsal's tests meet ESPM's test environment: a provider with no settings yet
// and an ordinary customer account that speaks French, as in the guide; and what every rehearsal test
// asks of the result.
import type { Simulator, StartOptions } from '@gaz-espm/espm-simulator';
import { SimulatedCustomer, startSimulator } from '@gaz-espm/espm-simulator';
import assert from 'node:assert/strict';
import type { EspmConfig } from '../config/config.ts';
import type { RehearsalResult } from './rehearsal.ts';

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

/** Fails on the first step that did not pass, naming its reason and its failed checks. */
export function assertEveryStepPassed(result: RehearsalResult): void {
  for (const s of result.steps) {
    assert.equal(
      s.outcome,
      'passed',
      `${s.id}: ${s.reason ?? ''} ${JSON.stringify(s.checks.filter((c) => !c.ok))}`,
    );
  }
}
