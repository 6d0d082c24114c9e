// New customers played through the simulator's customer side, as the guide has them onboard: the steps
// the benchmarks that start from nothing (onboarding.ts, serve-memory.ts) take customer by customer.
import type { Simulator } from '@gaz-espm/espm-simulator';
import { SimulatedCustomer } from '@gaz-espm/espm-simulator';
import { GAS_METER, shareAnswersOf } from './seed-shares.ts';

export interface NewCustomer {
  customer: SimulatedCustomer;
  meterId: string;
}

/** Customer i's first day: an account, a property and its gas meter, the connection request sent and
 * the property shared; the meter is shared once the provider accepted the connection, as the guide's
 * customers do (ESPM would take it before: EPA's connection guide, Appendix A). */
export async function connectAndShareProperty(sim: Simulator, i: number): Promise<NewCustomer> {
  const customer = await SimulatedCustomer.create(sim.origin, { username: `client${i}` });
  const propertyId = await customer.createProperty(`Immeuble ${i}`);
  const meterId = await customer.createMeter(propertyId, GAS_METER);
  await customer.connect();
  await customer.shareProperty(propertyId);
  return { customer, meterId };
}

/** Customer i, once connected, shares the meter with the four custom fields right (24 months asked). */
export function shareMeter(c: NewCustomer, i: number): Promise<unknown> {
  return c.customer.shareMeter(c.meterId, shareAnswersOf(i));
}

/** Runs `step` for customers 0..n-1, 20 at a time (the simulator in this process answers them all). */
export async function everyCustomer<T>(n: number, step: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < n; i += 20) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, (_, j) => step(i + j)))));
  }
  return results;
}
