// The gateway log ("Journal de passerelle"): one line per service action. Lines hold codes, not
// sentences, so the console shows them in French or English.
import type { Kysely } from 'kysely';
import { logLines } from '../observability/events.ts';
import type { Database, LogStatus } from '../store/schema.ts';

export const SERVICES = [
  'ConnectionManager',
  'PropertyShareManager',
  'MeterConnectionManager',
  'ConsumptionUpdater',
  'NotificationWatcher',
  'BillingImport',
  'Operator',
] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface LogLine {
  service: ServiceName;
  subject?: string | null;
  outcome: string;
  status?: LogStatus;
  details?: string | null;
  operator?: string | null;
}

export async function writeLog(db: Kysely<Database>, line: LogLine): Promise<void> {
  await db
    .insertInto('gateway_log')
    .values({
      at: new Date(),
      service: line.service,
      subject: line.subject ?? null,
      outcome: line.outcome,
      status: line.status ?? 'done',
      details: line.details ?? null,
      operator: line.operator ?? null,
    })
    .execute();
  logLines.emit(line); // metrics (observability/metrics.ts)
}
