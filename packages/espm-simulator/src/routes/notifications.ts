// The provider's notification feed. Like ESPM, reading it clears it unless clear=false is sent.
import type { FastifyInstance } from 'fastify';
import { buildNotificationList } from '../espm.ts';
import { takeNotifications } from '../domain/notifications.ts';
import type { SimContext } from '../http/context.ts';
import { espmRoute } from '../http/espm-route.ts';
import { booleanQuery, xml } from './replies.ts';

export function notificationRoutes(app: FastifyInstance, sim: SimContext): void {
  espmRoute(app, sim, 'GET', '/notification/list', 'provider', ({ query }) => {
    const list = takeNotifications(sim.domain, booleanQuery(query.clear, 'clear', true));
    sim.faults.checkEmptyList(list.length, 'Notification list');
    return xml(buildNotificationList(list));
  });
}
