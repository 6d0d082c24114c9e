// Pending connection and share requests, the provider's answers, and the provider ending them.
import type { FastifyInstance } from 'fastify';
import type { PendingList } from '../espm.ts';
import { buildPendingList, parseSharingResponse, parseTerminateSharingResponse } from '../espm.ts';
import {
  answerConnection,
  answerMeterShare,
  answerPropertyShare,
  pendingConnections,
  pendingMeterShares,
  pendingPropertyShares,
} from '../domain/answers.ts';
import type { Page } from '../domain/pagination.ts';
import { pageNumber } from '../domain/pagination.ts';
import { disconnectByProvider, unshareByProvider } from '../domain/removals.ts';
import type { SimContext } from '../http/context.ts';
import { espmRoute, readDocument } from '../http/espm-route.ts';
import { booleanQuery, nextPageLink, ok, xml } from './replies.ts';

const EMPTY: PendingList = { accounts: [], properties: [], meters: [] };

export function providerRequestRoutes(app: FastifyInstance, sim: SimContext): void {
  const { domain } = sim;

  function pendingRoute<T>(
    path: string,
    list: (page: number) => Page<T>,
    as: (items: T[]) => Partial<PendingList>,
  ): void {
    espmRoute(app, sim, 'GET', path, 'provider', ({ query }) => {
      const page = list(pageNumber(query.page));
      sim.faults.checkEmptyList(page.items.length, 'Pending list');
      return xml(buildPendingList({ ...EMPTY, ...as(page.items) }, nextPageLink(path, page.nextPage)));
    });
  }
  pendingRoute(
    '/connect/account/pending/list',
    (p) => pendingConnections(domain, p),
    (accounts) => ({ accounts }),
  );
  pendingRoute(
    '/share/property/pending/list',
    (p) => pendingPropertyShares(domain, p),
    (properties) => ({ properties }),
  );
  pendingRoute(
    '/share/meter/pending/list',
    (p) => pendingMeterShares(domain, p),
    (meters) => ({ meters }),
  );

  const answers = [
    ['/connect/account/:accountId', 'accountId', answerConnection],
    ['/share/property/:propertyId', 'propertyId', answerPropertyShare],
    ['/share/meter/:meterId', 'meterId', answerMeterShare],
  ] as const;
  for (const [path, param, answer] of answers) {
    espmRoute(app, sim, 'POST', path, 'provider', async ({ params, body }) => {
      const response = await readDocument(sim, body, 'sharingResponse', parseSharingResponse);
      answer(domain, params[param]!, response);
      return ok();
    });
  }

  /** The note is optional, and so (for the simulator) is the whole body. */
  async function terminationNote(body: string): Promise<string | undefined> {
    if (!body.trim()) return undefined;
    return (await readDocument(sim, body, 'terminateSharingResponse', parseTerminateSharingResponse)).note;
  }

  espmRoute(
    app,
    sim,
    'POST',
    '/disconnect/account/:accountId',
    'provider',
    async ({ params, query, body }) => {
      const keepShares = booleanQuery(
        query.keepShares,
        'keepShares',
        domain.rules.disconnectKeepSharesByDefault,
      );
      disconnectByProvider(domain, params.accountId!, keepShares, await terminationNote(body));
      return ok();
    },
  );

  espmRoute(app, sim, 'POST', '/unshare/property/:propertyId', 'provider', async ({ params, body }) => {
    await terminationNote(body);
    unshareByProvider(domain, 'property', params.propertyId!);
    return ok();
  });

  espmRoute(app, sim, 'POST', '/unshare/meter/:meterId', 'provider', async ({ params, body }) => {
    await terminationNote(body);
    unshareByProvider(domain, 'meter', params.meterId!);
    return ok();
  });
}
