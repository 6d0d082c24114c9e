// The gateway log ("Journal de passerelle"): one line per service action, written here only. A line
// holds the typed event (gateway-event.ts), so the console words it in French or English and the
// metrics count it without reading text back.
import type { Insertable, Kysely } from 'kysely';
import { logLines } from '../observability/events.ts';
import type { Database, GatewayLogTable } from '../store/schema.ts';
import type { LogLine } from './gateway-event.ts';
import { eventDetails, eventStatus, outcomeCode } from './gateway-event.ts';

/**
 * Stores the line and reports it to the metrics and the structured log. Inside a transaction, the
 * report goes out before the commit: a line rolled back afterwards was still counted, which only a
 * failing transaction can cause.
 */
export async function writeLog(db: Kysely<Database>, line: LogLine): Promise<void> {
  await db.insertInto('gateway_log').values(logRow(line, new Date())).execute();
  logLines.emit(line);
}

/** The stored form of a line written at `at`. */
export function logRow(line: LogLine, at: Date): Insertable<GatewayLogTable> {
  return {
    at,
    service: line.service,
    subject: line.subject ?? null,
    outcome: outcomeCode(line.event),
    status: eventStatus(line.event),
    details: eventDetails(line.event),
    event: JSON.stringify(line.event),
    operator: line.operator ?? null,
  };
}
