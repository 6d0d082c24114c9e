// Consumption entries over ESPM's paths, for the provider (through its share) and the meter's owner.
import type { FastifyInstance } from 'fastify';
import {
  buildMeterConsumption,
  buildMeterData,
  children,
  MAX_ENTRIES_PER_DOCUMENT,
  parseMeterConsumption,
  parseMeterData,
} from '../espm.ts';
import { isDate } from '../clock.ts';
import { requireMeter } from '../domain/access.ts';
import {
  addEntries,
  checkEntries,
  deleteEntry,
  entryOf,
  getEntry,
  listEntries,
  looseEntry,
  updateEntry,
} from '../domain/consumption.ts';
import { pageNumber } from '../domain/pagination.ts';
import { SimError } from '../errors.ts';
import type { SimContext } from '../http/context.ts';
import { espmRoute, readDocument } from '../http/espm-route.ts';
import { getLink, nextPageLink, ok, pathOnlyLink, xml } from './replies.ts';

function dateQuery(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isDate(value)) throw new SimError(400, `${name} must be a date (YYYY-MM-DD), not "${value}".`);
  return value;
}

export function consumptionRoutes(app: FastifyInstance, sim: SimContext): void {
  const { domain } = sim;
  const entryLink = (id: string) =>
    pathOnlyLink(sim.shape, getLink(id, `/consumptionData/${id}`, 'Consumption Data'));

  espmRoute(app, sim, 'GET', '/meter/:meterId/consumptionData', 'account', ({ caller, params, query }) => {
    const meterId = params.meterId!;
    const filters = {
      startDate: dateQuery(query.startDate, 'startDate'),
      endDate: dateQuery(query.endDate, 'endDate'),
    };
    const page = listEntries(domain, caller, meterId, {
      page: pageNumber(query.page),
      ...filters,
      newestFirst: sim.shape === 'epa',
    });
    sim.faults.checkEmptyList(page.items.length, 'Consumption data');
    const links = nextPageLink(`/meter/${meterId}/consumptionData`, page.nextPage, filters);
    return xml(buildMeterData(page.items.map(entryOf), links));
  });

  espmRoute(
    app,
    sim,
    'POST',
    '/meter/:meterId/consumptionData',
    'account',
    async ({ caller, params, body }) => {
      const { meter } = requireMeter(domain, caller, params.meterId!, 'write');
      const data = await readDocument(sim, body, 'meterData', parseMeterData, (root) => {
        const entries = children(root, 'meterConsumption');
        if (entries.length > MAX_ENTRIES_PER_DOCUMENT) {
          throw new SimError(
            400,
            `A <meterData> document holds at most ${MAX_ENTRIES_PER_DOCUMENT} <meterConsumption> entries; this one has ${entries.length}.`,
          );
        }
        checkEntries(domain, meter, entries.map(looseEntry));
      });
      if (data.entries.length === 0)
        throw new SimError(400, 'The <meterData> document holds no <meterConsumption> entry.');
      const created = addEntries(domain, caller, meter.id, data.entries);
      // EPA never published this answer. The 'epa' shape lists the new entries newest first, as ESPM's
      // GET lists a meter's entries, and without their dates: a client may not pair ids by order.
      const listed = sim.shape === 'epa' ? [...created].reverse() : created;
      return xml(
        buildMeterData(
          [],
          listed.map((e) => entryLink(e.id)),
        ),
      );
    },
  );

  // ESPM's bulk delete by date range wipes the whole meter when a parameter is misspelled; the
  // simulator refuses it so no client can come to depend on it.
  espmRoute(app, sim, 'DELETE', '/meter/:meterId/consumptionData', 'account', () => {
    throw new SimError(
      405,
      'Deleting consumption data by date range is not simulated: delete each entry with DELETE /consumptionData/{id}.',
      { Allow: 'GET, POST' },
    );
  });

  espmRoute(app, sim, 'GET', '/consumptionData/:consumptionDataId', 'account', ({ caller, params }) =>
    xml(buildMeterConsumption(entryOf(getEntry(domain, caller, params.consumptionDataId!)))),
  );

  espmRoute(
    app,
    sim,
    'PUT',
    '/consumptionData/:consumptionDataId',
    'account',
    async ({ caller, params, body }) => {
      const id = params.consumptionDataId!;
      const existing = getEntry(domain, caller, id);
      const { meter } = requireMeter(domain, caller, existing.meterId, 'write');
      const entry = await readDocument(sim, body, 'meterConsumption', parseMeterConsumption, (root) => {
        checkEntries(domain, meter, [looseEntry(root)], id);
      });
      updateEntry(domain, caller, id, entry);
      return ok({ id, links: [entryLink(id)] });
    },
  );

  espmRoute(app, sim, 'DELETE', '/consumptionData/:consumptionDataId', 'account', ({ caller, params }) => {
    deleteEntry(domain, caller, params.consumptionDataId!);
    return ok();
  });
}
