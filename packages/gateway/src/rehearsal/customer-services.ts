// The rehearsal's customer over ESPM's web services, with its own credentials: what an ordinary ESPM
// account may do there (its account, its property and Natural Gas meter, reading its own meter), and
// EPA's Test-only services that play a customer's connection and shares where ESPM still answers them.
import { EspmClient, gasMeter, SAMPLE_ADDRESS, sampleProperty } from '@gaz-espm/espm';
import {
  buildCustomFieldList,
  buildMeter,
  buildProperty,
  parseAccount,
  parseResponse,
} from '@gaz-espm/espm/xml';
import type { AccessLevel, AccountSummary, ConsumptionEntry, CustomFieldValue } from '@gaz-espm/espm';

const QUERY_LEVEL: Record<AccessLevel, string> = { Read: 'READ', 'Read Write': 'READ_WRITE' };

export class CustomerServices {
  readonly espm: EspmClient;

  constructor(
    baseUrl: string,
    readonly username: string,
    password: string,
  ) {
    // One request at a time, slowly: the customer's calls are few and ESPM's test environment is shared.
    this.espm = new EspmClient({ baseUrl, username, password, maxRps: 2, maxConcurrency: 1 });
  }

  close(): Promise<void> {
    return this.espm.close();
  }

  account(): Promise<AccountSummary> {
    return this.espm.transport.call('GET', '/account', { parse: parseAccount });
  }

  async createProperty(accountId: string, name: string): Promise<string> {
    const body = buildProperty(sampleProperty(name, SAMPLE_ADDRESS));
    return this.createdId(
      await this.espm.transport.call('POST', `/account/${accountId}/property`, {
        body,
        parse: parseResponse,
      }),
    );
  }

  async createGasMeter(propertyId: string, name: string, firstBillDate: string): Promise<string> {
    const body = buildMeter(gasMeter(name, firstBillDate));
    return this.createdId(
      await this.espm.transport.call('POST', `/property/${propertyId}/meter`, { body, parse: parseResponse }),
    );
  }

  /** The meter's periods as the customer reads them, oldest first. */
  async consumption(meterId: string): Promise<ConsumptionEntry[]> {
    const entries = await this.espm.listConsumption(meterId);
    return [...entries].sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  // --- EPA's Test-only services (API.md §9): the customer's side of a connection and of shares.

  async inviteConnection(providerAccountId: string): Promise<void> {
    await this.espm.transport.call('POST', `/invite/account/${providerAccountId}`, { parse: parseResponse });
  }

  async shareProperty(providerAccountId: string, propertyId: string, level: AccessLevel): Promise<void> {
    await this.espm.transport.call('POST', `/invite/account/${providerAccountId}/property/${propertyId}`, {
      query: { accessLevel: QUERY_LEVEL[level] },
      parse: parseResponse,
    });
  }

  async answerMeterFields(
    providerAccountId: string,
    meterId: string,
    values: CustomFieldValue[],
  ): Promise<void> {
    await this.espm.transport.call(
      'PUT',
      `/meter/${meterId}/customFieldList/recipient/${providerAccountId}`,
      {
        body: buildCustomFieldList(values),
        parse: parseResponse,
      },
    );
  }

  async shareMeter(providerAccountId: string, meterId: string, level: AccessLevel): Promise<void> {
    await this.espm.transport.call('POST', `/invite/account/${providerAccountId}/meter/${meterId}`, {
      query: { accessLevel: QUERY_LEVEL[level] },
      parse: parseResponse,
    });
  }

  private createdId(r: { id?: string }): string {
    if (!r.id) throw new Error('ESPM created the resource but its answer gave no <id>');
    return r.id;
  }
}
