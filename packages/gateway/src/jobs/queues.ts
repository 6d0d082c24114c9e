// The scheduler's queues and the services each runs: read by the scheduler (scheduler.ts), the
// console's "run now" actions and the journal's events.
import type { QueueName, ServiceName } from '../vocabulary/gateway-events.ts';
export type { QueueName } from '../vocabulary/gateway-events.ts';

export const QUEUE_SERVICES = {
  'espm-requests': ['ConnectionManager', 'PropertyShareManager', 'MeterConnectionManager'],
  'espm-notifications': ['NotificationWatcher'],
  'espm-consumption': ['ConsumptionUpdater'],
} as const satisfies Record<QueueName, readonly ServiceName[]>;

export const QUEUES = Object.keys(QUEUE_SERVICES) as QueueName[];

/**
 * The queues whose runs begin by reading billing's changes (billing/changes.ts): told at once when an
 * import changed some, so that a billing push reaches its destinations without waiting for the schedule.
 */
export const BILLING_READER_QUEUES: readonly QueueName[] = ['espm-consumption'];

export function isQueueName(v: unknown): v is QueueName {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(QUEUE_SERVICES, v);
}

export function queueOfService(service: ServiceName): QueueName | undefined {
  return QUEUES.find((q) => (QUEUE_SERVICES[q] as readonly ServiceName[]).includes(service));
}
