// The customer's side over ESPM's own paths (API.md §9: the calls a customer account makes, including
// the invite paths ESPM removed from wstest), so a test can play the customer of the guide in XML.
import type { FastifyInstance } from 'fastify';
import { buildAccount, parseCustomFieldList, parseMeter, parseNewAccount, parseProperty } from '../espm.ts';
import { createAccount, createMeter, createProperty } from '../domain/accounts.ts';
import {
  accessLevelOfQuery,
  answerCustomFields,
  sendConnectionRequest,
  sendShare,
} from '../domain/invitations.ts';
import type { SimContext } from '../http/context.ts';
import { espmRoute, readDocument } from '../http/espm-route.ts';
import { getLink, ok, pathOnlyLink, xml } from './replies.ts';

export function customerRoutes(app: FastifyInstance, sim: SimContext): void {
  const { domain } = sim;

  espmRoute(app, sim, 'POST', '/account', 'anonymous', async ({ body }) => {
    const account = createAccount(domain, await readDocument(sim, body, 'account', parseNewAccount));
    return ok({ id: account.id, links: [{ ...getLink(account.id, '/account', 'Account'), id: undefined }] });
  });

  // The signed-in account: a customer learns its own id here before creating its property.
  espmRoute(app, sim, 'GET', '/account', 'account', ({ caller }) =>
    xml(
      buildAccount({
        id: caller.id,
        username: caller.username,
        organization: caller.organization,
        webserviceUser: caller.isProvider,
        searchable: caller.isProvider || caller.searchable === true,
      }),
    ),
  );

  espmRoute(
    app,
    sim,
    'POST',
    '/account/:accountId/property',
    'customer',
    async ({ caller, params, body }) => {
      const info = await readDocument(sim, body, 'property', parseProperty);
      const p = createProperty(domain, caller, params.accountId!, info);
      const link = getLink(p.id, `/property/${p.id}`, 'Property', p.info.name);
      return ok({ id: p.id, links: [pathOnlyLink(sim.shape, link)] });
    },
  );

  espmRoute(app, sim, 'POST', '/property/:propertyId/meter', 'customer', async ({ caller, params, body }) => {
    const meter = await readDocument(sim, body, 'meter', parseMeter);
    const m = createMeter(domain, caller, params.propertyId!, meter);
    const link = getLink(m.id, `/meter/${m.id}`, 'Meter', m.meter.name);
    return ok({ id: m.id, links: [pathOnlyLink(sim.shape, link)] });
  });

  espmRoute(app, sim, 'POST', '/invite/account/:providerId', 'customer', ({ caller, params }) => {
    sendConnectionRequest(domain, caller, params.providerId!);
    return ok();
  });

  for (const kind of ['property', 'meter'] as const) {
    const param = `${kind}Id`;
    espmRoute(
      app,
      sim,
      'POST',
      `/invite/account/:providerId/${kind}/:${param}`,
      'customer',
      ({ caller, params, query }) => {
        sendShare(
          domain,
          caller,
          kind,
          params[param]!,
          params.providerId!,
          accessLevelOfQuery(query.accessLevel),
        );
        return ok();
      },
    );
  }

  // The answers to the provider's custom fields: the account's path names no id, the caller's own.
  for (const level of ['account', 'property', 'meter'] as const) {
    const param = `${level}Id`;
    const owner = level === 'account' ? '/account' : `/${level}/:${param}`;
    espmRoute(app, sim, 'PUT', `${owner}/customFieldList/recipient/:providerId`, 'customer', async (r) => {
      const values = await readDocument(sim, r.body, 'customFieldList', parseCustomFieldList);
      const id = level === 'account' ? r.caller.id : r.params[param]!;
      answerCustomFields(domain, r.caller, level, id, r.params.providerId!, values);
      return ok();
    });
  }
}
