// The JSON API behind the customer page (/sim/customer/): the same domain operations as the ESPM
// customer paths, plus the guide's four ways of removing access and disconnecting. Whatever the page
// creates is built into ESPM's documents and checked against the XSDs, like an XML request would be.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessLevel, Address, ConsumptionEntry, CustomFieldValue, Meter, NewAccount } from '../espm.ts';
import {
  buildCustomFieldList,
  buildMeter,
  buildMeterData,
  buildNewAccount,
  buildProperty,
  METER_TYPES,
  NATURAL_GAS_UNITS,
  sampleProperty,
  validateAgainstXsd,
} from '../espm.ts';
import { ownMeter } from '../domain/access.ts';
import { createAccount, createMeter, createProperty } from '../domain/accounts.ts';
import { addEntries, listEntries } from '../domain/consumption.ts';
import { listDefinitions } from '../domain/custom-fields.ts';
import { answerCustomFields, sendConnectionRequest, sendShare } from '../domain/invitations.ts';
import {
  changeShareLevel,
  disconnectByCustomer,
  removeAllAccessToProperty,
  removeContactFromAllProperties,
  removeProviderFromProperty,
  setMeterNoAccess,
} from '../domain/removals.ts';
import { transferProperty } from '../domain/transfers.ts';
import { SimError } from '../errors.ts';
import type { SimContext } from '../http/context.ts';
import { customerCaller, jsonBody, obj, simRoute, str } from '../http/sim-route.ts';
import { customerOverview } from './customer-overview.ts';

const API = '/sim/customer/api';

async function checkBuilt(sim: SimContext, xml: string, root: string): Promise<void> {
  if (!sim.validateRequests) return;
  const r = await validateAgainstXsd(xml, root);
  if (!r.valid) throw new SimError(400, r.errors.slice(0, 3));
}

function address(b: Record<string, unknown>): Address {
  const a = obj(b, 'address');
  return {
    address1: str(a, 'address1'),
    city: str(a, 'city'),
    state: str(a, 'state', 'QC'),
    postalCode: str(a, 'postalCode'),
    country: str(a, 'country', 'CA'),
  };
}

function accessLevel(b: Record<string, unknown>): AccessLevel {
  const v = str(b, 'accessLevel');
  if (v !== 'Read' && v !== 'Read Write')
    throw new SimError(400, '"accessLevel" must be "Read" or "Read Write".');
  return v;
}

function customFieldValues(b: Record<string, unknown>): CustomFieldValue[] {
  return Object.entries(obj(b, 'customFields'))
    .filter(([, v]) => typeof v === 'string' && v.trim() !== '')
    .map(([name, v]) => ({ name, value: String(v).trim() }));
}

export function simCustomerApiRoutes(app: FastifyInstance, sim: SimContext): void {
  const { domain, store } = sim;
  const me = (req: FastifyRequest) => customerCaller(sim, req);
  const providerId = () => store.data.providerAccountId;

  simRoute(app, 'GET', `${API}/provider`, () => ({
    accountId: providerId(),
    username: store.provider.username,
    organization: store.provider.organization,
    contactName: `${store.provider.contact.firstName} ${store.provider.contact.lastName}`.trim(),
    termsOfUse: store.data.settings.termsOfUse,
    supportedMeterTypes: store.data.settings.supportedMeterTypes,
    customFields: listDefinitions(domain).map((f) => ({ id: f.id, ...f.definition })),
    naturalGasUnits: NATURAL_GAS_UNITS,
    meterTypes: METER_TYPES,
  }));

  simRoute(app, 'POST', `${API}/account`, async (req) => {
    const b = jsonBody(req);
    const language = str(b, 'languagePreference', 'fr_CA');
    const account: NewAccount = {
      username: str(b, 'username'),
      password: str(b, 'password'),
      contact: {
        firstName: str(b, 'firstName'),
        lastName: str(b, 'lastName'),
        email: str(b, 'email'),
        jobTitle: str(b, 'jobTitle', 'Gestionnaire'),
        phone: str(b, 'phone', '514-555-0199'),
        address: address(b),
      },
      organization: str(b, 'organization'),
      webserviceUser: false,
      searchable: false,
      languagePreference: language === 'en_US' ? 'en_US' : 'fr_CA',
    };
    await checkBuilt(sim, buildNewAccount(account), 'account');
    const created = createAccount(domain, account);
    return { accountId: created.id, username: created.username };
  });

  simRoute(app, 'GET', `${API}/me`, (req) => customerOverview(sim, me(req)));

  simRoute(app, 'POST', `${API}/properties`, async (req) => {
    const caller = me(req);
    const b = jsonBody(req);
    // Read in the order the fields are checked, so a request missing several is told of the same one.
    const name = str(b, 'name');
    const building = {
      primaryFunction: str(b, 'primaryFunction', 'Office'),
      squareMeters: str(b, 'grossFloorArea', '1000'),
      yearBuilt: str(b, 'yearBuilt', '1990'),
    };
    const info = sampleProperty(name, address(b), building);
    await checkBuilt(sim, buildProperty(info), 'property');
    return { propertyId: createProperty(domain, caller, caller.id, info).id };
  });

  simRoute(app, 'POST', `${API}/properties/:propertyId/meters`, async (req) => {
    const caller = me(req);
    const b = jsonBody(req);
    const meter: Meter = {
      type: str(b, 'type', 'Natural Gas'),
      name: str(b, 'name'),
      metered: true,
      unitOfMeasure: str(b, 'unitOfMeasure', 'cm (Cubic meters)'),
      firstBillDate: str(b, 'firstBillDate'),
      inUse: true,
      // ESPM's "aggregate meter": one meter standing for several (a building's whole consumption).
      ...(b.aggregateMeter === true ? { aggregateMeter: true } : {}),
    };
    await checkBuilt(sim, buildMeter(meter), 'meter');
    const { propertyId } = req.params as { propertyId: string };
    return { meterId: createMeter(domain, caller, propertyId, meter).id };
  });

  // The guide's "Envoyer une demande de connexion", with the answers to the provider's "Once" fields.
  simRoute(app, 'POST', `${API}/connection`, async (req) => {
    const caller = me(req);
    const b = jsonBody(req);
    if (b.acceptTerms !== true) throw new SimError(400, "You must accept the provider's terms of use.");
    const values = customFieldValues(b);
    await checkBuilt(sim, buildCustomFieldList(values), 'customFieldList');
    sendConnectionRequest(domain, caller, providerId());
    answerCustomFields(domain, caller, 'account', caller.id, providerId(), values);
  });

  simRoute(app, 'DELETE', `${API}/connection`, (req) => disconnectByCustomer(domain, me(req), providerId()));

  for (const kind of ['property', 'meter'] as const) {
    const base = `${API}/${kind === 'property' ? 'properties' : 'meters'}/:id`;
    simRoute(app, 'POST', `${base}/share`, async (req) => {
      const caller = me(req);
      const b = jsonBody(req);
      const { id } = req.params as { id: string };
      const values = customFieldValues(b);
      await checkBuilt(sim, buildCustomFieldList(values), 'customFieldList');
      const share = sendShare(domain, caller, kind, id, providerId(), accessLevel(b));
      answerCustomFields(domain, caller, kind, id, providerId(), values);
      return { status: share.status, accessLevel: share.accessLevel };
    });
    simRoute(app, 'PUT', `${base}/access-level`, (req) => {
      const share = changeShareLevel(
        domain,
        me(req),
        kind,
        (req.params as { id: string }).id,
        accessLevel(jsonBody(req)),
      );
      return { status: share.status, accessLevel: share.accessLevel };
    });
  }

  simRoute(app, 'POST', `${API}/remove-contact`, (req) => ({
    ended: removeContactFromAllProperties(domain, me(req), providerId()),
  }));
  simRoute(app, 'POST', `${API}/properties/:id/remove-all-access`, (req) => ({
    ended: removeAllAccessToProperty(domain, me(req), (req.params as { id: string }).id),
  }));
  simRoute(app, 'POST', `${API}/properties/:id/remove-provider`, (req) => ({
    ended: removeProviderFromProperty(domain, me(req), (req.params as { id: string }).id, providerId()),
  }));
  // "Transfer property": the receiving account accepts at once, keeping the provider's access unless
  // it chooses to remove it (EPA's connection guide, Appendix C).
  simRoute(app, 'POST', `${API}/properties/:id/transfer`, (req) => {
    const b = jsonBody(req);
    transferProperty(domain, me(req), (req.params as { id: string }).id, str(b, 'toUsername'), {
      removeProviderAccess: b.removeProviderAccess === true,
    });
  });
  simRoute(app, 'POST', `${API}/meters/:id/no-access`, (req) => ({
    ended: setMeterNoAccess(domain, me(req), (req.params as { id: string }).id),
  }));

  simRoute(app, 'GET', `${API}/meters/:id/consumption`, (req) => {
    const caller = me(req);
    const { id } = req.params as { id: string };
    ownMeter(domain, caller, id);
    const all = [];
    for (let page = 1, more = true; more; page++) {
      const p = listEntries(domain, caller, id, { page });
      all.push(...p.items);
      more = p.nextPage !== undefined;
    }
    return all.map(({ id: entryId, startDate, endDate, usage, cost, estimatedValue, audit }) => ({
      id: entryId,
      startDate,
      endDate,
      usage,
      cost,
      estimatedValue,
      createdBy: audit.createdBy,
      lastUpdatedBy: audit.lastUpdatedBy,
      lastUpdatedDate: audit.lastUpdatedDate,
    }));
  });

  simRoute(app, 'POST', `${API}/meters/:id/consumption`, async (req) => {
    const caller = me(req);
    const { id } = req.params as { id: string };
    ownMeter(domain, caller, id);
    const b = jsonBody(req);
    const entry: ConsumptionEntry = {
      startDate: str(b, 'startDate'),
      endDate: str(b, 'endDate'),
      usage: str(b, 'usage'),
      estimatedValue: b.estimatedValue === true,
    };
    const cost = str(b, 'cost', '');
    if (cost) entry.cost = cost;
    await checkBuilt(sim, buildMeterData([entry]), 'meterData');
    return { ids: addEntries(domain, caller, id, [entry]).map((e) => e.id) };
  });
}
