// The journal's lines written before events were typed become the same events a current gateway would
// write, so the console and metrics read old and new lines alike.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Migrator } from 'kysely';
import type { GatewayEvent } from '../../log/gateway-event.ts';
import { eventDetails, eventStatus, outcomeCode } from '../../log/gateway-event.ts';
import { migrate } from '../database.ts';
import { IMPORT_COUNTS } from '../../../test-support/seed/log.ts';
import { forEachStore } from '../../../test-support/test-store.ts';
import { migrations } from './index.ts';

/** Events of every kind, as a current gateway writes them. */
const EVENTS: GatewayEvent[] = [
  { kind: 'accepted' },
  { kind: 'rejected', rule: 'invoice-not-latest' },
  { kind: 'revoked', reason: 'access-lost', detail: '403' },
  { kind: 'revoked', reason: 'meter-unshared' },
  { kind: 'sent', created: 23, updated: 1, deleted: 2, adopted: 3 },
  { kind: 'conflict', periods: 2 },
  { kind: 'notification', type: 'UNSHARE', linksRevoked: 1 },
  {
    kind: 'espm-error',
    error: 'unavailable',
    message: 'ESPM POST /meter/1/consumptionData: unavailable (HTTP 503)',
  },
  { kind: 'failed', message: 'meter unit "kWh" is not a natural gas unit' },
  { kind: 'settings-pushed', created: 4, updated: 0, unchanged: 0 },
  { kind: 'resync-requested' },
  { kind: 'conflict-resolved', choice: 'keep-customer' },
  { kind: 'account-unlocked' },
  { kind: 'run-requested', queue: 'espm-consumption' },
  { kind: 'run-done', queue: 'espm-requests', failures: [] },
  {
    kind: 'run-done',
    queue: 'espm-requests',
    failures: [
      { service: 'ConnectionManager', error: 'ESPM GET /connect/account/pending/list: network' },
      { service: 'MeterConnectionManager', error: 'boom: twice' },
    ],
  },
  { kind: 'billing-import', importId: 7, ...IMPORT_COUNTS },
  {
    kind: 'billing-import',
    importId: 8,
    problem: 'missing-columns',
    read: 0,
    inserted: 0,
    updated: 0,
    cancelled: 0,
    unchanged: 0,
    replaced: 0,
    rejected: 0,
    meters: 0,
  },
];

forEachStore('the typed-events migration', (s) => {
  it('turns every line written before it into the event a current gateway writes', async () => {
    const { db } = s.store;
    await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(
      '0004-work-leases',
    );
    const at = new Date('2026-01-01T00:00:00Z');
    for (const event of EVENTS) {
      // As the gateway wrote lines before: a code, a status and a details text.
      await db
        .insertInto('gateway_log' as never)
        .values({
          at,
          service: event.kind === 'billing-import' ? 'BillingImport' : 'Operator',
          outcome: outcomeCode(event),
          status: eventStatus(event),
          details: eventDetails(event),
        } as never)
        .execute();
    }
    await migrate(db);
    const rows = await db.selectFrom('gateway_log').select(['event']).orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => r.event),
      EVENTS,
    );
  });
});
