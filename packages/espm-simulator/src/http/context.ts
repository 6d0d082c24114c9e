// What the HTTP layer shares across routes: the domain, faults, counters and the open hung sockets.
import type { Socket } from 'node:net';
import type { DomainContext } from '../domain/context.ts';
import type { ResponseShape } from '../options.ts';
import type { SimStore } from '../state/store.ts';
import type { FaultInjector } from './faults.ts';
import type { RequestCounter } from './request-counter.ts';

/** One document the simulator sent on an ESPM path (tests collect these to check them against the XSDs). */
export interface ObservedResponse {
  routeKey: string;
  status: number;
  body: string;
  contentType: string;
}

export interface SimContext {
  store: SimStore;
  domain: DomainContext;
  faults: FaultInjector;
  counter: RequestCounter;
  validateRequests: boolean;
  shape: ResponseShape;
  /** Requests answered by silence; closed when the simulator stops. */
  hung: Set<Socket>;
  observe?: (r: ObservedResponse) => void;
}
