// A property or a meter, for its owner or for the provider through an accepted share.
import type { FastifyInstance } from 'fastify';
import { buildMeter, buildProperty } from '../espm.ts';
import { requireMeter, requireProperty } from '../domain/access.ts';
import { meterOf, propertyInfoOf } from '../domain/views.ts';
import type { SimContext } from '../http/context.ts';
import { espmRoute } from '../http/espm-route.ts';
import { xml } from './replies.ts';

export function resourceRoutes(app: FastifyInstance, sim: SimContext): void {
  espmRoute(app, sim, 'GET', '/property/:propertyId', 'account', ({ caller, params }) => {
    const { property, level } = requireProperty(sim.domain, caller, params.propertyId!, 'read');
    return xml(buildProperty(propertyInfoOf(property, level)));
  });

  espmRoute(app, sim, 'GET', '/meter/:meterId', 'account', ({ caller, params }) => {
    const { meter, level } = requireMeter(sim.domain, caller, params.meterId!, 'read');
    return xml(buildMeter(meterOf(meter, level)));
  });

  // EPA's "Get Meter Aggregation Indicator" (docs-meter-aggregateMeter-get-response.xml): the meter,
  // always with its flag.
  espmRoute(app, sim, 'GET', '/meter/:meterId/aggregateMeter', 'account', ({ caller, params }) => {
    const { meter, level } = requireMeter(sim.domain, caller, params.meterId!, 'read');
    return xml(buildMeter({ ...meterOf(meter, level), aggregateMeter: meter.meter.aggregateMeter === true }));
  });
}
