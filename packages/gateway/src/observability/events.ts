// What the gateway reports as it runs, for the metrics, the structured log and the alerts: small
// in-process channels, so that the services and the ESPM client know nothing of who listens.
import type { AttemptRecord } from '@gaz-espm/espm';
import type { LogLine } from '../log/gateway-event.ts';

/** One run of one service inside runCycle. */
export interface ServiceRun {
  service: string;
  ok: boolean;
  summary?: object;
  error?: string;
  /** The error's kind when it came from ESPM (e.g. unauthorized), else undefined. */
  espmKind?: string;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
}

export type Listener<T> = (event: T) => void;

export class Channel<T> {
  private readonly listeners = new Set<Listener<T>>();

  /** Adds a listener; the returned function removes it. */
  on(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A listener's failure never reaches the service that reported. */
  emit(event: T): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // observability must never break the work it observes
      }
    }
  }
}

export const serviceRuns = new Channel<ServiceRun>();
export const espmAttempts = new Channel<AttemptRecord>();
export const logLines = new Channel<LogLine>();

/** Entries one link's sync wrote to ESPM (created or corrected): when, and when each was billed. */
export interface ConsumptionSent {
  sentAt: Date;
  billedAt: Date[];
}
export const consumptionSent = new Channel<ConsumptionSent>();
