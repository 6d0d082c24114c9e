// The rehearsal with a person playing the customer: a test reads what the rehearsal prints, types the
// exact values it gives in the simulator's customer pages (their JSON API), and the rehearsal sees each
// step in the provider's pending lists.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '@gaz-espm/espm-simulator';
import { request } from 'undici';
import { openTestStore } from '../../test-support/test-store.ts';
import type { Store } from '../store/database.ts';
import { personSide } from './person-side.ts';
import type { RehearsalResult } from './rehearsal.ts';
import { rehearse } from './rehearsal.ts';
import { assertEveryStepPassed, espmOf, simulatorWithCustomer } from './test-simulator.ts';

/** A person following the printed French instructions, in the simulator's customer pages. */
function person(origin: string, username: string, password: string) {
  const authorization = 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
  const call = async (method: 'POST' | 'PUT', path: string, body: unknown) => {
    const res = await request(`${origin}/sim/customer/api${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
  };
  const printed: string[] = [];
  let acting = Promise.resolve();
  const act = async (text: string) => {
    if (text.includes('ÉTAPE : CONNEXION')) {
      await call('POST', '/connection', { acceptTerms: true, customFields: {} });
    } else if (text.includes('ÉTAPE : PARTAGE')) {
      const property = /Sélectionner les propriétés : « .+ » \((\d+)\)/.exec(text)![1]!;
      await call('POST', `/properties/${property}/share`, { accessLevel: 'Read Write', customFields: {} });
      for (const block of text.split(/\n(?=\s+Compteur « )/).slice(1)) {
        const meterId = /Compteur « .+ » \((\d+)\) : Accès complet/.exec(block)![1]!;
        const value = (field: string) => new RegExp(`${field} : (\\S+)`).exec(block)![1]!;
        await call('POST', `/meters/${meterId}/share`, {
          accessLevel: 'Read Write',
          customFields: Object.fromEntries(
            ['Numéro du compte', 'Numéro de facture', 'Numéro du compteur', 'Chargement initial'].map((f) => [
              f,
              value(f),
            ]),
          ),
        });
      }
    } else if (text.includes('ÉTAPE : LECTURE SEULEMENT')) {
      const meterId = /Compteur « .+ » \((\d+)\) : Accès en lecture seulement/.exec(text)![1]!;
      await call('PUT', `/meters/${meterId}/access-level`, { accessLevel: 'Read' });
    }
  };
  return {
    printed,
    out: {
      write(text: string) {
        printed.push(text);
        acting = acting.then(() => act(text));
        return true;
      },
    },
  };
}

describe('the rehearsal played by a person (customer side "person")', () => {
  let sim: Simulator;
  let store: Store;
  let result: RehearsalResult;
  let played: ReturnType<typeof person>;

  before(async () => {
    const s = await simulatorWithCustomer();
    sim = s.sim;
    store = await openTestStore();
    played = person(sim.origin, s.username, s.password);
    result = await rehearse({
      espm: espmOf(sim),
      customer: s,
      side: (customer) =>
        personSide({
          customer,
          webUrl: `${sim.origin}/pmtest`,
          providerUsername: sim.provider.username,
          language: 'fr',
          out: played.out,
        }),
      store,
      pollMs: 50,
    });
  });
  after(async () => {
    await store.close();
    await sim.close();
  });

  it('passes every step, waiting for the person at each', () => {
    assertEveryStepPassed(result);
  });

  it('tells the person the exact values to type, in French', () => {
    const all = played.printed.join('\n');
    assert.match(all, /Numéro du compte : 11111111111/);
    assert.match(all, /Numéro de facture : 333333333333/);
    assert.match(all, /Numéro de facture : 444444444444/);
    assert.match(all, /Numéro du compteur : 2222222/);
    assert.match(all, /Chargement initial : 24/);
    assert.match(all, new RegExp(`Cherchez le nom d’utilisateur ${sim.provider.username}`));
    assert.match(all, /En attente de votre action dans ESPM/);
  });
});
