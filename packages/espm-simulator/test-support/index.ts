// Helpers the simulator's tests share: an HTTP client speaking as the provider or a customer, and the
// customer's steps of the guide (account, property, meter, connection, shares) over ESPM's own paths.
import type { AccessLevel, ConsumptionEntry } from '../src/espm.ts';
import {
  buildCustomFieldList,
  buildMeter,
  buildMeterData,
  buildNewAccount,
  buildProperty,
  buildSharingResponse,
  gasMeter,
  parseResponse,
  sampleProperty,
} from '../src/espm.ts';
import type { Simulator, StartOptions } from '../src/index.ts';
import { startSimulator } from '../src/index.ts';

export interface Reply {
  status: number;
  body: string;
  headers: Headers;
}

export interface Credentials {
  username: string;
  password: string;
}

export function basic(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

/** Request bodies are not XSD-checked here unless a test asks: it keeps the suite fast. */
export function testSimulator(options: StartOptions = {}): Promise<Simulator> {
  return startSimulator({ validateRequests: false, ...options });
}

export async function call(
  sim: Simulator,
  method: string,
  path: string,
  as?: Credentials,
  body?: string,
  signal?: AbortSignal,
): Promise<Reply> {
  const res = await fetch(`${sim.origin}/ws${path}`, {
    method,
    headers: {
      ...(as ? { authorization: basic(as) } : {}),
      ...(body !== undefined ? { 'content-type': 'application/xml' } : {}),
    },
    ...(body !== undefined ? { body } : {}),
    ...(signal ? { signal } : {}),
  });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

export const asProvider = (sim: Simulator) => ({
  get: (path: string) => call(sim, 'GET', path, sim.provider),
  post: (path: string, body?: string) => call(sim, 'POST', path, sim.provider, body),
  put: (path: string, body: string) => call(sim, 'PUT', path, sim.provider, body),
  del: (path: string) => call(sim, 'DELETE', path, sim.provider),
});

export async function simJson<T = unknown>(
  sim: Simulator,
  method: string,
  path: string,
  as?: Credentials,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${sim.origin}${path}`, {
    method,
    headers: {
      ...(as ? { authorization: basic(as) } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as T };
}

export const accept = (note = 'Connexion acceptée.') => buildSharingResponse({ action: 'Accept', note });
export const reject = (note = 'Refusé.') => buildSharingResponse({ action: 'Reject', note });

export function idOf(reply: Reply): string {
  const id = parseResponse(reply.body).id;
  if (!id) throw new Error(`no id in ${reply.status} ${reply.body}`);
  return id;
}

export interface Customer extends Credentials {
  id: string;
}

const address = {
  address1: '100 rue Sainte-Catherine',
  city: 'Montréal',
  state: 'QC',
  postalCode: 'H2X 1Y4',
  country: 'CA',
};

export async function newCustomer(sim: Simulator, username: string): Promise<Customer> {
  const password = 'Secret-Pass1';
  const xml = buildNewAccount({
    username,
    password,
    contact: {
      firstName: 'Marie',
      lastName: 'Tremblay',
      email: `${username}@example.com`,
      jobTitle: 'Gestionnaire',
      phone: '514-555-0101',
      address,
    },
    organization: `Immeubles ${username}`,
    webserviceUser: false,
    searchable: false,
    languagePreference: 'fr_CA',
  });
  const r = await call(sim, 'POST', '/account', undefined, xml);
  return { id: idOf(r), username, password };
}

export async function newProperty(sim: Simulator, c: Customer, name = 'Bureau'): Promise<string> {
  const xml = buildProperty(sampleProperty(name, address, { squareMeters: '1200', yearBuilt: '1985' }));
  return idOf(await call(sim, 'POST', `/account/${c.id}/property`, c, xml));
}

export async function newMeter(
  sim: Simulator,
  c: Customer,
  propertyId: string,
  firstBillDate = '2020-01-01',
  name = 'Gaz naturel1',
): Promise<string> {
  const xml = buildMeter(gasMeter(name, firstBillDate));
  return idOf(await call(sim, 'POST', `/property/${propertyId}/meter`, c, xml));
}

export async function connect(
  sim: Simulator,
  c: Customer,
  answer: 'accept' | 'none' = 'accept',
): Promise<void> {
  const r = await call(sim, 'POST', `/invite/account/${sim.providerAccountId}`, c);
  if (r.status !== 200) throw new Error(`invite: ${r.status} ${r.body}`);
  if (answer === 'accept') {
    const a = await asProvider(sim).post(`/connect/account/${c.id}`, accept());
    if (a.status !== 200) throw new Error(`accept connection: ${a.status} ${a.body}`);
  }
}

const QUERY_LEVEL = { Read: 'READ', 'Read Write': 'READ_WRITE' } as const;

export async function share(
  sim: Simulator,
  c: Customer,
  kind: 'property' | 'meter',
  id: string,
  level: AccessLevel = 'Read Write',
): Promise<Reply> {
  return call(
    sim,
    'POST',
    `/invite/account/${sim.providerAccountId}/${kind}/${id}?accessLevel=${QUERY_LEVEL[level]}`,
    c,
  );
}

export async function answerMeterFields(sim: Simulator, c: Customer, meterId: string): Promise<void> {
  const xml = buildCustomFieldList([
    { name: 'Numéro du compte', value: '11111111111' },
    { name: 'Numéro de facture', value: '333333333333' },
    { name: 'Numéro du compteur', value: '2222222' },
    { name: 'Chargement initial', value: '24' },
  ]);
  const r = await call(
    sim,
    'PUT',
    `/meter/${meterId}/customFieldList/recipient/${sim.providerAccountId}`,
    c,
    xml,
  );
  if (r.status !== 200) throw new Error(`custom fields: ${r.status} ${r.body}`);
}

/** A connected customer whose property and gas meter are shared with the provider and accepted. */
export async function sharedMeter(
  sim: Simulator,
  username: string,
  level: AccessLevel = 'Read Write',
): Promise<{ customer: Customer; propertyId: string; meterId: string }> {
  const customer = await newCustomer(sim, username);
  const propertyId = await newProperty(sim, customer);
  const meterId = await newMeter(sim, customer, propertyId);
  await connect(sim, customer);
  await share(sim, customer, 'property', propertyId, level);
  await share(sim, customer, 'meter', meterId, level);
  const r = await asProvider(sim).post(`/share/meter/${meterId}`, accept('Partage accepté.'));
  if (r.status !== 200) throw new Error(`accept meter share: ${r.status} ${r.body}`);
  return { customer, propertyId, meterId };
}

/** The provider's answers to an account's requests, in order: kind, action, note, and whether automatic. */
export function decisionsOf(
  sim: Simulator,
  accountId: string,
): Array<[string, string, string | undefined, boolean]> {
  return sim
    .state()
    .decisions.filter((d) => d.accountId === accountId)
    .map((d) => [d.kind, d.action, d.note, d.automatic ?? false]);
}

/** Monthly entries from a start month, each ending the day before the next starts. */
export function monthlyEntries(count: number, from = '2022-01-01', usage = '250'): ConsumptionEntry[] {
  const out: ConsumptionEntry[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  for (let i = 0; i < count; i++) {
    const start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i, 1));
    const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i + 1, 0));
    out.push({
      startDate: start.toISOString().slice(0, 10),
      endDate: end.toISOString().slice(0, 10),
      usage,
      estimatedValue: false,
    });
  }
  return out;
}

export { buildMeterData };
