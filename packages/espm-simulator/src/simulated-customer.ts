// A customer of the guide, played against the simulator's customer API: tests, the demo and the
// benchmarks use it to create accounts, meters and shares, enter bills and remove access.
import { request } from 'undici';
import { SAMPLE_ADDRESS } from './espm.ts';

export interface CustomerProfile {
  username: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  organization?: string;
}

export interface MeterShareAnswers {
  accountNumber: string;
  invoiceNumber: string;
  meterNumber: string;
  initialLoad: string;
  /** A building owner's aggregation code, instead of the three numbers. */
  aggregationCode: string;
}

export const GUIDE_FIELD_NAMES = {
  accountNumber: 'Numéro du compte',
  invoiceNumber: 'Numéro de facture',
  meterNumber: 'Numéro du compteur',
  initialLoad: 'Chargement initial',
  aggregationCode: "Code d'agrégation",
} as const;

export class SimulatedCustomer {
  readonly username: string;
  private readonly authorization: string;
  accountId = '';

  private constructor(
    private readonly origin: string,
    username: string,
    password: string,
  ) {
    this.username = username;
    this.authorization = 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
  }

  /** Creates the customer's ESPM account. origin is the simulator's http://host:port. */
  static async create(origin: string, profile: CustomerProfile): Promise<SimulatedCustomer> {
    const password = profile.password ?? `${profile.username}-password`;
    const customer = new SimulatedCustomer(origin, profile.username, password);
    const created = await customer.call<{ accountId: string }>('POST', '/account', {
      username: profile.username,
      password,
      firstName: profile.firstName ?? 'Marc-Étienne',
      lastName: profile.lastName ?? 'Charron',
      email: profile.email ?? `${profile.username}@example.org`,
      organization: profile.organization ?? 'Code',
      address: SAMPLE_ADDRESS,
    });
    customer.accountId = created.accountId;
    return customer;
  }

  async createProperty(name: string): Promise<string> {
    const r = await this.call<{ propertyId: string }>('POST', '/properties', {
      name,
      address: SAMPLE_ADDRESS,
    });
    return r.propertyId;
  }

  async createMeter(
    propertyId: string,
    meter: {
      name: string;
      type?: string;
      unitOfMeasure?: string;
      firstBillDate: string;
      aggregateMeter?: boolean;
    },
  ): Promise<string> {
    const r = await this.call<{ meterId: string }>('POST', `/properties/${propertyId}/meters`, meter);
    return r.meterId;
  }

  /** Sends the connection request, accepting the provider's terms of use. */
  connect(): Promise<unknown> {
    return this.call('POST', '/connection', { acceptTerms: true, customFields: {} });
  }

  /** The connection's state as the customer sees it in ESPM: pending until the provider answers. */
  async connectionStatus(): Promise<string | undefined> {
    const me = await this.call<{ connection: { status: string } | null }>('GET', '/me');
    return me.connection?.status;
  }

  shareProperty(propertyId: string, accessLevel: 'Read' | 'Read Write' = 'Read Write'): Promise<unknown> {
    return this.call('POST', `/properties/${propertyId}/share`, { accessLevel, customFields: {} });
  }

  /** Shares the meter with the provider, typing the four custom fields as given. */
  shareMeter(
    meterId: string,
    answers: Partial<MeterShareAnswers>,
    accessLevel: 'Read' | 'Read Write' = 'Read Write',
  ): Promise<unknown> {
    const customFields: Record<string, string> = {};
    for (const [key, name] of Object.entries(GUIDE_FIELD_NAMES)) {
      const v = answers[key as keyof MeterShareAnswers];
      if (v !== undefined) customFields[name] = v;
    }
    return this.call('POST', `/meters/${meterId}/share`, { accessLevel, customFields });
  }

  changeMeterAccess(meterId: string, accessLevel: 'Read' | 'Read Write'): Promise<unknown> {
    return this.call('PUT', `/meters/${meterId}/access-level`, { accessLevel });
  }

  enterBill(
    meterId: string,
    bill: { startDate: string; endDate: string; usage: string },
  ): Promise<{ ids: string[] }> {
    return this.call('POST', `/meters/${meterId}/consumption`, bill);
  }

  bills(meterId: string): Promise<
    Array<{
      id: string;
      startDate: string;
      endDate: string;
      usage: string;
      estimatedValue?: boolean;
      createdBy?: string;
    }>
  > {
    return this.call('GET', `/meters/${meterId}/consumption`);
  }

  // The guide's four ways of removing access, and disconnecting.
  removeContactFromAllProperties(): Promise<unknown> {
    return this.call('POST', '/remove-contact');
  }
  removeAllAccessToProperty(propertyId: string): Promise<unknown> {
    return this.call('POST', `/properties/${propertyId}/remove-all-access`);
  }
  removeProviderFromProperty(propertyId: string): Promise<unknown> {
    return this.call('POST', `/properties/${propertyId}/remove-provider`);
  }
  setMeterNoAccess(meterId: string): Promise<unknown> {
    return this.call('POST', `/meters/${meterId}/no-access`);
  }
  /** Transfers the property to another customer account, which accepts it at once. */
  transferProperty(
    propertyId: string,
    toUsername: string,
    options: { removeProviderAccess?: boolean } = {},
  ): Promise<unknown> {
    return this.call('POST', `/properties/${propertyId}/transfer`, { toUsername, ...options });
  }
  disconnect(): Promise<unknown> {
    return this.call('DELETE', '/connection');
  }

  private async call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await request(`${this.origin}/sim/customer/api${path}`, {
      method,
      headers: {
        authorization: this.authorization,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new Error(`${method} ${path}: HTTP ${res.statusCode} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
