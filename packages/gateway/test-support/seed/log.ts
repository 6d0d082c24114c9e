// Log lines like the guide's, and one of each kind an operator must read: gateway_log.
import type { LogLine } from '../../src/log/gateway-event.ts';
import { logRow } from '../../src/log/gateway-log.ts';
import { GUIDE } from '../guide-example.ts';
import type { SeedContext } from './context.ts';
import { GUIDE_SENT_AT, XSS, hours } from './context.ts';

/** What the seeded import with rejected lines counted, as its log line says. */
export const IMPORT_COUNTS = {
  read: 60,
  inserted: 50,
  updated: 4,
  cancelled: 1,
  unchanged: 2,
  replaced: 0,
  rejected: 3,
  meters: 12,
};

export async function seedLog(ctx: SeedContext, importId: number): Promise<void> {
  const { db, now, espm: e } = ctx;
  const { guideAccount, xssAccount } = ctx.accounts;
  const log = (h: number | Date, line: LogLine) => logRow(line, typeof h === 'number' ? hours(now, h) : h);
  await db
    .insertInto('gateway_log')
    .values([
      log(GUIDE_SENT_AT, {
        service: 'MeterConnectionManager',
        subject: GUIDE.espmMeterId,
        event: { kind: 'accepted' },
      }),
      log(GUIDE_SENT_AT, {
        service: 'ConsumptionUpdater',
        subject: GUIDE.espmMeterId,
        event: { kind: 'sent', created: 23, updated: 0, deleted: 0, adopted: 0 },
      }),
      log(1000, {
        service: 'NotificationWatcher',
        subject: GUIDE.espmMeterId,
        event: { kind: 'notification', type: 'UNSHARE', linksRevoked: 1 },
      }),
      log(1000, {
        service: 'NotificationWatcher',
        subject: GUIDE.espmMeterId,
        event: { kind: 'revoked', reason: 'meter-unshared' },
      }),
      log(950, {
        service: 'MeterConnectionManager',
        subject: '157127001',
        event: { kind: 'rejected', rule: 'invoice-not-latest' },
      }),
      log(31, {
        service: 'BillingImport',
        subject: 'facturation-2023-04.csv',
        event: { kind: 'billing-import', importId, ...IMPORT_COUNTS },
      }),
      log(30, { service: 'ConnectionManager', subject: xssAccount, event: { kind: 'accepted' } }),
      log(25, { service: 'PropertyShareManager', subject: '2000104', event: { kind: 'accepted' } }),
      log(20, {
        service: 'ConsumptionUpdater',
        subject: e?.conflict.meterId ?? '157200001',
        event: { kind: 'conflict', periods: 2 },
      }),
      log(6, {
        service: 'ConsumptionUpdater',
        subject: '157300001',
        event: {
          kind: 'espm-error',
          error: 'unavailable',
          message: `ESPM POST /meter/157300001/consumptionData: unavailable (HTTP 503)\n${XSS}`,
        },
      }),
      log(5, {
        service: 'MeterConnectionManager',
        subject: '157500001',
        event: { kind: 'rejected', rule: 'unknown-account' },
      }),
      log(2, {
        service: 'Operator',
        subject: guideAccount,
        event: { kind: 'account-unlocked' },
        operator: 'marie',
      }),
      // A line of a newer version's kind (an instance upgraded before this one): shown as it is.
      {
        at: hours(now, 1),
        service: 'MeterConnectionManager',
        subject: '157400001',
        outcome: 'some-new-outcome',
        status: 'done',
        event: JSON.stringify({ kind: 'some-new-outcome' }),
      },
    ])
    .execute();
}
