// Exporter (CSV): every list of the console as a spreadsheet, with the filters on screen (the list's own
// query parameters) and its columns in the reader's language, streamed by keyset batches (csv.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { writeLog } from '../../log/gateway-log.ts';
import type { ExportedList } from '../../vocabulary/gateway-events.ts';
import type { MessageKey } from '../i18n/index.ts';
import { eventText } from '../i18n/index.ts';
import type { ConsoleDeps } from '../context.ts';
import { str, viewOf } from '../context.ts';
import { allRows, csvMoment, EXPORT_BATCH, sendCsv } from '../csv.ts';
import { code, customerName, reasonText } from '../labels.ts';
import type { View } from '../layout.ts';
import { invoiceShown } from '../pages/meters.ts';
import { importErrorText } from '../billing-reasons.ts';
import { listBuildings } from '../queries/buildings.ts';
import { importsBefore } from '../queries/billing.ts';
import { listContacts } from '../queries/contacts.ts';
import { listLinks } from '../queries/meters.ts';
import { SHOWN_STATUSES } from '../../vocabulary/link-statuses.ts';
import type { ShownStatus } from '../../vocabulary/link-statuses.ts';
import { listLog } from '../queries/log.ts';
import { lockoutsWithCustomers, recentRejections } from '../queries/rejections.ts';
import { typedFields } from '../pages/typed-answers.ts';
import { maskProof, seesOwnershipProof } from '../ownership-proof.ts';
import type { LogFilterQuery } from './log.ts';
import { LOG_FILTER, logFilter } from './log.ts';
import { choice, query, text } from './params.ts';

/** Each list's file name, in French and in English. */
const FILE_NAMES: Record<ExportedList, { fr: string; en: string }> = {
  meters: { fr: 'compteurs', en: 'meters' },
  rejections: { fr: 'refus', en: 'rejections' },
  lockouts: { fr: 'verrouillages', en: 'lockouts' },
  contacts: { fr: 'contacts', en: 'contacts' },
  journal: { fr: 'journal', en: 'gateway-log' },
  buildings: { fr: 'batiments', en: 'buildings' },
  'billing-imports': { fr: 'imports-facturation', en: 'billing-imports' },
};

/** The file's name: the list's, in the reader's language, and the day. */
function fileName(v: View, list: ExportedList, today: Date): string {
  return `${FILE_NAMES[list][v.lang]}-${today.toISOString().slice(0, 10)}.csv`;
}

/** A column of an exported list: its heading and its cell, side by side so that they cannot drift apart. */
type Column<R> = readonly [heading: MessageKey, cell: (row: R) => string];

/** Every row of a console list paged by the numeric key its page names as text. */
function pagedByKey<R>(
  page: (after: number | undefined) => Promise<{ rows: R[]; next: string | undefined }>,
): AsyncGenerator<R> {
  return allRows((after: number | undefined) =>
    page(after).then((p) => ({ rows: p.rows, next: p.next === undefined ? undefined : Number(p.next) })),
  );
}

/** Every row of a list read newest first by id, a full batch meaning that older rows may follow. */
function pagedById<R extends { id: number }>(
  page: (before: number | undefined) => Promise<R[]>,
): AsyncGenerator<R> {
  return allRows(async (before: number | undefined) => {
    const rows = await page(before);
    return { rows, next: rows.length === EXPORT_BATCH ? rows[rows.length - 1]!.id : undefined };
  });
}

export async function exportRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, gateway } = deps;
  const today = () => gateway.ctx.now();
  /**
   * Answers with the list's rows as CSV, named in the reader's language, and journals the download with
   * the operator's name: what leaves the console may hold personal information.
   */
  async function sendList<R>(
    v: View,
    reply: FastifyReply,
    list: ExportedList,
    rows: AsyncIterable<R> | Iterable<R>,
    columns: ReadonlyArray<Column<R>>,
  ): Promise<FastifyReply> {
    await writeLog(gateway.ctx.db, {
      service: 'Operator',
      subject: list,
      operator: v.user?.username ?? null,
      event: { kind: 'list-exported', list },
    });
    return sendCsv(
      reply,
      fileName(v, list, today()),
      columns.map(([heading]) => v.t(heading)),
      rows,
      (row) => columns.map(([, cell]) => cell(row)),
    );
  }

  app.get<{ Querystring: { status?: ShownStatus | ''; q?: string; account?: string } }>(
    '/export/compteurs.csv',
    {
      schema: {
        querystring: query({
          status: choice(SHOWN_STATUSES),
          q: text(200),
          account: { type: 'string', maxLength: 20, pattern: '^[0-9]*$' },
        }),
      },
    },
    async (req, reply) => {
      const v = viewOf(req);
      const filter = {
        status: req.query.status || undefined,
        q: str(req.query.q).trim().slice(0, 60),
        account: req.query.account || undefined,
      };
      return sendList(
        v,
        reply,
        'meters',
        pagedByKey((after) => listLinks(db, { ...filter, after, limit: EXPORT_BATCH })),
        [
          ['col.espmMeter', (l) => l.espm_meter_id],
          ['col.espmAccount', (l) => l.espm_account_id],
          ['col.username', (l) => l.espm_username ?? ''],
          ['col.contract', (l) => l.account_number ?? ''],
          ['col.meterNumber', (l) => l.meter_number ?? ''],
          ['col.invoice', (l) => invoiceShown(v, l.invoice_number)],
          ['col.status', (l) => v.t(`status.${l.superseded ? 'superseded' : l.status}`)],
          ['col.reason', (l) => reasonText(v, l.reason_code)],
          ['col.lastSync', (l) => l.last_period_end ?? ''],
        ],
      );
    },
  );

  app.get('/export/refus.csv', async (req, reply) => {
    const v = viewOf(req);
    const shown = seesOwnershipProof(v.user?.role) ? (s: string) => s : maskProof;
    const rows = pagedById(async (before) =>
      (await recentRejections(db, EXPORT_BATCH, before)).map((r) => ({ ...r, typed: typedFields(r) })),
    );
    return sendList(v, reply, 'rejections', rows, [
      ['col.decidedAt', (r) => csvMoment(r.decided_at ?? r.received_at)],
      ['col.espmMeter', (r) => r.espm_meter_id],
      ['col.espmAccount', (r) => r.espm_account_id],
      ['col.username', (r) => r.espm_username ?? ''],
      ['field.accountNumber', (r) => shown(r.typed.accountNumber ?? '')],
      ['field.invoiceNumber', (r) => shown(r.typed.invoiceNumber ?? '')],
      ['field.meterNumber', (r) => shown(r.typed.meterNumber ?? '')],
      ['field.initialLoad', (r) => r.typed.initialLoad ?? ''],
      ['col.reason', (r) => reasonText(v, r.reason_code)],
      ['col.status', (r) => v.t(`status.${r.superseded ? 'superseded' : 'rejected'}`)],
      ['col.note', (r) => r.note ?? r.decision_note ?? ''],
    ]);
  });

  app.get('/export/verrouillages.csv', async (req, reply) =>
    sendList(viewOf(req), reply, 'lockouts', await lockoutsWithCustomers(db, today()), [
      ['col.espmAccount', (l) => l.accountId],
      ['col.username', (l) => l.customer?.username ?? ''],
      ['col.name', (l) => customerName(l.customer)],
      ['col.email', (l) => l.customer?.email ?? ''],
      ['col.organization', (l) => l.customer?.organization ?? ''],
      ['col.failures', (l) => String(l.failures)],
      ['col.lastFailure', (l) => csvMoment(l.lastFailure)],
      ['col.lockedUntil', (l) => csvMoment(l.lockedUntil)],
    ]),
  );

  app.get<{ Querystring: { q?: string } }>(
    '/export/contacts.csv',
    { schema: { querystring: query({ q: text(200) }) } },
    async (req, reply) => {
      const v = viewOf(req);
      const q = str(req.query.q);
      const rows = allRows((after: string | undefined) =>
        listContacts(db, { q, after, limit: EXPORT_BATCH }),
      );
      return sendList(v, reply, 'contacts', rows, [
        ['col.espmAccount', (c) => c.account_id],
        ['col.name', (c) => customerName(c)],
        ['col.organization', (c) => c.organization ?? ''],
        ['col.email', (c) => c.email],
        ['col.username', (c) => c.username],
        ['col.connectedAt', (c) => csvMoment(c.connected_at)],
        ['col.meters', (c) => String(Number(c.meters ?? 0))],
        [
          'col.state',
          (c) => v.t(c.connection_status === 'connected' ? 'state.connected' : 'state.disconnected'),
        ],
      ]);
    },
  );

  app.get<{ Querystring: LogFilterQuery }>(
    '/export/journal.csv',
    { schema: { querystring: query(LOG_FILTER) } },
    async (req, reply) => {
      const v = viewOf(req);
      const { filter } = await logFilter(db, req.query);
      return sendList(
        v,
        reply,
        'journal',
        pagedByKey((after) => listLog(db, { ...filter, after, limit: EXPORT_BATCH })),
        [
          ['col.date', (r) => csvMoment(r.at)],
          ['col.service', (r) => r.service],
          ['log.subject', (r) => r.subject ?? ''],
          ['col.result', (r) => eventText(v.lang, r.event)],
          ['col.status', (r) => v.t(r.status === 'error' ? 'logStatus.error' : 'logStatus.done')],
          ['log.details', (r) => r.details ?? ''],
          ['col.operator', (r) => r.operator ?? ''],
        ],
      );
    },
  );

  app.get('/export/batiments.csv', async (req, reply) =>
    sendList(viewOf(req), reply, 'buildings', await listBuildings(db, today()), [
      ['buildings.buildingId', (b) => b.building_id],
      ['buildings.name', (b) => b.name],
      ['buildings.premises', (b) => String(b.premises)],
      ['buildings.meters', (b) => String(b.meters)],
      ['buildings.links', (b) => String(b.links)],
      ['buildings.activeCodes', (b) => String(b.active_codes)],
    ]),
  );

  app.get('/export/facturation.csv', async (req: FastifyRequest, reply) => {
    const v = viewOf(req);
    const rows = pagedById((before) => importsBefore(db, EXPORT_BATCH, before));
    return sendList(v, reply, 'billing-imports', rows, [
      ['col.started', (i) => csvMoment(i.started_at)],
      ['col.source', (i) => code(v, 'source', i.source)],
      ['col.file', (i) => i.file_name ?? ''],
      ['col.status', (i) => code(v, 'importStatus', i.status)],
      ['col.rowsRead', (i) => String(i.rows_read)],
      ['col.rowsImported', (i) => String(i.rows_imported)],
      ['col.rowsUnchanged', (i) => String(i.rows_unchanged)],
      ['col.rowsReplaced', (i) => String(i.rows_replaced)],
      ['col.rowsRejected', (i) => String(i.rows_rejected)],
      ['col.operator', (i) => i.operator ?? ''],
      ['log.details', (i) => (i.error ? importErrorText(v.lang, i.error) : '')],
    ]);
  });
}
