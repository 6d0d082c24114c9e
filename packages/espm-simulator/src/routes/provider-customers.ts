// What the provider may read about its customers: the connected accounts, and the answers they gave
// to its custom fields (at account, property and meter level).
import type { FastifyInstance } from 'fastify';
import { buildCustomer, buildCustomFieldList } from '../espm.ts';
import { findMeter, findProperty, isConnected } from '../domain/access.ts';
import { valuesFor } from '../domain/custom-fields.ts';
import { customerOf } from '../domain/views.ts';
import { MESSAGES, SimError } from '../errors.ts';
import type { SimContext } from '../http/context.ts';
import { espmRoute } from '../http/espm-route.ts';
import type { ShareRecord } from '../state/model.ts';
import { getLink, ok, xml } from './replies.ts';

const live = (s: ShareRecord | undefined): boolean => s?.status === 'pending' || s?.status === 'accepted';

export function providerCustomerRoutes(app: FastifyInstance, sim: SimContext): void {
  const { domain, store } = sim;

  function customer(id: string) {
    const account = store.data.accounts[id];
    if (!account || account.isProvider) throw new SimError(404, MESSAGES.notFound(`Account ${id}`));
    return account;
  }

  espmRoute(app, sim, 'GET', '/customer/list', 'provider', () => {
    const connected = Object.values(store.data.accounts).filter(
      (a) => !a.isProvider && isConnected(domain, a.id),
    );
    // EPA's example names each customer by its organization in the hint, and leaves it out when there is none.
    return ok({
      links: connected.map((a) =>
        getLink(a.id, `/customer/${a.id}`, 'Customer', a.organization || undefined),
      ),
    });
  });

  espmRoute(app, sim, 'GET', '/customer/:customerId', 'provider', ({ params }) => {
    const account = customer(params.customerId!);
    if (!isConnected(domain, account.id)) throw new SimError(403, MESSAGES.accessDenied);
    return xml(buildCustomer(customerOf(account)));
  });

  // Answers stay readable while the request is pending: they are how the provider vets it.
  espmRoute(app, sim, 'GET', '/account/:accountId/customFieldList', 'provider', ({ params }) => {
    const account = customer(params.accountId!);
    const c = store.data.connections[account.id];
    if (c?.status !== 'pending' && c?.status !== 'accepted') throw new SimError(403, MESSAGES.accessDenied);
    return xml(buildCustomFieldList(valuesFor(domain, 'account', account.id)));
  });

  espmRoute(app, sim, 'GET', '/property/:propertyId/customFieldList', 'provider', ({ params }) => {
    const property = findProperty(domain, params.propertyId!);
    if (!live(store.data.propertyShares[property.id])) throw domain.denied();
    return xml(buildCustomFieldList(valuesFor(domain, 'property', property.id)));
  });

  espmRoute(app, sim, 'GET', '/meter/:meterId/customFieldList', 'provider', ({ params }) => {
    const meter = findMeter(domain, params.meterId!);
    if (!live(store.data.meterShares[meter.id])) throw domain.denied();
    return xml(buildCustomFieldList(valuesFor(domain, 'meter', meter.id)));
  });
}
