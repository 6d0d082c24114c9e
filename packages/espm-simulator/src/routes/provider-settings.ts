// The provider's offering: terms of use, supported meter types, and its custom field definitions.
import type { FastifyInstance } from 'fastify';
import {
  buildCustomFieldDefinition,
  buildDataExchangeSettings,
  parseCustomFieldDefinition,
  parseDataExchangeSettings,
} from '../espm.ts';
import {
  createDefinition,
  deleteDefinition,
  getDefinition,
  listDefinitions,
  updateDefinition,
} from '../domain/custom-fields.ts';
import type { SimContext } from '../http/context.ts';
import { espmRoute, readDocument } from '../http/espm-route.ts';
import { getLink, ok, pathOnlyLink, xml } from './replies.ts';

const fieldPath = (id: string): string => `/dataExchangeSettings/customField/${id}`;

export function providerSettingsRoutes(app: FastifyInstance, sim: SimContext): void {
  const { domain } = sim;
  // Described as in EPA's examples: "custom ID" in the list, "custom field" in a POST answer.
  const fieldLink = (id: string, what: string, hint?: string) =>
    pathOnlyLink(sim.shape, getLink(id, fieldPath(id), what, hint));

  espmRoute(app, sim, 'GET', '/dataExchangeSettings', 'provider', () =>
    xml(buildDataExchangeSettings(sim.store.data.settings)),
  );

  // Whether ESPM merges omitted children is unknown (API.md §1.1): the simulator replaces the whole.
  espmRoute(app, sim, 'PUT', '/dataExchangeSettings', 'provider', async ({ body }) => {
    sim.store.data.settings = await readDocument(
      sim,
      body,
      'dataExchangeSettings',
      parseDataExchangeSettings,
    );
    sim.store.touch();
    // As EPA's example answer (samples/epa-2026-12/docs-dataExchangeSettings-put-response.xml): no id.
    return ok({
      links: [
        {
          httpMethod: 'GET',
          link: '/dataExchangeSettings',
          linkDescription: 'This is the GET url for your data exchange settings.',
        },
      ],
    });
  });

  espmRoute(app, sim, 'GET', '/dataExchangeSettings/customField/list', 'provider', () =>
    ok({
      links: listDefinitions(domain).map((f) => fieldLink(f.id, 'custom ID', f.definition.name)),
    }),
  );

  espmRoute(app, sim, 'GET', '/dataExchangeSettings/customField/:customFieldId', 'provider', ({ params }) =>
    xml(buildCustomFieldDefinition(getDefinition(domain, params.customFieldId!).definition)),
  );

  espmRoute(app, sim, 'POST', '/dataExchangeSettings/customField', 'provider', async ({ body }) => {
    const def = await readDocument(sim, body, 'customField', parseCustomFieldDefinition);
    const f = createDefinition(domain, def);
    return ok({ id: f.id, links: [fieldLink(f.id, 'custom field')] });
  });

  espmRoute(
    app,
    sim,
    'PUT',
    '/dataExchangeSettings/customField/:customFieldId',
    'provider',
    async ({ params, body }) => {
      const id = params.customFieldId!;
      getDefinition(domain, id);
      const def = await readDocument(sim, body, 'customField', parseCustomFieldDefinition);
      updateDefinition(domain, id, def);
      return ok({ id, links: [fieldLink(id, 'custom field')] });
    },
  );

  espmRoute(
    app,
    sim,
    'DELETE',
    '/dataExchangeSettings/customField/:customFieldId',
    'provider',
    ({ params }) => {
      deleteDefinition(domain, params.customFieldId!);
      return ok();
    },
  );
}
