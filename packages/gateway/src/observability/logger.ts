// The structured log: JSON lines on stdout through Fastify's logger (pino), level GATEWAY_LOG_LEVEL.
// Never logged: the ESPM password (the client's errors carry only the method, the path and what ESPM
// said), the Authorization and Cookie headers (redacted below, should a serializer ever add them),
// session cookies, ingest or metrics tokens, and the custom field values customers type (service
// summaries and gateway log lines hold counts, codes and ESPM ids only).
import type { FastifyBaseLogger, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { OperabilityConfig } from '../config/config.ts';
import { eventDetails, eventStatus, outcomeCode } from '../log/gateway-event.ts';
import { logLines, serviceRuns } from './events.ts';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  '*.password',
  'token',
  '*.token',
];

export function loggerOptions(
  level: OperabilityConfig['logLevel'],
  stream?: NodeJS.WritableStream,
): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    base: { app: 'espm-gateway' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: requestLine },
    ...(stream ? { stream } : {}),
  };
}

/**
 * A request as logged: its path without the query string, which can hold what someone searched for
 * (an account or meter number, a customer's name) — personal information a log must not keep.
 */
export function requestLine(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: req.url.split('?')[0],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** Logs every service run (service, summary counts, duration) and every error line of the gateway log. */
export function logOperations(log: FastifyBaseLogger): () => void {
  const offRuns = serviceRuns.on((run) => {
    if (run.ok) {
      log.info(
        { event: 'service-run', service: run.service, summary: run.summary, durationMs: run.durationMs },
        `${run.service} done`,
      );
    } else {
      log.error(
        {
          event: 'service-run',
          service: run.service,
          error: run.error,
          espmKind: run.espmKind,
          durationMs: run.durationMs,
        },
        `${run.service} failed`,
      );
    }
  });
  const offLines = logLines.on((line) => {
    if (eventStatus(line.event) !== 'error') return;
    const outcome = outcomeCode(line.event);
    log.warn(
      {
        event: 'gateway-log',
        service: line.service,
        subject: line.subject ?? undefined,
        outcome,
        details: eventDetails(line.event) ?? undefined,
      },
      `${line.service}: ${outcome}`,
    );
  });
  return () => {
    offRuns();
    offLines();
  };
}
