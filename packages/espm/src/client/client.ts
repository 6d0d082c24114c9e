// Typed calls for every provider-side ESPM web service the gateway uses (API.md §1–§6).
import type {
  ConsumptionEntry,
  CustomFieldDefinition,
  CustomFieldValue,
  Customer,
  DataExchangeSettings,
  EspmResponse,
  Link,
  Meter,
  Notification,
  PendingConnection,
  PendingList,
  PendingMeterShare,
  PendingPropertyShare,
  PropertyInfo,
  SharingAction,
} from '../types.ts';
import { linkedId, nextPageOf, parseLinks, resourceLinks } from '../xml/common.ts';
import { parseDocument } from '../xml/codec.ts';
import {
  buildCustomFieldDefinition,
  parseCustomFieldDefinition,
  parseCustomFieldList,
} from '../xml/custom-field.ts';
import { parseCustomer } from '../xml/customer.ts';
import { buildDataExchangeSettings, parseDataExchangeSettings } from '../xml/data-exchange-settings.ts';
import { parseMeter } from '../xml/meter.ts';
import {
  MAX_ENTRIES_PER_DOCUMENT,
  buildMeterConsumption,
  buildMeterData,
  parseMeterConsumption,
  parseMeterData,
} from '../xml/meter-data.ts';
import { parseNotificationList } from '../xml/notification-list.ts';
import { parsePendingList } from '../xml/pending-list.ts';
import { parseProperty } from '../xml/property.ts';
import { parseResponse } from '../xml/response.ts';
import { buildSharingResponse, buildTerminateSharingResponse } from '../xml/sharing-response.ts';
import { matchByMeter, matchCreatedIds } from './created-entries.ts';
import { EspmError } from './errors.ts';
import type { TransportOptions } from './transport.ts';
import { EspmTransport } from './transport.ts';

export type EspmClientOptions = Pick<TransportOptions, 'baseUrl' | 'username' | 'password'> &
  Partial<Omit<TransportOptions, 'baseUrl' | 'username' | 'password'>>;

export const CLIENT_DEFAULTS = {
  maxRps: 5,
  maxConcurrency: 4,
  timeoutMs: 60_000,
  maxRetries: 5,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
  outageHoldMaxMs: 10 * 60_000,
} as const;

// A loop guard for "next page" links: ESPM's pages of 20 make this many pages absurd.
const MAX_PAGES = 100_000;

export interface CustomerSummary {
  accountId: string;
  /** ESPM's hint on the link: in EPA's example the customer's organization, sometimes absent. */
  hint?: string;
}

export interface ConsumptionQuery {
  startDate?: string;
  endDate?: string;
}

export class EspmClient {
  readonly transport: EspmTransport;
  /** How many requests may be in flight at once: callers size their worker pools on it. */
  readonly maxConcurrency: number;

  constructor(options: EspmClientOptions) {
    const resolved = { ...CLIENT_DEFAULTS, ...options };
    this.transport = new EspmTransport(resolved);
    this.maxConcurrency = resolved.maxConcurrency;
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  // --- §1 Data exchange settings and custom field definitions

  getDataExchangeSettings(): Promise<DataExchangeSettings> {
    return this.transport.call('GET', '/dataExchangeSettings', { parse: parseDataExchangeSettings });
  }

  putDataExchangeSettings(settings: DataExchangeSettings): Promise<EspmResponse> {
    return this.write('PUT', '/dataExchangeSettings', buildDataExchangeSettings(settings));
  }

  /** Each field's id and, when ESPM gives it as the link's hint, its name. */
  async listCustomFields(): Promise<Array<{ id: string; name?: string }>> {
    const links = await this.transport.call('GET', '/dataExchangeSettings/customField/list', {
      parse: (xml) => resourceLinks(parseLinkList(xml), 'the custom field list'),
    });
    return links.map((l) => ({ id: l.id, ...(l.hint ? { name: l.hint.normalize('NFC') } : {}) }));
  }

  getCustomField(id: string): Promise<CustomFieldDefinition> {
    return this.transport.call('GET', `/dataExchangeSettings/customField/${seg(id)}`, {
      parse: parseCustomFieldDefinition,
    });
  }

  async createCustomField(definition: CustomFieldDefinition): Promise<string> {
    const res = await this.write(
      'POST',
      '/dataExchangeSettings/customField',
      buildCustomFieldDefinition(definition),
    );
    return createdId(res, 'POST', '/dataExchangeSettings/customField');
  }

  editCustomField(id: string, definition: CustomFieldDefinition): Promise<EspmResponse> {
    return this.write(
      'PUT',
      `/dataExchangeSettings/customField/${seg(id)}`,
      buildCustomFieldDefinition(definition),
    );
  }

  /** Deletes the field and, in ESPM, every value customers stored for it. */
  deleteCustomField(id: string): Promise<EspmResponse> {
    return this.write('DELETE', `/dataExchangeSettings/customField/${seg(id)}`);
  }

  // --- §2–§4 Pending requests: every page is read, following "next page" until there is none.

  async pendingConnections(): Promise<PendingConnection[]> {
    return (await this.allPages('/connect/account/pending/list')).flatMap((p) => p.accounts);
  }

  async pendingPropertyShares(): Promise<PendingPropertyShare[]> {
    return (await this.allPages('/share/property/pending/list')).flatMap((p) => p.properties);
  }

  async pendingMeterShares(): Promise<PendingMeterShare[]> {
    return (await this.allPages('/share/meter/pending/list')).flatMap((p) => p.meters);
  }

  answerConnection(accountId: string, action: SharingAction, note?: string): Promise<EspmResponse> {
    return this.answer(`/connect/account/${seg(accountId)}`, action, note);
  }

  answerPropertyShare(propertyId: string, action: SharingAction, note?: string): Promise<EspmResponse> {
    return this.answer(`/share/property/${seg(propertyId)}`, action, note);
  }

  answerMeterShare(meterId: string, action: SharingAction, note?: string): Promise<EspmResponse> {
    return this.answer(`/share/meter/${seg(meterId)}`, action, note);
  }

  /** keepShares has no safe default in ESPM, so the caller always says. */
  disconnect(accountId: string, options: { keepShares: boolean; note?: string }): Promise<EspmResponse> {
    return this.write(
      'POST',
      `/disconnect/account/${seg(accountId)}`,
      buildTerminateSharingResponse(options.note),
      {
        keepShares: options.keepShares,
      },
    );
  }

  unshareProperty(propertyId: string, note?: string): Promise<EspmResponse> {
    return this.write('POST', `/unshare/property/${seg(propertyId)}`, buildTerminateSharingResponse(note));
  }

  unshareMeter(meterId: string, note?: string): Promise<EspmResponse> {
    return this.write('POST', `/unshare/meter/${seg(meterId)}`, buildTerminateSharingResponse(note));
  }

  // --- Customers, properties, meters

  async listCustomers(): Promise<CustomerSummary[]> {
    const links = await this.transport.call('GET', '/customer/list', {
      parse: (xml) => resourceLinks(parseLinkList(xml), 'the customer list'),
    });
    return links.map((l) => ({ accountId: l.id, ...(l.hint ? { hint: l.hint } : {}) }));
  }

  getCustomer(accountId: string): Promise<Customer> {
    return this.transport.call('GET', `/customer/${seg(accountId)}`, { parse: parseCustomer });
  }

  getProperty(propertyId: string): Promise<PropertyInfo> {
    return this.transport.call('GET', `/property/${seg(propertyId)}`, { parse: parseProperty });
  }

  getMeter(meterId: string): Promise<Meter> {
    return this.transport.call('GET', `/meter/${seg(meterId)}`, { parse: parseMeter });
  }

  /** EPA's "Get Meter Aggregation Indicator": the meter with its aggregateMeter flag. */
  getMeterAggregation(meterId: string): Promise<Meter> {
    return this.transport.call('GET', `/meter/${seg(meterId)}/aggregateMeter`, { parse: parseMeter });
  }

  getAccountCustomFields(accountId: string): Promise<CustomFieldValue[]> {
    return this.transport.call('GET', `/account/${seg(accountId)}/customFieldList`, {
      parse: parseCustomFieldList,
    });
  }

  getPropertyCustomFields(propertyId: string): Promise<CustomFieldValue[]> {
    return this.transport.call('GET', `/property/${seg(propertyId)}/customFieldList`, {
      parse: parseCustomFieldList,
    });
  }

  getMeterCustomFields(meterId: string): Promise<CustomFieldValue[]> {
    return this.transport.call('GET', `/meter/${seg(meterId)}/customFieldList`, {
      parse: parseCustomFieldList,
    });
  }

  // --- §6 Consumption data

  /** Every entry of the meter (all pages), optionally only those ESPM selects for a date range. */
  async listConsumption(meterId: string, query: ConsumptionQuery = {}): Promise<ConsumptionEntry[]> {
    const entries: ConsumptionEntry[] = [];
    let path: string | undefined = `/meter/${seg(meterId)}/consumptionData`;
    let q: ConsumptionQuery | undefined = query;
    const seen = new Set<string>();
    for (let page = 0; path; page++) {
      guardPages(page, seen, path, 'GET');
      const data = await this.transport.call('GET', path, {
        parse: parseMeterData,
        query: q ? { ...q } : undefined,
      });
      entries.push(...data.entries);
      path = nextPageOf(data.links);
      q = undefined; // the next-page link carries the filters itself
    }
    return entries;
  }

  getConsumption(consumptionDataId: string): Promise<ConsumptionEntry> {
    return this.transport.call('GET', `/consumptionData/${seg(consumptionDataId)}`, {
      parse: parseMeterConsumption,
    });
  }

  /**
   * Creates at most 120 entries in one POST and returns their ids in request order. When the answer
   * gives the ids without the periods (only links, in ESPM's order), the meter is read once and the ids
   * are paired by dates. A timeout, or ids that cannot be paired, is reported with outcomeUnknown: the
   * caller must read the meter's entries before sending again, since ESPM may have created them.
   */
  async createConsumption(meterId: string, entries: ConsumptionEntry[]): Promise<string[]> {
    if (entries.length === 0) return [];
    if (entries.length > MAX_ENTRIES_PER_DOCUMENT) {
      throw new RangeError(`ESPM takes at most ${MAX_ENTRIES_PER_DOCUMENT} entries per POST`);
    }
    const path = `/meter/${seg(meterId)}/consumptionData`;
    const data = await this.transport.call('POST', path, {
      body: buildMeterData(entries),
      parse: parseMeterData,
    });
    let created = matchCreatedIds(entries, data);
    if ('unpaired' in created)
      created = matchByMeter(entries, created.unpaired, await this.readAfterPost(meterId, path));
    if ('unmatched' in created) {
      throw new EspmError({
        kind: 'malformed',
        method: 'POST',
        path,
        status: 200,
        outcomeUnknown: true,
        detail: created.unmatched,
      });
    }
    return created.ids;
  }

  /** The meter's entries, read to pair a POST's ids with their periods; the POST took effect either way. */
  private async readAfterPost(meterId: string, postPath: string): Promise<ConsumptionEntry[]> {
    try {
      return await this.listConsumption(meterId);
    } catch (e) {
      if (!(e instanceof EspmError)) throw e;
      throw new EspmError({
        kind: e.kind,
        method: 'POST',
        path: postPath,
        status: e.status,
        errors: e.errors,
        outcomeUnknown: true,
        detail: `created, but reading the meter to pair the new ids failed: ${e.message}`,
      });
    }
  }

  updateConsumption(consumptionDataId: string, entry: ConsumptionEntry): Promise<EspmResponse> {
    const { id: _id, audit: _audit, ...body } = entry;
    return this.write('PUT', `/consumptionData/${seg(consumptionDataId)}`, buildMeterConsumption(body));
  }

  deleteConsumption(consumptionDataId: string): Promise<EspmResponse> {
    return this.write('DELETE', `/consumptionData/${seg(consumptionDataId)}`);
  }

  // --- §5 Notifications

  /**
   * Reads the notifications. ESPM clears them by default, losing them for good if the caller then
   * fails to store them; here the caller must always say whether to clear.
   */
  async notifications(options: { clear: boolean }): Promise<Notification[]> {
    try {
      return await this.transport.call('GET', '/notification/list', {
        query: { clear: options.clear },
        parse: parseNotificationList,
      });
    } catch (e) {
      if (isEmptyList(e)) return [];
      throw e;
    }
  }

  // --- internals

  private answer(path: string, action: SharingAction, note: string | undefined): Promise<EspmResponse> {
    return this.write('POST', path, buildSharingResponse(note === undefined ? { action } : { action, note }));
  }

  private write(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: string,
    query?: Record<string, string | number | boolean>,
  ): Promise<EspmResponse> {
    return this.transport.call(method, path, { body, query, parse: parseResponse });
  }

  private async allPages(firstPath: string): Promise<PendingList[]> {
    const pages: PendingList[] = [];
    const seen = new Set<string>();
    let path: string | undefined = firstPath;
    for (let page = 0; path; page++) {
      guardPages(page, seen, path, 'GET');
      let list: PendingList;
      try {
        list = await this.transport.call('GET', path, { parse: parsePendingList });
      } catch (e) {
        if (isEmptyList(e)) break;
        throw e;
      }
      pages.push(list);
      path = list.nextPage;
    }
    return pages;
  }
}

/**
 * The provider's own lists (pending requests, notifications) exist whatever the customers do: a 404 on
 * one can only mean it is empty (EPA does not say whether ESPM answers an empty list 200 or 404).
 */
function isEmptyList(e: unknown): boolean {
  return e instanceof EspmError && e.kind === 'access-lost' && e.status === 404;
}

function parseLinkList(xml: string): Link[] {
  return parseLinks(parseDocument(xml, 'response'));
}

function guardPages(page: number, seen: Set<string>, path: string, method: string): void {
  if (page >= MAX_PAGES || seen.has(path)) {
    throw new EspmError({
      kind: 'malformed',
      method,
      path,
      detail: 'the "next page" links go round in a circle',
    });
  }
  seen.add(path);
}

/** The new resource's id: ESPM's <id>, else the one link of the answer (its id, else its path). */
function createdId(res: EspmResponse, method: string, path: string): string {
  const links = res.links.map(linkedId);
  const id = res.id ?? (links.length === 1 ? links[0] : undefined);
  if (id === undefined) {
    throw new EspmError({
      kind: 'malformed',
      method,
      path,
      status: 200,
      outcomeUnknown: true,
      detail: 'the answer names no id for what was created',
    });
  }
  return id;
}

/** Ids come from ESPM or the store; anything but digits in a path segment is a bug or an attack. */
function seg(id: string): string {
  if (!/^\d{1,19}$/.test(id)) throw new RangeError(`"${id}" is not an ESPM id`);
  return id;
}
